//! Extra fields addressed by header and occurrence (the standard fields are read by
//! `quanze_domain::fields`).

use quanze_domain::{ExtraField, Item};

use super::errors::EditError;

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
                name: item.label(),
                header: header.to_string(),
                index,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
