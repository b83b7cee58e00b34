//! Where a line of Chinese text may end: UAX #14 break opportunities (the `unicode-linebreak`
//! crate), narrowed by the 避头尾 rules of Chinese typesetting, and a greedy fill of lines of a
//! given width.
//!
//! UAX #14 already keeps most closing punctuation off a line start (class CL, NS, EX) and most
//! opening punctuation off a line end (OP), and it keeps Latin words and numbers whole. The
//! 避头尾 sets are applied on top of it because its classes do not cover every mark the
//! Chinese rules name (「…」 quotes are ambiguous in UAX #14, and 〕 after a 文号 year must not
//! start a line), and because a word longer than the line has to be cut at a character boundary
//! that UAX #14 does not offer; that cut obeys the same rules.

use unicode_linebreak::{linebreaks, BreakOpportunity};

mod title;
pub use title::{break_title, TITLE_WORDS};

/// Marks that must not start a line (行首禁则).
pub const NO_LINE_START: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '）', '》', '」', '』', '】', '〕', '〗', '〙', '〛',
    '〉', '’', '”', '…', '—', '～', '％', '‰', '·', '｝', '］', '．', '﹒', ',', '.', ';', ':',
    '?', '!', ')', ']', '}', '%',
];

/// Marks that must not end a line (行尾禁则). Besides these, a number is not separated from
/// the character after it when that is an ideograph ("12|项", "2026|年", "5|万元"): a
/// measure word or unit alone at a line start reads badly.
pub const NO_LINE_END: &[char] = &[
    '（', '《', '「', '『', '【', '〔', '〖', '〘', '〚', '〈', '‘', '“', '｛', '［', '(', '[',
    '{', '￥', '$',
];

/// Points a line may exceed its width by, for rounding.
pub const FIT_TOLERANCE: f32 = 0.01;

pub fn may_start_line(c: char) -> bool {
    !NO_LINE_START.contains(&c)
}

pub fn may_end_line(c: char) -> bool {
    !NO_LINE_END.contains(&c)
}

/// One laid-out line: a byte range of the text it was cut from, without the spaces it ends
/// with or the line feed that ended it, and its width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineSlice {
    pub start: usize,
    pub end: usize,
    pub width: f32,
}

/// Break opportunities before each character: `allowed[i]` when a line may end before char
/// `i` (UAX #14 and 避头尾 agree), `mandatory[i]` when it must (after a line feed).
struct Opportunities {
    allowed: Vec<bool>,
    mandatory: Vec<bool>,
}

fn opportunities(text: &str, chars: &[(usize, char)]) -> Opportunities {
    let mut allowed = vec![false; chars.len()];
    let mut mandatory = vec![false; chars.len()];
    // Byte offsets → char index; the break iterator reports byte offsets.
    let mut char_at = 0usize;
    for (offset, kind) in linebreaks(text) {
        while char_at < chars.len() && chars[char_at].0 < offset {
            char_at += 1;
        }
        if char_at >= chars.len() || chars[char_at].0 != offset || char_at == 0 {
            continue;
        }
        match kind {
            BreakOpportunity::Mandatory => mandatory[char_at] = true,
            BreakOpportunity::Allowed => {
                let before = chars[char_at - 1].1;
                let after = chars[char_at].1;
                allowed[char_at] = may_start_line(after)
                    && may_end_line(before)
                    && !(before.is_ascii_digit() && is_ideograph(after));
            }
        }
    }
    Opportunities { allowed, mandatory }
}

/// CJK unified ideographs (with extension A and the compatibility block).
fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn is_break_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}'
}

/// Cuts `text` into lines no wider than `first_width` (first line) and `width` (the others),
/// measuring each character with `advance`. A line holds at least one character even when
/// that character alone is wider than the line. Spaces at the end of a line hang past the edge
/// and do not count in its width.
pub fn break_lines(
    text: &str,
    first_width: f32,
    width: f32,
    mut advance: impl FnMut(char) -> f32,
) -> Vec<LineSlice> {
    let advances: Vec<f32> = text
        .chars()
        .map(|c| if c == '\n' { 0.0 } else { advance(c) })
        .collect();
    break_measured_lines(text, first_width, width, &advances)
}

/// [`break_lines`] with the advance of each character given, one per `char` of `text`: a
/// paragraph whose heading is set in another face than its text measures each part in its own.
pub fn break_measured_lines(
    text: &str,
    first_width: f32,
    width: f32,
    advances: &[f32],
) -> Vec<LineSlice> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // A short list measures the characters it lacks as zero rather than losing them.
    let padded: Vec<f32>;
    let advances = if advances.len() == chars.len() {
        advances
    } else {
        padded = (0..chars.len())
            .map(|i| advances.get(i).copied().unwrap_or(0.0))
            .collect();
        &padded
    };
    if chars.is_empty() {
        return vec![LineSlice {
            start: 0,
            end: 0,
            width: 0.0,
        }];
    }
    let breaks = opportunities(text, &chars);
    let byte_end = |index: usize| chars.get(index).map_or(text.len(), |&(offset, _)| offset);

    let mut lines = Vec::new();
    let mut start = 0usize;
    let mut index = 0usize;
    // Width of chars[start..index] without its trailing spaces, and with them.
    let mut inked = 0.0f32;
    let mut pen = 0.0f32;
    let mut last_allowed: Option<(usize, f32)> = None;
    let limit = |lines: &Vec<LineSlice>| if lines.is_empty() { first_width } else { width };

    let push = |lines: &mut Vec<LineSlice>, from: usize, to: usize, ink: f32| {
        // `to` is exclusive; drop the spaces and line feed the line ends with.
        let mut end = to;
        while end > from && (is_break_space(chars[end - 1].1) || chars[end - 1].1 == '\n') {
            end -= 1;
        }
        lines.push(LineSlice {
            start: byte_end(from),
            end: byte_end(end),
            width: ink,
        });
    };

    while index < chars.len() {
        let c = chars[index].1;
        if index > start && breaks.mandatory[index] {
            push(&mut lines, start, index, inked);
            start = index;
            inked = 0.0;
            pen = 0.0;
            last_allowed = None;
            continue;
        }
        if index > start && breaks.allowed[index] {
            last_allowed = Some((index, inked));
        }
        if c == '\n' || is_break_space(c) {
            pen += advances[index];
            index += 1;
            continue;
        }
        let max = limit(&lines);
        // A hair of tolerance: a column sized to its longest value must hold that value
        // despite float rounding.
        if index > start && pen + advances[index] > max + FIT_TOLERANCE {
            let (cut, ink) = match last_allowed {
                Some((cut, ink)) if cut > start => (cut, ink),
                _ => {
                    let cut = emergency_cut(&chars, start, index);
                    let ink: f32 = advances[start..cut].iter().sum();
                    (cut, ink)
                }
            };
            push(&mut lines, start, cut, ink);
            start = cut;
            // Spaces at the cut hang at the end of the previous line.
            while start < chars.len() && is_break_space(chars[start].1) {
                start += 1;
            }
            index = start;
            inked = 0.0;
            pen = 0.0;
            last_allowed = None;
            continue;
        }
        pen += advances[index];
        inked = pen;
        index += 1;
    }
    if start < chars.len() || lines.is_empty() {
        push(&mut lines, start, chars.len(), inked);
    }
    lines
}

/// Where to cut a run with no break opportunity that is wider than the line: before the char
/// that overflows, moved back so that the next line does not start with closing punctuation and
/// this one does not end with opening punctuation. When the rules leave nothing on the line,
/// they give way (a line with one character beats an endless one).
fn emergency_cut(chars: &[(usize, char)], start: usize, overflow: usize) -> usize {
    let mut cut = overflow;
    while cut > start + 1 && (!may_start_line(chars[cut].1) || !may_end_line(chars[cut - 1].1)) {
        cut -= 1;
    }
    if cut == start + 1 && (!may_start_line(chars[cut].1) || !may_end_line(chars[cut - 1].1)) {
        overflow
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every char one em wide, Latin and digits half an em, as in a CJK face.
    fn em(c: char) -> f32 {
        if c.is_ascii() {
            0.5
        } else {
            1.0
        }
    }

    fn lines(text: &str, width: f32) -> Vec<String> {
        break_lines(text, width, width, em)
            .iter()
            .map(|line| text[line.start..line.end].to_owned())
            .collect()
    }

    fn assert_bitouwei(lines: &[String]) {
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                let first = line.chars().next().unwrap_or(' ');
                assert!(
                    may_start_line(first),
                    "line {index} starts with {first:?}: {lines:?}"
                );
            }
            if index + 1 < lines.len() {
                let last = line.chars().last().unwrap_or(' ');
                assert!(
                    may_end_line(last),
                    "line {index} ends with {last:?}: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn chinese_wraps_at_any_ideograph() {
        assert_eq!(
            lines("对违法建设行为的行政处罚", 4.0),
            vec!["对违法建", "设行为的", "行政处罚"]
        );
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // Without the rule the comma would open line two.
        for text in [
            "对违法建设，行为处罚",
            "甲乙丙丁。戊己",
            "甲乙丙丁、戊己",
            "甲乙丙丁）戊己",
            "甲乙丙丁》戊己",
            "甲乙丙丁；戊己",
            "甲乙丙丁：戊己",
            "甲乙丙丁？！戊己",
            "甲乙丙丁」戊己",
            "甲乙丙丁』戊己",
            "甲乙丙丁】戊己",
        ] {
            let got = lines(text, 4.0);
            assert_bitouwei(&got);
            assert_eq!(got.concat(), text, "nothing is lost");
        }
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        for text in [
            "甲乙丙（丁戊）己",
            "甲乙丙《丁戊》己",
            "甲乙丙「丁戊」己",
            "甲乙丙『丁戊』己",
            "甲乙丙【丁戊】己",
            "依据〔2026〕12号文",
        ] {
            let got = lines(text, 4.0);
            assert_bitouwei(&got);
            assert_eq!(got.concat(), text);
        }
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        let text = "依据GB/T 9704-2012标准和第123456号文件";
        let got = lines(text, 8.0);
        assert!(got.iter().any(|line| line.contains("123456")), "{got:?}");
        assert!(got.iter().any(|line| line.contains("9704-2012")), "{got:?}");
        assert_bitouwei(&got);
    }

    #[test]
    fn a_number_keeps_its_measure_word() {
        // Without the rule "甲乙丙第2" would fill line one and "项" start line two.
        let got = lines("甲乙丙第2项丁", 4.5);
        assert_eq!(got, vec!["甲乙丙第", "2项丁"]);
        let got = lines("甲乙丙丁戊2026年11月", 7.5);
        assert!(
            got.iter()
                .all(|line| !line.starts_with('年') && !line.starts_with('月')),
            "{got:?}"
        );
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut_at_a_character() {
        let text = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let got = lines(text, 4.0); // 8 Latin letters per line
        assert_eq!(got, vec!["ABCDEFGH", "IJKLMNOP", "QRSTUVWX", "YZ"]);
    }

    #[test]
    fn a_forced_cut_still_obeys_bitouwei() {
        // A run UAX #14 cannot break ("A" glued to "，" and digits) that overflows.
        let text = "AAAAAAA,BBBBBBB";
        let got = lines(text, 4.0);
        assert_bitouwei(&got);
        assert_eq!(got.concat(), text);
    }

    #[test]
    fn line_feeds_are_mandatory_breaks_and_spaces_hang() {
        assert_eq!(lines("第一行\n第二行", 10.0), vec!["第一行", "第二行"]);
        assert_eq!(
            lines("第一行\n\n第三行", 10.0),
            vec!["第一行", "", "第三行"]
        );
        let spaced = break_lines("ab cd", 1.0, 1.0, em);
        assert_eq!(spaced.len(), 2);
        assert_eq!(spaced[0].width, 1.0, "the trailing space is not counted");
    }

    #[test]
    fn a_character_wider_than_the_line_still_gets_a_line() {
        assert_eq!(lines("甲乙", 0.5), vec!["甲", "乙"]);
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(lines("", 5.0), vec![""]);
    }

    #[test]
    fn first_line_width_differs_for_an_indent() {
        let got: Vec<String> = break_lines("甲乙丙丁戊己庚辛", 2.0, 4.0, em)
            .iter()
            .map(|line| "甲乙丙丁戊己庚辛"[line.start..line.end].to_owned())
            .collect();
        assert_eq!(got, vec!["甲乙", "丙丁戊己", "庚辛"]);
    }

    #[test]
    fn widths_never_exceed_the_line_unless_one_char_does() {
        let text = "根据《中华人民共和国城乡规划法》第六十四条，未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的，由县级以上地方人民政府城乡规划主管部门责令停止建设。";
        for width in [3.0, 5.0, 7.5, 11.0, 20.0] {
            let slices = break_lines(text, width, width, em);
            for slice in &slices {
                assert!(
                    slice.width <= width + FIT_TOLERANCE,
                    "{slice:?} wider than {width}"
                );
            }
            let joined: String = slices.iter().map(|s| &text[s.start..s.end]).collect();
            assert_eq!(joined, text);
            let as_strings: Vec<String> = slices
                .iter()
                .map(|s| text[s.start..s.end].to_owned())
                .collect();
            assert_bitouwei(&as_strings);
        }
    }
}
