//! Text rules: how headers are normalized for matching, and how values are cleaned.

/// Full-width ASCII (！ … ～) and the ideographic space to their half-width forms.
pub fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A header as compared with the synonym table: no whitespace or line breaks at all,
/// half-width, without "*" required-markers or a trailing colon, Latin lower-cased.
pub fn normalize_header(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '\u{200B}' && *c != '\u{FEFF}')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    while out.ends_with(':') {
        out.pop();
    }
    out
}

/// CJK ideographs and full-width punctuation: text where a line break is never a space.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FDF}'
        | '\u{3000}'..='\u{303F}'
        | '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FA1F}'
        | '“' | '”' | '‘' | '’' | '…' | '—'
    )
}

/// Join two pieces of a wrapped short text: nothing between CJK, a space between words.
fn joiner(before: Option<char>, after: Option<char>) -> &'static str {
    match (before, after) {
        (Some(b), Some(a)) if !is_cjk(b) && !is_cjk(a) => " ",
        _ => "",
    }
}

/// A short field (name, code, unit …): trimmed; a line break and the spaces around it are
/// wrapping, folded away ("市统\n计局" → "市统计局"; Latin words keep one space).
pub fn clean_short(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for (i, line) in text
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push_str(joiner(out.chars().last(), line.chars().next()));
        }
        out.push_str(line);
    }
    out.trim().to_string()
}

/// A long field (依据, 责任事项 …): line breaks kept, "\r\n" made "\n", trailing spaces of
/// lines and blank lines at both ends removed. Text hard-wrapped to a narrow column (four
/// lines or more, most of them eight characters or fewer: "负责\n市本\n级拒\n绝配…") has its
/// mid-sentence breaks folded; a break after 。；： or before "1." / "（一）" / "【" is kept.
pub fn clean_long(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let last = lines.iter().rposition(|l| !l.trim().is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return String::new();
    };
    let lines = &lines[first..=last];
    let mut out = if is_hard_wrapped(lines) {
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            let line = if i == 0 { *line } else { line.trim_start() };
            if i > 0 {
                let keep = out
                    .chars()
                    .last()
                    .is_some_and(|c| "。；;：:！!？?".contains(c))
                    || starts_list_item(line);
                if keep || line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(joiner(out.chars().last(), line.chars().next()));
                }
            }
            out.push_str(line);
        }
        out
    } else {
        lines.join("\n")
    };
    let trimmed = out.trim_start().len();
    out.drain(..out.len() - trimmed);
    out
}

fn is_hard_wrapped(lines: &[&str]) -> bool {
    let mut lengths: Vec<usize> = lines
        .iter()
        .map(|l| l.trim().chars().count())
        .filter(|n| *n > 0)
        .collect();
    if lengths.len() < 4 {
        return false;
    }
    lengths.sort_unstable();
    lengths[lengths.len() / 2] <= 8
}

/// "1." "2、" "（一）" "一、" "【" "第…条": a line that starts a list item or a reference.
fn starts_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if matches!(first, '【' | '（' | '(' | '[' | '•' | '·' | '-') {
        return true;
    }
    let second = chars.next();
    let numeral = first.is_ascii_digit() || "一二三四五六七八九十".contains(first);
    numeral && second.is_some_and(|c| c.is_ascii_digit() || ".、．)）".contains(c))
}

/// A header as shown to a user and used for extra fields: line breaks folded, trimmed.
pub fn display_header(text: &str) -> String {
    clean_short(text)
}

/// Append `more` to `base` the way the field joins pieces: short fields fold, long fields
/// start a new line.
pub fn append(base: &mut String, more: &str, short: bool) {
    if base.is_empty() {
        base.push_str(more);
        return;
    }
    if short {
        let sep = joiner(base.chars().last(), more.chars().next());
        base.push_str(sep);
    } else {
        base.push('\n');
    }
    base.push_str(more);
}

/// A text with its whitespace removed, for comparisons that must not depend on wrapping.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The place prefix of a department name: "克拉玛依市住房和城乡建设局" → "克拉玛依市".
pub fn place_prefix(department: &str) -> Option<String> {
    let chars: Vec<char> = department.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if i >= 1 && matches!(c, '市' | '区' | '县' | '旗' | '州' | '盟') {
            let prefix: String = chars[..=i].iter().collect();
            // "城市管理局" names no place.
            if ["城市", "都市", "社区", "园区", "景区", "片区"].contains(&prefix.as_str())
            {
                return None;
            }
            return Some(prefix);
        }
        if i > 8 {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_normalize_spaces_breaks_and_width() {
        assert_eq!(normalize_header("序  号"), "序号");
        assert_eq!(normalize_header("事项\n名称"), "事项名称");
        assert_eq!(normalize_header("＊事项名称："), "事项名称");
        assert_eq!(normalize_header("实施层级及\r\n权限"), "实施层级及权限");
        assert_eq!(
            normalize_header("子项名称（无子项的不填）"),
            "子项名称(无子项的不填)"
        );
        assert_eq!(normalize_header("ＮＯ．"), "no.");
    }

    #[test]
    fn short_fields_fold_wrapping() {
        assert_eq!(clean_short("市统\n计局"), "市统计局");
        assert_eq!(clean_short(" 行政\n处罚 "), "行政处罚");
        assert_eq!(
            clean_short("政策法\n规科 、\n社会经\n济统计"),
            "政策法规科 、社会经济统计"
        );
        assert_eq!(clean_short("Open\nData"), "Open Data");
        assert_eq!(clean_short("地州\n市级"), "地州市级");
    }

    #[test]
    fn long_fields_keep_breaks() {
        assert_eq!(
            clean_long("\n直接实施责任：\n1.规范  \n2.审查\n\n"),
            "直接实施责任：\n1.规范\n2.审查"
        );
        assert_eq!(clean_long("\n\n\n作人员应承担"), "作人员应承担");
        assert_eq!(clean_long("  "), "");
        assert_eq!(
            clean_long("负责\n市本\n级拒\n绝配\n合统\n计调\n查。\n1.执行\n上级"),
            "负责市本级拒绝配合统计调查。\n1.执行上级",
            "hard-wrapped text folds mid-sentence breaks only"
        );
        assert_eq!(
            clean_long("1.具体\n承办\n人；\n2.内设\n机构负\n责人；"),
            "1.具体承办人；\n2.内设机构负责人；"
        );
    }

    #[test]
    fn place_prefixes() {
        assert_eq!(
            place_prefix("克拉玛依市住房和城乡建设局").as_deref(),
            Some("克拉玛依市")
        );
        assert_eq!(
            place_prefix("克拉玛依市委宣传部（新闻出版局）").as_deref(),
            Some("克拉玛依市")
        );
        assert_eq!(place_prefix("市农业农村局"), None);
        assert_eq!(place_prefix("包河区民政局").as_deref(), Some("包河区"));
        assert_eq!(place_prefix("某区城市管理局").as_deref(), Some("某区"));
        assert_eq!(place_prefix("城市管理局"), None);
    }
}
