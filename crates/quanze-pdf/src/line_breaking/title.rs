//! Where a title (标题) breaks. GB/T 9704-2012 §7.3.3: a title may take one or more lines;
//! a long one is broken "where the meaning is kept whole" (词意完整), its lines arranged as a
//! trapezoid or a diamond (梯形或菱形), not an hourglass. UAX #14 allows a break between any
//! two ideographs, which cuts words ("城/乡", "清/单"), so titles get their own breaker.
//!
//! The segmentation is deliberately small and documented rather than a general dictionary:
//!
//! - **Words** ([`TITLE_WORDS`], plus names a caller passes): no line ends inside one. The
//!   list holds the words of the notices' titles (权责清单, 履行职责事项清单,
//!   社区工作事项准入清单, …) and those the departments' names are made of (住房, 城乡建设,
//!   广播电视, 市场监督管理, …).
//! - **Names**: characters no word covers are a name (青川, 克拉玛依) and stay together; a
//!   place suffix (市, 区, 县, 镇, 乡, 村, 旗) ends one, and a name stays with the 街道 or 社区
//!   after it and with the 局 or 委 that ends a department's name.
//! - **Brackets**: a break inside 《…》, （…）, “…” is avoided when possible; inside them,
//!   after 、 is the best place.
//! - **Preferred places**: after 关于, 公布, 调整, 印发, 发布, after an organ's whole name
//!   (…局, …委员会, …办公室, …中心) and after 的; before 的公告, 的通知, 的决定. A break
//!   between the words of a department's name ("卫生健康|委员会", "广播电视|和旅游局") is
//!   avoided; one after its place ("克拉玛依市|…局") is not.
//!
//! Among the breaks that need the fewest lines (or one line more, when that saves cutting a
//! word), the one with the least cost wins: the cost of each break place above, the lines'
//! distance from equal length, and an hourglass (a line shorter than the ones above and below).
//! Whole words and names weigh more than equal lengths: "关于公布青川区房屋征收与补偿服务中心 /
//! 权责清单的公告" (18 and 7 characters) rather than a department's name cut in two.

use super::{is_break_space, opportunities, LineSlice, FIT_TOLERANCE};

/// Words of notice titles that a line never ends inside (when it can be helped).
#[rustfmt::skip]
pub const TITLE_WORDS: &[&str] = &[
    // What the notice does and what it publishes.
    "关于", "公布", "调整", "印发", "发布", "公示", "公告", "通知", "决定", "清单", "事项", "权责清单", "权力清单",
    "责任清单", "履行职责事项清单", "履职事项清单", "履行职责", "履职", "基本履职事项", "配合履职事项", "上级部门收回事项", "收回事项",
    "工作事项准入清单", "准入清单", "依法履行职责事项", "依法协助政府工作事项", "协助政府工作事项", "负面清单", "证明事项",
    "调整公告", "版本",
    // Levels and kinds of places and organs.
    "街道", "社区", "乡镇", "办事处", "委员会", "办公室", "机构编制", "编制委员会", "服务中心", "事业管理中心", "管理局", "分局",
    "宣传部", "人民政府", "党工委", "居民委员会", "村民委员会",
    // What departments' names are made of.
    "文化", "体育", "广播电视", "旅游", "住房", "城乡建设", "市场监督管理", "城市管理", "综合执法", "综合行政执法", "公安",
    "生态环境", "应急管理", "卫生健康", "交通运输", "农业农村", "自然资源", "规划", "人力资源", "社会保障", "水务", "水利", "林业",
    "民政", "财政", "司法", "教育", "医疗保障", "商务", "人民防空", "发展和改革", "工业和信息化", "粮食和物资储备", "统计", "审计",
    "民族宗教事务", "档案", "档案馆", "气象", "金融工作", "机关事务", "互联网信息", "科学技术", "退役军人事务", "社会保险", "房屋征收",
    "补偿", "政务服务", "数据管理", "部门", "新闻出版", "信息化", "市场监管", "行政审批", "融媒体中心",
];

/// Breaks after these words are the best places in a title.
const BREAK_AFTER: &[&str] = &["关于", "公布", "调整", "印发", "发布", "公示"];
/// Organ names end with these; a break right after a whole organ's name is as good.
const ORGAN_NAME_ENDS: &[&str] = &["局", "委员会", "办公室", "中心", "馆", "部", "院"];
/// Breaks before these endings are as good.
const BREAK_BEFORE: &[&str] = &["的公告", "的通知", "的决定", "的批复", "的函"];
/// Characters that end a place's name.
const PLACE_ENDS: &[char] = &['省', '市', '区', '县', '镇', '乡', '村', '旗', '州', '盟'];
/// Words a name before them belongs to ("青溪|街道" is a cut name).
const PLACE_WORDS: &[&str] = &["街道", "社区", "乡镇", "办事处"];
/// Characters that end an organ's name and must not start a line alone ("旅游|局").
const ORGAN_ENDS: &[char] = &[
    '局', '委', '厅', '部', '办', '署', '处', '科', '所', '站', '队',
];

const OPENING: &[char] = &['（', '《', '“', '(', '「', '〔', '【'];
const CLOSING: &[char] = &['）', '》', '”', ')', '」', '〕', '】'];

/// Costs of a break place. A cut word costs more than an extra line; an extra line more than
/// any other choice.
const CUT_WORD: f32 = 2000.0;
const EXTRA_LINE: f32 = 600.0;
const CUT_NAME: f32 = 300.0;
const UNKNOWN: f32 = 100.0;
const IN_BRACKETS: f32 = 600.0;
const IN_BRACKETS_AFTER_LIST_MARK: f32 = 40.0;
const WORD_EDGE: f32 = 20.0;
const AFTER_DE: f32 = 5.0;
/// Between the words of a department's name ("卫生健康|委员会"); after its place is fine.
const IN_NAME: f32 = 150.0;
/// A department's name is at most this many characters after its place.
const LONGEST_NAME: usize = 16;
/// Next to 和 inside a name ("广播电视|和旅游局").
const BESIDE_HE: f32 = 100.0;
const HOURGLASS: f32 = 200.0;
/// Cost per em² of a line's distance from the mean length.
const UNEVEN: f32 = 2.0;
/// Beyond this many break places the search (cubic in them) gives way to balanced greedy
/// breaking; no real title comes near it.
const MAX_PLACES: usize = 90;

/// Breaks a title into lines no wider than `width`, measuring each character with `advance`;
/// `em` is the size of the type (for the balance cost), `names` are words to keep whole besides
/// [`TITLE_WORDS`] (the jurisdictions and departments the title names).
pub fn break_title(
    text: &str,
    width: f32,
    em: f32,
    names: &[&str],
    mut advance: impl FnMut(char) -> f32,
) -> Vec<LineSlice> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let advances: Vec<f32> = chars.iter().map(|&(_, c)| advance(c)).collect();
    let total: f32 = advances.iter().sum();
    if chars.is_empty() || total <= width + FIT_TOLERANCE || text.contains('\n') {
        return super::break_lines(text, width, width, &mut advance);
    }
    let costs = break_costs(text, &chars, names);
    let places: Vec<usize> = std::iter::once(0)
        .chain((1..chars.len()).filter(|&i| costs[i].is_some()))
        .chain(std::iter::once(chars.len()))
        .collect();
    let mut prefix = Vec::with_capacity(advances.len() + 1);
    prefix.push(0.0f32);
    for a in &advances {
        prefix.push(prefix[prefix.len() - 1] + a);
    }
    let line_width = |from: usize, to: usize| {
        // Spaces a line ends with hang past the edge.
        let mut end = to;
        while end > from && is_break_space(chars[end - 1].1) {
            end -= 1;
        }
        prefix[end] - prefix[from]
    };
    let searched = (places.len() <= MAX_PLACES)
        .then(|| best_breaks(&places, &costs, width, em, &line_width))
        .flatten();
    let Some(breaks) = searched else {
        return balanced_fallback(text, width, &mut advance);
    };
    let byte = |index: usize| chars.get(index).map_or(text.len(), |&(offset, _)| offset);
    breaks
        .windows(2)
        .map(|pair| {
            let (from, mut to) = (pair[0], pair[1]);
            let width = line_width(from, to);
            while to > from && is_break_space(chars[to - 1].1) {
                to -= 1;
            }
            LineSlice {
                start: byte(from),
                end: byte(to),
                width,
            }
        })
        .collect()
}

/// The cost of breaking before each character (`None` where UAX #14 or 避头尾 forbid it).
fn break_costs(text: &str, chars: &[(usize, char)], names: &[&str]) -> Vec<Option<f32>> {
    let n = chars.len();
    let allowed = opportunities(text, chars).allowed;
    // Which characters a word covers, and where words start and end.
    let mut covered = vec![false; n];
    let mut inside = vec![false; n + 1];
    let mut edge = vec![false; n + 1];
    let words = TITLE_WORDS
        .iter()
        .chain(names.iter())
        .filter(|w| !w.is_empty());
    let char_index = |byte: usize| chars.partition_point(|&(offset, _)| offset < byte);
    for word in words {
        for (at, _) in text.match_indices(word) {
            let (start, end) = (char_index(at), char_index(at + word.len()));
            covered[start..end].iter_mut().for_each(|c| *c = true);
            inside[start + 1..end].iter_mut().for_each(|i| *i = true);
            edge[start] = true;
            edge[end] = true;
        }
    }
    let starts_with =
        |i: usize, words: &[&str]| words.iter().any(|w| text[chars[i].0..].starts_with(w));
    let ends_with =
        |i: usize, words: &[&str]| words.iter().any(|w| text[..chars[i].0].ends_with(w));
    let mut depth = 0i32;
    let mut costs = vec![None; n];
    for i in 0..n {
        if i > 0 && allowed[i] {
            let (before, after) = (chars[i - 1].1, chars[i].1);
            // Between two characters of a name (no word covers either, no place ends there),
            // the break may cut the name; at a word's edge, a mark or a number it does not.
            let in_name = !edge[i]
                && !covered[i - 1]
                && !covered[i]
                && !PLACE_ENDS.contains(&before)
                && is_ideograph(before)
                && is_ideograph(after);
            let mut cost = if inside[i] {
                CUT_WORD
            } else if in_name {
                UNKNOWN
            } else {
                WORD_EDGE
            };
            if !inside[i] {
                // A name stays with the 街道 after it and with the 局 that ends it.
                let name_before =
                    !covered[i - 1] && is_ideograph(before) && !PLACE_ENDS.contains(&before);
                if name_before && starts_with(i, PLACE_WORDS) {
                    cost += CUT_NAME;
                }
                if !covered[i] && ORGAN_ENDS.contains(&after) {
                    cost += CUT_NAME;
                }
                let after_organ = ends_with(i, ORGAN_NAME_ENDS) && !ORGAN_ENDS.contains(&after);
                if !after_organ
                    && !ends_with(i, BREAK_AFTER)
                    && !PLACE_ENDS.contains(&before)
                    && is_ideograph(before)
                    && organ_name_follows(text, chars, i)
                {
                    cost += IN_NAME;
                }
                if ends_with(i, BREAK_AFTER) || starts_with(i, BREAK_BEFORE) || after_organ {
                    cost = 0.0;
                } else if before == '和' || after == '和' {
                    cost = cost.max(BESIDE_HE);
                } else if before == '的' {
                    cost = cost.min(AFTER_DE);
                }
            }
            if depth > 0 {
                cost += if matches!(before, '、' | '，' | '；') {
                    IN_BRACKETS_AFTER_LIST_MARK
                } else {
                    IN_BRACKETS * depth as f32
                };
            }
            costs[i] = Some(cost);
        }
        let c = chars[i].1;
        if OPENING.contains(&c) {
            depth += 1;
        } else if CLOSING.contains(&c) {
            depth = (depth - 1).max(0);
        }
    }
    costs
}

/// Whether the characters from `i` reach the end of an organ's name (…局, …委员会) within a
/// name's length, without a mark, a number, 的 or 清单 between: `i` is then inside the name.
fn organ_name_follows(text: &str, chars: &[(usize, char)], i: usize) -> bool {
    for (offset, c) in chars.iter().skip(i).take(LONGEST_NAME) {
        let ahead = &text[..offset + c.len_utf8()];
        if ORGAN_NAME_ENDS.iter().any(|end| ahead.ends_with(end)) {
            return true;
        }
        if !is_ideograph(*c) || *c == '的' || text[*offset..].starts_with("清单") {
            return false;
        }
    }
    false
}

fn is_ideograph(c: char) -> bool {
    super::is_ideograph(c)
}

/// The best line ends (character indices, starting with 0 and ending with the length), or
/// `None` when no choice of places fits the width (a run wider than the line).
fn best_breaks(
    places: &[usize],
    costs: &[Option<f32>],
    width: f32,
    em: f32,
    line_width: &dyn Fn(usize, usize) -> f32,
) -> Option<Vec<usize>> {
    let m = places.len();
    let fewest = fewest_lines(places, width, line_width)?;
    let total = line_width(0, places[m - 1]);
    let em = em.max(1.0);
    let mut best: Option<(f32, Vec<usize>)> = None;
    for lines in fewest..=fewest + 1 {
        let mean = total / lines as f32;
        // cost[j][b][a][d]: the cheapest j + 1 lines ending at place b, the last one starting
        // at place a; d when some line was shorter than the one above it (a later, longer
        // line makes an hourglass).
        let index = |j: usize, b: usize, a: usize, d: usize| ((j * m + b) * m + a) * 2 + d;
        let mut cost = vec![f32::INFINITY; lines * m * m * 2];
        let mut from = vec![usize::MAX; lines * m * m * 2];
        let place_cost = |b: usize| {
            if b == m - 1 {
                0.0
            } else {
                costs[places[b]].unwrap_or(CUT_WORD)
            }
        };
        let uneven = |w: f32| UNEVEN * ((w - mean) / em).powi(2);
        for b in 1..m {
            let w = line_width(0, places[b]);
            if w <= width + FIT_TOLERANCE {
                cost[index(0, b, 0, 0)] = place_cost(b) + uneven(w);
            }
        }
        for j in 1..lines {
            for a in 1..m {
                for d in 0..2 {
                    for prev in 0..a {
                        let here = cost[index(j - 1, a, prev, d)];
                        if !here.is_finite() {
                            continue;
                        }
                        let above = line_width(places[prev], places[a]);
                        for b in a + 1..m {
                            let w = line_width(places[a], places[b]);
                            if w > width + FIT_TOLERANCE {
                                break;
                            }
                            let shorter = w < above - em / 2.0;
                            let longer = w > above + em / 2.0;
                            let hourglass = if d == 1 && longer { HOURGLASS } else { 0.0 };
                            let next_d = usize::from(d == 1 || shorter);
                            let total = here + place_cost(b) + uneven(w) + hourglass;
                            let slot = index(j, b, a, next_d);
                            if total < cost[slot] {
                                cost[slot] = total;
                                from[slot] = index(j - 1, a, prev, d);
                            }
                        }
                    }
                }
            }
        }
        let extra = EXTRA_LINE * (lines - fewest) as f32;
        for a in 0..m {
            for d in 0..2 {
                let slot = index(lines - 1, m - 1, a, d);
                let found = cost[slot] + extra;
                if found.is_finite() && best.as_ref().is_none_or(|(c, _)| found < *c) {
                    // Walk back: the slot's `b` is each line's end.
                    let mut ends = Vec::with_capacity(lines + 1);
                    let mut slot = slot;
                    loop {
                        let b = (slot / 2 / m) % m;
                        ends.push(places[b]);
                        if from[slot] == usize::MAX {
                            break;
                        }
                        slot = from[slot];
                    }
                    ends.push(0);
                    ends.reverse();
                    best = Some((found, ends));
                }
            }
        }
    }
    best.map(|(_, ends)| ends)
}

/// The fewest lines the places allow (greedy: as far as each line reaches).
fn fewest_lines(
    places: &[usize],
    width: f32,
    line_width: &dyn Fn(usize, usize) -> f32,
) -> Option<usize> {
    let (mut at, mut lines) = (0usize, 0usize);
    while at < places.len() - 1 {
        let mut next = at;
        while next + 1 < places.len()
            && line_width(places[at], places[next + 1]) <= width + FIT_TOLERANCE
        {
            next += 1;
        }
        if next == at {
            return None;
        }
        at = next;
        lines += 1;
    }
    Some(lines)
}

/// Balanced greedy breaking (the narrowest width that needs no more lines), for text the
/// search does not handle.
fn balanced_fallback(
    text: &str,
    width: f32,
    mut measure: impl FnMut(char) -> f32,
) -> Vec<LineSlice> {
    let full = super::break_lines(text, width, width, &mut measure);
    let count = full.len();
    let (mut low, mut high) = (0.0f32, width);
    for _ in 0..20 {
        let middle = (low + high) / 2.0;
        if super::break_lines(text, middle, middle, &mut measure).len() > count {
            low = middle;
        } else {
            high = middle;
        }
    }
    super::break_lines(text, high, high, &mut measure)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn em(c: char) -> f32 {
        if c.is_ascii() {
            0.5
        } else {
            1.0
        }
    }

    fn title_lines(text: &str, width: f32) -> Vec<String> {
        break_title(text, width, 1.0, &[], em)
            .iter()
            .map(|line| text[line.start..line.end].to_owned())
            .collect()
    }

    #[test]
    fn a_short_title_is_one_line() {
        assert_eq!(
            title_lines("关于公布权责清单的公告", 20.0),
            ["关于公布权责清单的公告"]
        );
    }

    #[test]
    fn the_street_title_breaks_between_words_and_after_list_marks() {
        let title = "关于公布青川区青溪街道履行职责事项清单（基本履职事项、配合履职事项、上级部门收回事项）的公告";
        let lines = title_lines(title, 20.0);
        assert_eq!(lines.concat(), title);
        assert_eq!(lines.len(), 3, "{lines:?}");
        for line in &lines[..2] {
            assert!(
                line.ends_with("清单") || line.ends_with('、') || line.ends_with("关于公布"),
                "{lines:?}"
            );
        }
    }

    #[test]
    fn a_department_name_is_cut_between_its_words_not_inside_one() {
        let title = "关于公布克拉玛依市文化体育广播电视和旅游局权责清单的公告";
        let lines = title_lines(title, 14.0);
        assert_eq!(lines.concat(), title);
        let cuts: Vec<usize> = lines
            .iter()
            .scan(0, |at, line| {
                *at += line.chars().count();
                Some(*at)
            })
            .collect();
        // Never inside 克拉玛依, 广播电视, 旅游局 or 权责清单.
        let inside = [(4, 8), (13, 17), (18, 20), (21, 25)];
        for cut in &cuts[..cuts.len() - 1] {
            assert!(
                !inside.iter().any(|&(s, e)| *cut > s && *cut < e),
                "cut at {cut}: {lines:?}"
            );
        }
    }

    #[test]
    fn names_passed_in_stay_whole() {
        let title = "关于公布青川区新闻出版局（区委宣传部）权责清单的公告";
        let lines = break_title(title, 9.0, 1.0, &["青川区新闻出版局"], em);
        let texts: Vec<&str> = lines.iter().map(|l| &title[l.start..l.end]).collect();
        assert!(
            texts.iter().any(|l| l.contains("青川区新闻出版局")),
            "{texts:?}"
        );
    }

    #[test]
    fn lines_are_balanced_not_an_hourglass() {
        let title = "关于印发青川区住房和城乡建设局市场监督管理局生态环境分局应急管理局权责清单调整方案的通知";
        let lines = break_title(title, 20.0, 1.0, &[], em);
        let widths: Vec<f32> = lines.iter().map(|l| l.width).collect();
        assert!(widths.len() >= 3, "{widths:?}");
        let (min, max) = widths
            .iter()
            .fold((f32::MAX, 0.0f32), |(a, b), &w| (a.min(w), b.max(w)));
        assert!(
            min >= max / 2.0,
            "no line under half the longest: {widths:?}"
        );
        for i in 1..widths.len() - 1 {
            assert!(
                !(widths[i] + 0.5 < widths[i - 1] && widths[i] + 0.5 < widths[i + 1]),
                "hourglass: {widths:?}"
            );
        }
    }

    #[test]
    fn a_title_without_any_break_place_still_fits() {
        let title = "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let lines = title_lines(title, 10.0);
        assert_eq!(lines.concat(), title);
        assert!(lines.len() >= 3);
    }
}
