//! Reading the text typed into a cell: numbers with their units, the 可否出具 answer, and
//! extra fields addressed by header and occurrence.

use quanze_domain::{ExtraField, Item};

use super::errors::{item_label, EditError};

/// Set an extra field. Clearing the last field of a header removes it; clearing an earlier one
/// of a repeated header leaves it empty, so that the later ones keep their index.
pub(super) fn set_extra(
    item: &mut Item,
    header: &str,
    index: u32,
    value: Option<String>,
) -> Result<(), EditError> {
    let at: Vec<usize> = item
        .extra
        .iter()
        .enumerate()
        .filter(|(_, e)| e.header == header)
        .map(|(i, _)| i)
        .collect();
    let wanted = usize::try_from(index).unwrap_or(usize::MAX);
    match (at.get(wanted), value) {
        (Some(&i), Some(value)) => item.extra[i].value = value,
        (Some(&i), None) if wanted + 1 == at.len() => {
            item.extra.remove(i);
        }
        (Some(&i), None) => item.extra[i].value = String::new(),
        (None, Some(value)) if wanted == at.len() => item.extra.push(ExtraField {
            header: header.to_string(),
            value,
        }),
        (None, None) if wanted == at.len() => {}
        (None, _) => {
            return Err(EditError::UnknownExtraField {
                name: item_label(item),
                header: header.to_string(),
                index,
            });
        }
    }
    Ok(())
}

fn strip_suffixes<'t>(text: &'t str, suffixes: &[&str]) -> &'t str {
    let mut rest = text.trim();
    for suffix in suffixes {
        if let Some(stripped) = rest.strip_suffix(suffix) {
            rest = stripped.trim_end();
        }
    }
    rest
}

/// 经费 in 万元 per year: "20", "20.5", "20万元", "20 万元/年".
pub(super) fn parse_amount(text: &str) -> Result<f64, EditError> {
    let number = strip_suffixes(text, &["/年", "每年", "元", "万"]);
    number
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .ok_or(EditError::NotANumber {
            field: "经费（万元/年）",
            value: text.to_string(),
        })
}

/// 人员数: "2", "2人", "2 名".
pub(super) fn parse_count(text: &str) -> Result<u32, EditError> {
    strip_suffixes(text, &["人", "名"])
        .parse::<u32>()
        .map_err(|_| EditError::NotANumber {
            field: "人员数",
            value: text.to_string(),
        })
}

pub(super) fn parse_certificate(text: &str) -> Result<bool, EditError> {
    match text {
        "可出具" | "可以出具" | "可" | "是" | "能" => Ok(true),
        "不得出具" | "不可出具" | "不予出具" | "不可" | "否" | "不能" => Ok(false),
        _ => Err(EditError::NotACertificateAnswer {
            value: text.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_with_their_units() {
        assert_eq!(parse_amount("20"), Ok(20.0));
        assert_eq!(parse_amount("20.5万元"), Ok(20.5));
        assert_eq!(parse_amount("20 万元/年"), Ok(20.0));
        assert!(parse_amount("二十").is_err());
        assert!(parse_amount("-3").is_err());
        assert_eq!(parse_count("2人"), Ok(2));
        assert_eq!(parse_count("3 名"), Ok(3));
        assert!(parse_count("2.5").is_err());
        assert_eq!(parse_certificate("不得出具"), Ok(false));
        assert_eq!(parse_certificate("可出具"), Ok(true));
        assert!(parse_certificate("看情况").is_err());
    }

    #[test]
    fn extra_fields_with_a_repeated_header_keep_their_index() {
        let mut item = Item {
            name: "事项".into(),
            extra: vec![
                ExtraField {
                    header: "备用".into(),
                    value: "a".into(),
                },
                ExtraField {
                    header: "备用".into(),
                    value: "b".into(),
                },
            ],
            ..Item::default()
        };
        set_extra(&mut item, "备用", 0, None).expect("clear first");
        assert_eq!(item.extra[0].value, "");
        assert_eq!(item.extra[1].value, "b");
        set_extra(&mut item, "备用", 1, None).expect("clear last");
        assert_eq!(item.extra.len(), 1);
        set_extra(&mut item, "新列", 0, Some("x".into())).expect("add");
        assert_eq!(
            item.extra[1],
            ExtraField {
                header: "新列".into(),
                value: "x".into()
            }
        );
        assert!(matches!(
            set_extra(&mut item, "新列", 5, Some("y".into())),
            Err(EditError::UnknownExtraField { .. })
        ));
    }
}
