//! sample-data/README.md, rendered from the generated data so that every count in it is true.

use std::fmt::Write as _;

use quanze_domain::{Bundle, Level, ListKind};

use crate::gen::Planted;
use crate::legacy::{LEGACY_FILES, QUIRKS};
use crate::summary::Summary;

pub fn render(
    bundle: &Bundle,
    summary: &Summary,
    planted: &[Planted],
    yaml_bytes: usize,
) -> String {
    let mut o = String::new();
    let w = &mut o;
    intro(w, summary, yaml_bytes);
    contents(w, summary);
    district_departments(w, bundle);
    streets_and_communities(w, bundle);
    planted_problems(w, planted);
    waivers_versions_requests(w, bundle);
    legacy_workbooks(w);
    o
}

/// The title, what the file is, and how to regenerate it.
fn intro(w: &mut String, summary: &Summary, yaml_bytes: usize) {
    let _ = writeln!(w, "# 示例辖区：青川区 / The sample district: 青川区\n");
    let _ = writeln!(
        w,
        "> 本文件由 `cargo run -p quanze-sample-gen` 生成，请勿手工修改；其中的数字均由生成器统计得出。\n\
         > This file is written by `cargo run -p quanze-sample-gen`; do not edit it by hand. Every figure in it is counted by the generator.\n"
    );
    let _ = writeln!(
        w,
        "`sample-district.yaml` 是一个**虚构**辖区——江临市青川区——的完整数据包（{} 字节，{} 个事项），\
         用于演示、测试和培训。人名、电话、编码均为虚构；法律法规名称为真实名称，条款序号仅作示意。\
         数据中**有意埋设了若干问题**（见下文“埋设的问题”），其余数据保持干净，供检查功能发现。\n",
        yaml_bytes, summary.items
    );
    let _ = writeln!(
        w,
        "`sample-district.yaml` is the whole dataset of a **fictional** district, 青川区 of the fictional 江临市 \
         ({yaml_bytes} bytes, {} items), for demos, tests and training. Names of people, phone numbers and codes are invented; \
         law and regulation names are real, article numbers only illustrative. **Problems are planted on purpose** \
         (table below); everything else is meant to be clean, so that the checks find exactly those.\n",
        summary.items
    );

    let _ = writeln!(w, "## 重新生成 / Regenerating\n");
    let _ = writeln!(w, "```sh");
    let _ = writeln!(
        w,
        "cargo run -p quanze-sample-gen              # sample-district.yaml + README.md"
    );
    let _ = writeln!(w, "cargo run -p quanze-sample-gen -- --legacy  # also sample-data/legacy/*.xlsx (and .xls when LibreOffice is installed)");
    let _ = writeln!(
        w,
        "cargo run -p quanze-sample-gen -- --check   # verify the committed files, write nothing"
    );
    let _ = writeln!(w, "```\n");
    let _ = writeln!(
        w,
        "生成是确定性的（固定种子的 ChaCha 随机数），同一版本的生成器在任何机器上产生逐字节相同的文件；\
         `cargo test -p quanze-sample-gen` 会检查仓库中的文件与生成结果一致。\n\
         Generation is deterministic (seeded ChaCha); `cargo test -p quanze-sample-gen` fails when the committed files \
         differ from what the generator produces.\n"
    );
}

/// The counts of everything in the bundle.
fn contents(w: &mut String, summary: &Summary) {
    let _ = writeln!(w, "## 内容 / Contents\n");
    let _ = writeln!(w, "| 项目 / What | 数量 / Count |");
    let _ = writeln!(w, "| --- | ---: |");
    for (label, n) in &summary.jurisdictions {
        let _ = writeln!(w, "| 辖区：{label} | {n} |");
    }
    for (level, n) in &summary.units_by_level {
        let _ = writeln!(w, "| 机构（{level}级，含科室/站所） / units | {n} |");
    }
    let _ = writeln!(w, "| 班子成员 / leaders | {} |", summary.leaders);
    for (kind, (lists, items)) in &summary.lists {
        let _ = writeln!(w, "| {kind}：{lists} 张清单 / lists | {items} 项 |");
    }
    let _ = writeln!(w, "| 事项合计 / items in all | {} |", summary.items);
    for (state, n) in &summary.requests {
        let _ = writeln!(w, "| 准入申请：{state} | {n} |");
    }
    let _ = writeln!(
        w,
        "| 公布版本 / published versions | {} |",
        summary.versions
    );
    let _ = writeln!(w, "| 豁免 / waivers | {} |\n", summary.waivers);

    let _ = writeln!(w, "### 权责清单的权力类型 / 权力类型 of the 权责清单\n");
    let _ = writeln!(w, "| 权力类型 | 事项数 |");
    let _ = writeln!(w, "| --- | ---: |");
    for (t, n) in &summary.power_types {
        let _ = writeln!(w, "| {t} | {n} |");
    }
    let _ = writeln!(w);
}

/// The district departments with their staffing and lists.
fn district_departments(w: &mut String, bundle: &Bundle) {
    let _ = writeln!(w, "### 区级部门 / District departments\n");
    let _ = writeln!(w, "| 部门 | 类别 | 行政/事业编制 | 实有 | 权责清单事项 |");
    let _ = writeln!(w, "| --- | --- | ---: | ---: | ---: |");
    let district = bundle
        .jurisdictions
        .iter()
        .find(|j| j.level == Level::District);
    if let Some(d) = district {
        for unit in bundle
            .units
            .iter()
            .filter(|u| u.jurisdiction == d.id && u.parent.is_none())
        {
            let items: usize = bundle
                .lists
                .iter()
                .filter(|l| l.unit == Some(unit.id) && l.kind == ListKind::Power)
                .map(|l| l.items.len())
                .sum();
            let s = &unit.staffing;
            let _ = writeln!(
                w,
                "| {} | {} | {}/{} | {} | {items} |",
                unit.name,
                unit.kind.label(),
                s.admin_posts.unwrap_or(0),
                s.institution_posts.unwrap_or(0),
                s.actual_headcount.unwrap_or(0)
            );
        }
    }
    let _ = writeln!(w);
}

/// The streets and communities with their lists.
fn streets_and_communities(w: &mut String, bundle: &Bundle) {
    let _ = writeln!(w, "### 街道与社区 / Streets and communities\n");
    let _ = writeln!(
        w,
        "| 街道 | 机构设置模板 | 大部门 | 班子成员 | 基本 | 配合 | 收回 | 三单 | 社区（模板） |"
    );
    let _ = writeln!(
        w,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    );
    for street in bundle
        .jurisdictions
        .iter()
        .filter(|j| j.level == Level::Street)
    {
        let count = |kind: ListKind| -> usize {
            bundle
                .lists
                .iter()
                .filter(|l| l.jurisdiction == street.id && l.kind == kind)
                .map(|l| l.items.len())
                .sum()
        };
        let three: usize = [
            ListKind::UnitDuties,
            ListKind::UnitTasks,
            ListKind::UnitResponsibilities,
        ]
        .into_iter()
        .map(count)
        .sum();
        let communities: Vec<String> = bundle
            .jurisdictions
            .iter()
            .filter(|c| c.parent == Some(street.id))
            .map(|c| {
                format!(
                    "{}（{}）",
                    c.name,
                    c.org_template.as_deref().unwrap_or("无模板")
                )
            })
            .collect();
        let _ = writeln!(
            w,
            "| {}{} | {} | {} | {} | {} | {} | {} | {three} | {} |",
            street.name,
            street
                .designation
                .as_deref()
                .map(|d| format!("（{d}）"))
                .unwrap_or_default(),
            street.org_template.as_deref().unwrap_or(""),
            bundle
                .units
                .iter()
                .filter(|u| u.jurisdiction == street.id)
                .count(),
            bundle
                .leaders
                .iter()
                .filter(|l| l.jurisdiction == street.id)
                .count(),
            count(ListKind::StreetBasic),
            count(ListKind::StreetCoordination),
            count(ListKind::StreetWithdrawn),
            communities.join("、")
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(
        w,
        "| 社区 | 依法履职 | 协助政府 | 负面清单 | 证明事项 | 准入申请 |"
    );
    let _ = writeln!(w, "| --- | ---: | ---: | ---: | ---: | ---: |");
    for c in bundle
        .jurisdictions
        .iter()
        .filter(|j| j.level == Level::Community)
    {
        let count = |kind: ListKind| -> usize {
            bundle
                .lists
                .iter()
                .filter(|l| l.jurisdiction == c.id && l.kind == kind)
                .map(|l| l.items.len())
                .sum()
        };
        let requests = bundle
            .admission_requests
            .iter()
            .filter(|r| r.community == c.id)
            .count();
        let _ = writeln!(
            w,
            "| {} | {} | {} | {} | {} | {requests} |",
            c.name,
            count(ListKind::CommunityByLaw),
            count(ListKind::CommunityAssist),
            count(ListKind::CommunityNegative),
            count(ListKind::CommunityCertificate)
        );
    }
    let _ = writeln!(w);
}

/// The problems planted on purpose, and the checks that find them.
fn planted_problems(w: &mut String, planted: &[Planted]) {
    let _ = writeln!(w, "## 埋设的问题 / Planted problems\n");
    let _ = writeln!(
        w,
        "每个问题只埋设一处；`quanze check` 应当恰好报告这些问题（检查规则编号见 `templates/rules/default.yaml`）。\
         `cargo test -p quanze-sample-gen` 用检查引擎核对：每个问题都被发现，且没有其他问题。\n\
         Each problem is planted once; `quanze check` should report exactly these (rule ids as in \
         `templates/rules/default.yaml`). `cargo test -p quanze-sample-gen` runs the checks engine and verifies \
         that each is found and nothing else is.\n"
    );
    let _ = writeln!(
        w,
        "| # | 规则（docs/domain.md §6） | 检查规则 / rule | 问题 / what | 位置 / where |"
    );
    let _ = writeln!(w, "| --- | --- | --- | --- | --- |");
    for p in planted {
        let _ = writeln!(
            w,
            "| {} | {} | `{}` | {} | {} |",
            p.key, p.brief, p.rule, p.what, p.location
        );
    }
    let _ = writeln!(w);
}

/// The waivers, published versions and admission requests.
fn waivers_versions_requests(w: &mut String, bundle: &Bundle) {
    for waiver in &bundle.waivers {
        let _ = writeln!(
            w,
            "豁免 / waiver：`{}`（{}，{}）——{}\n",
            waiver.finding_key, waiver.actor, waiver.at, waiver.reason
        );
    }

    let _ = writeln!(
        w,
        "## 历史版本与准入申请 / Versions and admission requests\n"
    );
    for v in &bundle.versions {
        let list = bundle
            .lists
            .iter()
            .find(|l| l.id == v.list)
            .map_or("", |l| l.name.as_str());
        let _ = writeln!(
            w,
            "- {list} 第 {} 版，{} 公布{}，{} 项：{}",
            v.number,
            v.published_on,
            v.doc_no
                .as_deref()
                .map(|d| format!("（{d}）"))
                .unwrap_or_default(),
            v.items.len(),
            v.note.as_deref().unwrap_or("")
        );
    }
    let _ = writeln!(w);
    let _ = writeln!(w, "| 申请 | 社区 | 申请部门 | 状态 | 办理经过 |");
    let _ = writeln!(w, "| --- | --- | --- | --- | --- |");
    for r in &bundle.admission_requests {
        let community = bundle
            .jurisdictions
            .iter()
            .find(|j| j.id == r.community)
            .map_or("", |j| j.name.as_str());
        let steps: Vec<String> = r
            .history
            .iter()
            .map(|s| format!("{} {}", s.date, s.state.label()))
            .collect();
        let _ = writeln!(
            w,
            "| {} | {community} | {} | {} | {} |",
            r.item_name,
            r.applicant_unit_text.as_deref().unwrap_or(""),
            r.state.label(),
            steps.join(" → ")
        );
    }
    let _ = writeln!(w);
}

/// The legacy-style workbooks under legacy/.
fn legacy_workbooks(w: &mut String) {
    let _ = writeln!(w, "## 旧格式工作簿 / Legacy workbooks (`legacy/`)\n");
    let _ = writeln!(
        w,
        "供导入功能测试（docs/domain.md §3）。由 `cargo run -p quanze-sample-gen -- --legacy` 生成；`.xls` 由 LibreOffice \
         将 `.xlsx` 转换为 BIFF8 格式得到（构建本身不依赖 LibreOffice）。\n\
         For the importer (docs/domain.md §3), written by `cargo run -p quanze-sample-gen -- --legacy`; the `.xls` is the `.xlsx` \
         converted to BIFF8 by LibreOffice (the build does not need LibreOffice).\n"
    );
    for (file, what) in LEGACY_FILES {
        let _ = writeln!(w, "- `legacy/{file}`：{what}");
    }
    let _ = writeln!(w, "\n刻意设置的格式问题 / Quirks on purpose:\n");
    for (k, q) in QUIRKS.iter().enumerate() {
        let _ = writeln!(w, "{}. {q}", k + 1);
    }
}
