import { describe, expect, it } from 'vitest'
import type { ListKind } from '../api'
import { listChoices, moveUp, settingsOf } from './posterSettings'

const offered: Array<[ListKind, string]> = [
  ['依法履职', '依法履行职责事项'],
  ['协助政府', '依法协助政府工作事项'],
  ['负面清单', '负面清单'],
  ['证明事项', '证明事项'],
  ['社区服务清单', '社区服务事项'],
]

describe('poster settings', () => {
  it('puts the chosen lists first in their order, the others after', () => {
    const lists = listChoices(offered, { lists: ['证明事项', '依法履职'], columns: [] })
    expect(lists.map((l) => [l.kind, l.chosen])).toEqual([
      ['证明事项', true],
      ['依法履职', true],
      ['协助政府', false],
      ['负面清单', false],
      ['社区服务清单', false],
    ])
    expect(lists[0].label).toBe('证明事项')
  })

  it('moves a list up and gives the chosen ones in order', () => {
    let lists = listChoices(offered, { lists: ['依法履职', '协助政府', '负面清单'], columns: [] })
    lists = moveUp(lists, 2)
    lists = moveUp(lists, 0)
    expect(settingsOf(lists, ['handling_unit', 'basis'])).toEqual({
      lists: ['依法履职', '负面清单', '协助政府'],
      columns: ['handling_unit', 'basis'],
    })
  })
})
