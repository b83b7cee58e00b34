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
        PowerType::Penalty => "1.立案：对发现、举报或移送的违法线索审查立案。2.调查：两名以上执法人员调查取证。3.审查：审查事实、证据、程序和法律适用。4.告知：告知拟处罚内容及陈述、申辩、听证权利。5.决定：依法作出处罚决定。6.送达：依法送达决定书。7.执行：督促履行，逾期依法申请强制执行。",
        PowerType::Licensing => "1.受理：公示条件、期限和材料，一次性告知补正。2.审查：审查材料，必要时现场核查。3.决定：法定期限内作出决定，不予许可的说明理由。4.送达：制发并送达证件。5.监管：对被许可人加强事中事后监管。",
        PowerType::Enforcement => "1.催告：实施前书面催告当事人。2.决定：依法作出强制决定。3.实施：两名以上执法人员实施并制作现场笔录。4.解除：不再需要时及时解除。",
        PowerType::Levy => "1.受理：核对缴费义务人申报材料。2.核定：依法核定征收项目和金额。3.征收：开具合法票据，足额缴入国库。4.监督：对欠缴情况催缴。",
        PowerType::Benefit => "1.受理：公示条件和程序，受理申请。2.审核：审核资格，必要时入户调查。3.公示：对拟给付对象公示。4.决定：作出决定并告知理由。5.发放：按标准及时足额发放。",
        PowerType::Inspection => "1.检查：按“双随机、一公开”实施检查，出示证件。2.处置：责令改正，应当处罚的移交办理。3.公开：依法公开检查结果。",
        PowerType::Confirmation => "1.受理：一次性告知所需材料。2.审查：审查核实有关事实。3.决定：作出确认或者不予确认的决定。4.送达：制发并送达确认文书。",
        PowerType::Reward => "1.方案：明确条件、程序和标准。2.评审：组织推荐评审。3.公示：对拟奖励对象公示。4.表彰：按程序作出奖励决定并兑现。",
        PowerType::Adjudication => "1.受理：审查申请，依法受理。2.审理：调查取证，组织调解。3.裁决：调解不成的依法裁决。4.送达：送达裁决书并告知救济途径。",
        PowerType::Other => "1.受理：公示条件和材料，依法受理。2.审查：审查材料，必要时现场核实。3.办理：规定时限内办结并告知结果。",
    };
    format!("直接实施责任：{direct}\n指导监督责任：{dept}对该事项的办理进行业务指导和监督。")
}

pub fn responsibility_basis(t: PowerType, law: &str) -> String {
    let general = match t {
        PowerType::Penalty => "《中华人民共和国行政处罚法》第四十四条、第五十四条、第五十七条",
        PowerType::Licensing => "《中华人民共和国行政许可法》第三十条、第三十四条、第三十七条",
        PowerType::Enforcement => "《中华人民共和国行政强制法》第十八条、第二十四条",
        PowerType::Inspection => {
            "《优化营商环境条例》第五十四条；《中华人民共和国行政处罚法》第五十五条"
        }
        PowerType::Levy
        | PowerType::Benefit
        | PowerType::Confirmation
        | PowerType::Reward
        | PowerType::Adjudication
        | PowerType::Other => "《江临市行政权力运行监督办法》第十二条",
    };
    format!("{general}；《{law}》")
}

pub fn accountability_cases(t: PowerType) -> &'static str {
    match t {
        PowerType::Penalty => "有下列情形之一的，依法追究责任：1.没有法律或者事实依据实施处罚的；2.擅自改变处罚种类、幅度的；3.违反法定程序的；4.罚款不出具法定单据的；5.截留、私分罚没款物的；6.滥用职权、玩忽职守、徇私舞弊的。",
        PowerType::Licensing => "有下列情形之一的，依法追究责任：1.对符合条件的申请不予受理或者逾期不作决定的；2.对不符合条件的准予许可的；3.未一次性告知补正内容的；4.违规收费的；5.索取、收受他人财物的。",
        PowerType::Enforcement => "有下列情形之一的，依法追究责任：1.没有法律、法规依据实施强制的；2.改变强制对象、条件、方式的；3.违反法定程序的；4.扩大查封、扣押范围的；5.使用、损毁查封、扣押财物的。",
        PowerType::Inspection => "有下列情形之一的，依法追究责任：1.应当检查而未检查造成严重后果的；2.发现违法行为不予制止、纠正的；3.违规重复检查、干扰正常生产经营的；4.索取、收受财物的。",
        PowerType::Levy | PowerType::Benefit | PowerType::Confirmation | PowerType::Reward
        | PowerType::Adjudication | PowerType::Other => "有下列情形之一的，依法追究责任：1.对符合条件的申请不予办理的；2.对不符合条件的予以办理的；3.未按规定程序、标准和时限办理的；4.滥用职权、玩忽职守、徇私舞弊的。",
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
