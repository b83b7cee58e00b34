//! The standard texts of a 权责清单 row that depend on the power type: the clause quoted after a
//! basis, 责任事项内容, 责任事项依据 and 追责情形 (wording in the style of published lists).

use quanze_domain::PowerType;

/// Two-letter code of a power type used in item codes.
pub fn type_code(t: PowerType) -> &'static str {
    match t {
        PowerType::Licensing => "XK",
        PowerType::Penalty => "CF",
        PowerType::Enforcement => "QZ",
        PowerType::Levy => "ZS",
        PowerType::Benefit => "JF",
        PowerType::Inspection => "JC",
        PowerType::Confirmation => "QR",
        PowerType::Reward => "JL",
        PowerType::Adjudication => "CJ",
        PowerType::Other => "QT",
    }
}

/// "本法" / "本条例" / "本办法" / "本规定" for a law's name.
pub fn this_law(name: &str) -> &'static str {
    if name.ends_with("条例") {
        "本条例"
    } else if name.ends_with("办法") || name.ends_with("办法（试行）") {
        "本办法"
    } else if name.ends_with("规定") {
        "本规定"
    } else {
        "本法"
    }
}

pub const FINES: &[(&str, &str)] = &[
    ("五百元", "二千元"),
    ("一千元", "一万元"),
    ("二千元", "二万元"),
    ("五千元", "五万元"),
    ("一万元", "十万元"),
    ("二万元", "二十万元"),
    ("五万元", "五十万元"),
];

pub fn responsibility(t: PowerType, dept: &str) -> String {
    let direct = match t {
        PowerType::Penalty => "1.立案责任：对监督检查中发现、投诉举报或者其他机关移送的违法线索予以审查，决定是否立案。2.调查责任：指定两名以上执法人员全面、客观、公正地调查取证，出示执法证件。3.审查责任：对案件事实、证据、程序、法律适用和处罚种类幅度进行审查。4.告知责任：作出处罚决定前告知当事人拟处罚的事实、理由、依据及陈述、申辩、听证权利。5.决定责任：依法制作行政处罚决定书。6.送达责任：按法定方式送达当事人。7.执行责任：督促当事人履行，逾期不履行的依法申请强制执行。",
        PowerType::Licensing => "1.受理责任：公示申请条件、法定期限和所需材料，一次性告知补正材料，依法受理或者不予受理。2.审查责任：对申请材料进行审查，需要现场核查的组织核查。3.决定责任：在法定期限内作出准予或者不予许可的决定，不予许可的说明理由。4.送达责任：制发许可证件并送达。5.事后监管责任：对被许可人从事许可事项的活动进行监督检查。",
        PowerType::Enforcement => "1.催告责任：实施前书面催告当事人履行义务。2.决定责任：依法作出行政强制决定，制作决定书。3.实施责任：由两名以上执法人员实施，出示执法证件，制作现场笔录。4.解除责任：对不再需要采取强制措施的及时解除。5.其他法律法规规章规定应履行的责任。",
        PowerType::Levy => "1.受理责任：核对缴费义务人申报材料。2.审核责任：依法核定征收项目和金额。3.征收责任：开具合法票据，按规定足额征收并缴入国库。4.监督责任：对欠缴情况进行催缴和监督。",
        PowerType::Benefit => "1.受理责任：公示给付条件和程序，受理申请。2.审核责任：对申请人资格、家庭经济状况等进行审核，必要时入户调查。3.公示责任：对拟给付对象进行公示。4.决定责任：作出给付或者不予给付的决定并告知理由。5.发放责任：按规定标准及时足额发放。6.监管责任：实行动态管理，定期复核。",
        PowerType::Inspection => "1.检查责任：制定年度检查计划，实行“双随机、一公开”，两名以上执法人员出示证件实施检查。2.处置责任：对检查中发现的问题责令改正，依法应当给予处罚的移交办理。3.公开责任：依法公开检查结果。4.其他法律法规规章规定应履行的责任。",
        PowerType::Confirmation => "1.受理责任：一次性告知所需材料，依法受理申请。2.审查责任：对申请材料及有关事实进行审查核实。3.决定责任：作出确认或者不予确认的决定，不予确认的说明理由。4.送达责任：制发确认文书并送达。",
        PowerType::Reward => "1.制定方案责任：制定奖励方案，明确条件、程序和标准。2.推荐评审责任：组织推荐、评审，确定拟奖励对象。3.公示责任：对拟奖励对象进行公示。4.表彰责任：按程序作出奖励决定并兑现。",
        PowerType::Adjudication => "1.受理责任：审查当事人申请，依法受理或者不予受理。2.审理责任：通知相关当事人，调查取证，组织调解。3.裁决责任：调解不成的依法作出裁决，制作裁决书。4.送达责任：依法送达裁决书并告知救济途径。",
        PowerType::Other => "1.受理责任：公示办理条件和所需材料，依法受理。2.审查责任：对材料进行审查，必要时现场核实。3.办理责任：在规定时限内办结并告知结果。4.监管责任：加强事中事后监管。",
    };
    format!("直接实施责任：{direct}\n指导监督责任：{dept}负责对各执法机构办理该事项进行业务指导和监督检查，规范实施程序。")
}

pub fn responsibility_basis(t: PowerType, law: &str) -> String {
    let general = match t {
        PowerType::Penalty => "《中华人民共和国行政处罚法》第三十九条、第四十四条、第五十四条、第五十七条、第六十一条、第六十六条",
        PowerType::Licensing => "《中华人民共和国行政许可法》第三十条、第三十二条、第三十四条、第三十七条、第四十四条、第六十一条",
        PowerType::Enforcement => "《中华人民共和国行政强制法》第十八条、第二十四条、第二十七条、第二十八条、第三十五条",
        PowerType::Inspection => "《优化营商环境条例》第五十四条；《中华人民共和国行政处罚法》第五十五条",
        PowerType::Levy | PowerType::Benefit | PowerType::Confirmation | PowerType::Reward
        | PowerType::Adjudication | PowerType::Other => "《江临市行政权力运行监督办法》第十二条",
    };
    format!("{general}；《{law}》")
}

pub fn accountability_cases(t: PowerType) -> &'static str {
    match t {
        PowerType::Penalty => "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：1.没有法律或者事实依据实施行政处罚的；2.擅自改变行政处罚种类、幅度的；3.违反法定的行政处罚程序的；4.对当事人罚款不出具法定单据的；5.截留、私分罚款或者没收的财物的；6.在行政处罚过程中滥用职权、玩忽职守、徇私舞弊的；7.其他违反法律法规规章规定的行为。",
        PowerType::Licensing => "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：1.对符合法定条件的申请不予受理或者不在法定期限内作出决定的；2.对不符合法定条件的申请人准予许可的；3.未一次性告知申请人需补正的全部内容的；4.擅自收费或者不按法定项目和标准收费的；5.在许可过程中索取或者收受他人财物的；6.其他违反法律法规规章规定的行为。",
        PowerType::Enforcement => "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：1.没有法律、法规依据实施行政强制的；2.改变行政强制对象、条件、方式的；3.违反法定程序实施行政强制的；4.扩大查封、扣押范围的；5.使用或者损毁查封、扣押场所、设施或者财物的；6.其他违反法律法规规章规定的行为。",
        PowerType::Inspection => "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：1.对应当检查的事项不检查，造成严重后果的；2.检查中发现违法行为不予制止、纠正的；3.违反规定重复检查、多头检查，干扰正常生产经营活动的；4.在检查中索取或者收受财物的；5.其他违反法律法规规章规定的行为。",
        PowerType::Levy | PowerType::Benefit | PowerType::Confirmation | PowerType::Reward
        | PowerType::Adjudication | PowerType::Other => "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：1.对符合条件的申请不予受理、不予办理的；2.对不符合条件的予以办理的；3.未按规定程序、标准和时限办理的；4.在办理过程中滥用职权、玩忽职守、徇私舞弊的；5.其他违反法律法规规章规定的行为。",
    }
}

/// The clause quoted after a basis for a non-penalty item.
pub fn clause(t: PowerType, authority: &str, name: &str) -> String {
    match t {
        PowerType::Penalty => String::new(),
        PowerType::Licensing => format!("申请办理{name}的，应当向县级以上地方人民政府{authority}提出申请；经审查符合法定条件的，予以批准。"),
        PowerType::Enforcement => format!("县级以上地方人民政府{authority}履行监督管理职责，有权采取下列措施：……（三）{name}。"),
        PowerType::Levy => format!("{name}按照国家规定的标准执行，由县级以上地方人民政府{authority}负责征收。"),
        PowerType::Benefit => format!("县级以上地方人民政府{authority}按照规定为符合条件的对象提供{name}。"),
        PowerType::Inspection => format!("县级以上地方人民政府{authority}依法履行监督检查职责，开展{name}。"),
        PowerType::Confirmation => format!("{name}由县级以上地方人民政府{authority}负责办理。"),
        PowerType::Reward => format!("对在相关工作中做出显著成绩的单位和个人，由人民政府或者{authority}按照国家有关规定给予表彰和奖励。"),
        PowerType::Adjudication => format!("当事人之间发生争议的，可以申请县级以上地方人民政府{authority}处理。"),
        PowerType::Other => format!("{name}由县级以上地方人民政府{authority}依照有关规定办理。"),
    }
}
