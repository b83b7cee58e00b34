// The 两委 seats a community member can hold, in the order the form offers them. The words are
// the generated `CommitteeSeat` type's; the type check fails if one is misspelt or missing.
import type { CommitteeSeat } from '../api'

const ORDER = {
  党组织书记: 0,
  党组织副书记: 1,
  党组织委员: 2,
  居委会主任: 3,
  居委会副主任: 4,
  居委会委员: 5,
  监委会主任: 6,
  监委会委员: 7,
} satisfies Record<CommitteeSeat, number>

export const COMMITTEE_SEATS = Object.keys(ORDER) as CommitteeSeat[]
