//! The structure of a duty name: "对<actor><behaviour>的<act>".
//!
//! Duty lists word most names on one frame ("对……未按规定……的处罚"), so comparing whole names
//! compares the frame. A reviewer compares what the duty is about: the object or behaviour left
//! once the act (处罚, 监督检查 …, which 权力类型 already says) and the framing words (等违法行为,
//! 情况) are taken off, and who it is about (the actor: 导游 is not 旅行社). A name that only
//! points at an article ("对《…》第五十五条禁止行为的处罚") has no object of its own; its citation
//! stands for it. The word lists are data in the rule pack (`duty_name`).

use crate::normalize::{contains, is_punctuation};
use crate::pack::DutyNameRules;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DutyName {
    /// What the duty is about, without punctuation, spaces, the act and the frame.
    pub object: String,
    /// The party named first (施工总承包单位, 导游), empty when the name starts with the behaviour.
    pub actor: String,
    /// The name only points at an article of a law: the object says nothing by itself.
    pub article_only: bool,
}

fn strip_notes(name: &str, rules: &DutyNameRules) -> String {
    let mut text = name.to_string();
    for note in rules.ignored_notes.iter().filter(|n| !n.is_empty()) {
        while let Some(start) = contains(&text, note).then(|| text.find(note.as_str())).flatten() {
            let end = text[start..]
                .char_indices()
                .find(|(_, c)| *c == '）' || *c == ')')
                .map_or(text.len(), |(at, c)| start + at + c.len_utf8());
            text.replace_range(start..end, "");
        }
    }
    text
}

/// Take the longest matching suffix off, repeatedly, keeping at least one character.
fn strip_suffixes(text: &mut String, suffixes: &[String]) -> bool {
    let mut stripped = false;
    loop {
        let found = suffixes
            .iter()
            .filter(|s| !s.is_empty() && text.len() > s.len() && text.ends_with(s.as_str()))
            .max_by_key(|s| s.len());
        match found {
            Some(suffix) => {
                let keep = text.len() - suffix.len();
                text.truncate(keep);
                stripped = true;
            }
            None => return stripped,
        }
    }
}

/// Text without what citations add: 《title》 and 第X条/款/项.
fn without_citations(text: &str) -> String {
    let mut out = String::new();
    let mut in_title = false;
    let chars: Vec<char> = text.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        match c {
            '《' => in_title = true,
            '》' => in_title = false,
            '第' if !in_title => {
                let mut end = k + 1;
                while end < chars.len() && (chars[end].is_ascii_digit() || "零〇一二两三四五六七八九十百千".contains(chars[end])) {
                    end += 1;
                }
                if end > k + 1 && end < chars.len() && "条款项".contains(chars[end]) {
                    k = end + 1;
                    continue;
                }
                out.push(c);
            }
            _ if !in_title => out.push(c),
            _ => {}
        }
        k += 1;
    }
    out
}

/// Read a duty name.
pub fn parse(name: &str, rules: &DutyNameRules) -> DutyName {
    let cleaned: String = strip_notes(name, rules)
        .chars()
        .filter(|c| !c.is_whitespace() && (!is_punctuation(*c) || *c == '《' || *c == '》'))
        .collect();
    let lead = rules
        .lead_words
        .iter()
        .filter(|w| !w.is_empty() && cleaned.starts_with(w.as_str()))
        .map(String::len)
        .max()
        .unwrap_or(0);
    let mut object = cleaned[lead..].to_string();
    loop {
        let act = strip_suffixes(&mut object, &rules.act_suffixes);
        let frame = strip_suffixes(&mut object, &rules.frame_suffixes);
        if !act && !frame {
            break;
        }
    }
    let article_only = cleaned.contains('《')
        && object.contains('第')
        && without_citations(&object).chars().filter(|c| !"违反规定禁止的".contains(*c)).count() == 0;
    let object: String = object.chars().filter(|c| *c != '《' && *c != '》').collect();
    let actor = if article_only { String::new() } else { actor_of(&object, rules) };
    DutyName { object, actor, article_only }
}

/// The object up to the first actor word ending within the window, if any.
fn actor_of(object: &str, rules: &DutyNameRules) -> String {
    // Byte offset of the end of the window.
    let window_end = object.char_indices().nth(rules.actor_window).map_or(object.len(), |(at, _)| at);
    let end = object[..window_end]
        .char_indices()
        .flat_map(|(at, _)| {
            rules
                .actor_suffixes
                .iter()
                .filter(move |s| !s.is_empty() && object[at..window_end].starts_with(s.as_str()))
                .map(move |s| at + s.len())
        })
        .min();
    end.map_or_else(String::new, |e| object[..e].to_string())
}

/// Two actors that share no pair of characters and neither of which contains the other name
/// different parties (导游 / 旅行社; 社会保险服务机构 / 单位或个人).
pub fn different_actors(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() || a.contains(b) || b.contains(a) {
        return false;
    }
    let pairs = |s: &str| -> std::collections::HashSet<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    pairs(a).is_disjoint(&pairs(b))
}

/// One text has a negated word (非国家重点保护) where the other has the word itself
/// (国家重点保护): a qualifier that turns the object into its opposite.
pub fn negated_qualifier(a: &str, b: &str, rules: &DutyNameRules) -> bool {
    let one_way = |x: &str, y: &str| {
        rules.negating_prefixes.iter().filter(|p| !p.is_empty()).any(|prefix| {
            x.match_indices(prefix.as_str()).any(|(at, _)| {
                let word: String = x[at + prefix.len()..].chars().take(2).collect();
                word.chars().count() == 2 && y.contains(&word) && !y.contains(&format!("{prefix}{word}"))
            })
        })
    };
    one_way(a, b) || one_way(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::RulePack;

    fn rules() -> DutyNameRules {
        RulePack::default_pack().duty_name
    }

    #[test]
    fn the_act_and_the_frame_come_off() {
        let r = rules();
        assert_eq!(parse("对施工总承包单位未按规定开设或者使用农民工工资专用账户等违法行为的处罚", &r).object, "施工总承包单位未按规定开设或者使用农民工工资专用账户");
        assert_eq!(parse("对实施劳动合同制度的情况进行监督检查", &r).object, "实施劳动合同制度");
        assert_eq!(parse("对于建设单位未办理质量监督手续等的处罚", &r).object, "建设单位未办理质量监督手续");
        assert_eq!(parse("对用人单位遵守劳动法律、法规情况的监督检查", &r).object, "用人单位遵守劳动法律法规");
        assert_eq!(parse("对出版物印刷企业未按规定承印内部资料的行政处罚（不包括吊销许可证）", &r).object, "出版物印刷企业未按规定承印内部资料");
    }

    #[test]
    fn a_name_that_only_points_at_an_article() {
        let r = rules();
        assert!(parse("对《保障农民工工资支付条例》第五十五条禁止行为的处罚", &r).article_only);
        assert!(parse("对违反《网络出版服务管理规定》第五十二条第一款行为的行政处罚", &r).article_only);
        assert!(!parse("对娱乐场所未按《娱乐场所管理条例》规定悬挂警示标志的行政处罚", &r).article_only);
    }

    #[test]
    fn actors_are_the_party_named_first() {
        let r = rules();
        assert_eq!(parse("对导游在执业过程中安排旅游者参观的行政处罚", &r).actor, "导游");
        assert_eq!(parse("对旅行社安排旅游者参观的行政处罚", &r).actor, "旅行社");
        assert_eq!(parse("对擅自设立广播电台的处罚", &r).actor, "");
        assert!(different_actors("导游", "旅行社"));
        assert!(!different_actors("出版物发行单位", "出版物发行单位出版物进口经营单位"));
    }

    #[test]
    fn a_negated_qualifier_changes_the_object() {
        let r = rules();
        assert!(negated_qualifier("猎捕非国家重点保护水生野生动物", "猎捕国家重点保护水生野生动物", &r));
        assert!(!negated_qualifier("非法转让许可证", "非法转让资质证书", &r));
    }
}
