// The standard fields of an item, from the field table generated out of the Rust domain crate
// (`ITEM_FIELDS` in `api/bindings.ts`, from `quanze_domain::ITEM_FIELDS`): the UI keeps no
// copy of its own of the fields' labels or order.

import { ITEM_FIELDS } from '../api/bindings'
import type { ItemField } from '../api'

/** The label of each standard field. */
export const FIELD_LABELS = Object.fromEntries(
  ITEM_FIELDS.map((spec) => [spec.field, spec.label]),
) as Record<ItemField, string>

/** Every standard field, in the order the grid shows them. */
export const ALL_FIELDS: ItemField[] = ITEM_FIELDS.map((spec) => spec.field)
