//! Citations of the legal basis (实施依据): which law, which article, which paragraph.
//!
//! A reviewer who suspects two departments of claiming one duty reads their 实施依据 first: two
//! items resting on the same article of the same law for the same kind of act are, most of the
//! time, one duty. Real cells cite several documents, each as 《title》 followed by the articles
//! it rests on ("【法规】《保障农民工工资支付条例》（…第724号）\n第五十五条：有下列情形之一的…"),
//! with numbers in Chinese or Arabic numerals, with or without 中华人民共和国, and often quote
//! the article's text, which itself refers to other articles ("依照本条例第十四条"). Only the
//! articles that open a clause of a citation are taken: the ones the item rests on, not the
//! ones its quoted text mentions. Amending acts ("国务院关于修改部分行政法规的决定") are not
//! the law a duty rests on and are left out (the titles are data in the rule pack).

use crate::pack::LegalBasisRules;

/// One cited article (or a whole law when no article is given).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LegalCitation {
    /// The title without 《》 and without the pack's prefixes (中华人民共和国).
    pub law: String,
    pub article: Option<u32>,
    /// 第X款, when given.
    pub paragraph: Option<u32>,
}

impl LegalCitation {
    /// 《law》第X条第Y款, as a reviewer writes it.
    pub fn label(&self) -> String {
        let mut text = format!("《{}》", self.law);
        if let Some(article) = self.article {
            text.push_str(&format!("第{}条", chinese_numeral(article)));
        }
        if let Some(paragraph) = self.paragraph {
            text.push_str(&format!("第{}款", chinese_numeral(paragraph)));
        }
        text
    }

    /// Same law and article, and the same paragraph when both give one.
    pub fn same_article(&self, other: &LegalCitation) -> bool {
        self.article.is_some()
            && self.law == other.law
            && self.article == other.article
            && (self.paragraph.is_none() || other.paragraph.is_none() || self.paragraph == other.paragraph)
    }
}

/// The value of a number written in Chinese (一百零三, 十五, 两) or Arabic digits.
pub fn parse_number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    let (mut total, mut digit) = (0u32, 0u32);
    for c in text.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => {
                digit = match c {
                    '零' | '〇' => 0,
                    '一' => 1,
                    '二' | '两' => 2,
                    '三' => 3,
                    '四' => 4,
                    '五' => 5,
                    '六' => 6,
                    '七' => 7,
                    '八' => 8,
                    '九' => 9,
                    d if d.is_ascii_digit() => d.to_digit(10)?,
                    _ => return None,
                };
                continue;
            }
        };
        total = total.checked_add(digit.max(1).checked_mul(unit)?)?;
        digit = 0;
    }
    total.checked_add(digit)
}

/// A number as Chinese numerals (for labels): 55 → 五十五, 103 → 一百零三.
pub fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    if n < 20 {
        return format!("十{}", if n.is_multiple_of(10) { "" } else { DIGITS[(n % 10) as usize] });
    }
    if n < 100 {
        return format!("{}十{}", DIGITS[(n / 10) as usize], if n.is_multiple_of(10) { "" } else { DIGITS[(n % 10) as usize] });
    }
    if n < 1000 {
        let rest = n % 100;
        let tail = match rest {
            0 => String::new(),
            1..=9 => format!("零{}", DIGITS[rest as usize]),
            10..=19 => format!("一{}", chinese_numeral(rest)),
            _ => chinese_numeral(rest),
        };
        return format!("{}百{tail}", DIGITS[(n / 100) as usize]);
    }
    n.to_string()
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "零〇一二两三四五六七八九十百千".contains(c)
}

/// `第<number><unit>` at `chars[at..]`: the number and the index after the unit.
fn ordinal(chars: &[char], at: usize, unit: char) -> Option<(u32, usize)> {
    if chars.get(at) != Some(&'第') {
        return None;
    }
    let start = at + 1;
    let mut end = start;
    while end < chars.len() && is_numeral(chars[end]) && end - start < 8 {
        end += 1;
    }
    if end == start || chars.get(end) != Some(&unit) {
        return None;
    }
    let number: String = chars[start..end].iter().collect();
    Some((parse_number(&number)?, end + 1))
}

/// Where an article that opens a clause may stand: at the start of the text or after a break.
fn opens_clause(previous: Option<char>) -> bool {
    previous.is_none_or(|c| c.is_whitespace() || "）)。；;，,、：:】".contains(c))
}

/// Where the article's number must be followed by to be a citation and not a mention.
fn closes_citation(next: Option<char>) -> bool {
    next.is_none_or(|c| c.is_whitespace() || "：:、;；，,.。第规的禁之（(".contains(c))
}

/// The articles a citation block rests on: those opening a clause.
fn block_articles(block: &[char]) -> Vec<(u32, Option<u32>)> {
    let mut found = Vec::new();
    let mut k = 0;
    while k < block.len() {
        if block[k] == '第' && opens_clause(k.checked_sub(1).map(|p| block[p])) {
            if let Some((article, after)) = ordinal(block, k, '条') {
                let (paragraph, after) = match ordinal(block, after, '款') {
                    Some((p, a)) => (Some(p), a),
                    None => (None, after),
                };
                if closes_citation(block.get(after).copied()) {
                    found.push((article, paragraph));
                }
                k = after;
                continue;
            }
        }
        k += 1;
    }
    found
}

fn clean_title(title: &str, rules: &LegalBasisRules) -> String {
    let mut t: String = title.chars().filter(|c| !c.is_whitespace() && !"〈〉<>".contains(*c)).collect();
    for prefix in &rules.title_prefixes {
        t = t.replace(prefix.as_str(), "");
    }
    t
}

fn ignored(title: &str, rules: &LegalBasisRules) -> bool {
    rules.ignored_titles.iter().any(|words| !words.is_empty() && words.iter().all(|w| title.contains(w.as_str())))
}

/// The citations of a 实施依据 text: for each cited document, the articles that open a clause of
/// its block (up to the next 《), or the document alone when none does.
pub fn basis_citations(text: &str, rules: &LegalBasisRules) -> Vec<LegalCitation> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(open) = chars[k..].iter().position(|c| *c == '《').map(|p| p + k) {
        let Some(close) = chars[open..].iter().position(|c| *c == '》').map(|p| p + open) else { break };
        // Titles are short; a stray 《 with no 》 nearby is not one.
        if close - open > 80 {
            k = open + 1;
            continue;
        }
        let title: String = chars[open + 1..close].iter().collect();
        let next = chars[close..].iter().position(|c| *c == '《').map_or(chars.len(), |p| p + close);
        k = close + 1;
        if ignored(&title, rules) {
            continue;
        }
        let law = clean_title(&title, rules);
        if law.is_empty() {
            continue;
        }
        // The parenthesis right after the title (dates, 令第N号) is skipped: its 第N号 is not an article.
        let articles = block_articles(&chars[close + 1..next]);
        if articles.is_empty() {
            out.push(LegalCitation { law: law.clone(), article: None, paragraph: None });
        }
        for (article, paragraph) in articles {
            out.push(LegalCitation { law: law.clone(), article: Some(article), paragraph });
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Citations written into a duty's name: "对《保障农民工工资支付条例》第五十五条禁止行为的处罚".
pub fn name_citations(name: &str, rules: &LegalBasisRules) -> Vec<LegalCitation> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(open) = chars[k..].iter().position(|c| *c == '《').map(|p| p + k) {
        let Some(close) = chars[open..].iter().position(|c| *c == '》').map(|p| p + open) else { break };
        k = close + 1;
        let title: String = chars[open + 1..close].iter().collect();
        if let Some((article, after)) = ordinal(&chars, close + 1, '条') {
            let paragraph = ordinal(&chars, after, '款').map(|(p, _)| p);
            out.push(LegalCitation { law: clean_title(&title, rules), article: Some(article), paragraph });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> LegalBasisRules {
        LegalBasisRules {
            ignored_titles: vec![vec!["修改".into(), "决定".into()]],
            title_prefixes: vec!["中华人民共和国".into()],
            max_items_per_article: 40,
        }
    }

    fn labels(citations: &[LegalCitation]) -> Vec<String> {
        citations.iter().map(LegalCitation::label).collect()
    }

    #[test]
    fn numbers_in_chinese_and_arabic_numerals() {
        for (text, n) in [("五十五", 55), ("十五", 15), ("一百零三", 103), ("二百一十", 210), ("两", 2), ("45", 45), ("十", 10)] {
            assert_eq!(parse_number(text), Some(n), "{text}");
            assert_eq!(parse_number(&chinese_numeral(n)), Some(n), "{n}");
        }
        assert_eq!(parse_number("条"), None);
    }

    #[test]
    fn the_article_a_citation_opens_with_not_the_ones_its_text_mentions() {
        // Shaped like the 住建 and 人社 lists' cells (real wording shortened).
        let text = "【法规】《保障农民工工资支付条例》（2019年12月30日国务院令第724号发布）\n第五十五条：有下列情形之一的，由人力资源社会保障行政部门…依照本条例第十四条处罚；";
        assert_eq!(labels(&basis_citations(text, &rules())), ["《保障农民工工资支付条例》第五十五条"]);
    }

    #[test]
    fn several_documents_paragraphs_and_prefixes_and_amending_acts() {
        let text = "【法律】《中华人民共和国统计法》（2024年修正） 第四十五条：…\n【法规】《建设工程抗震管理条例》 第四十条第三款：…\n【法规】《国务院关于修改部分行政法规的决定》第十条";
        assert_eq!(
            labels(&basis_citations(text, &rules())),
            ["《建设工程抗震管理条例》第四十条第三款", "《统计法》第四十五条"]
        );
        let a = &basis_citations("《统计法》第45条：…", &rules())[0];
        let b = &basis_citations("《中华人民共和国统计法》\n第四十五条 …", &rules())[0];
        assert!(a.same_article(b));
    }

    #[test]
    fn a_law_without_an_article_is_cited_alone() {
        assert_eq!(labels(&basis_citations("依据《娱乐场所管理条例》予以处罚。", &rules())), ["《娱乐场所管理条例》"]);
    }

    #[test]
    fn citations_in_a_name() {
        assert_eq!(
            labels(&name_citations("对《保障农民工工资支付条例》第五十五条禁止行为的处罚", &rules())),
            ["《保障农民工工资支付条例》第五十五条"]
        );
        assert!(name_citations("对违反《娱乐场所管理条例》行为的处罚", &rules()).is_empty());
    }

    #[test]
    fn different_paragraphs_are_different_articles() {
        let one = LegalCitation { law: "L".into(), article: Some(40), paragraph: Some(1) };
        let three = LegalCitation { law: "L".into(), article: Some(40), paragraph: Some(3) };
        let whole = LegalCitation { law: "L".into(), article: Some(40), paragraph: None };
        assert!(!one.same_article(&three));
        assert!(one.same_article(&whole));
    }
}
