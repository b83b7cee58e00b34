import { describe, expect, it } from 'vitest'
import { COMMON_CATEGORIES, POWER_TYPES } from '../api/bindings'
import { fieldChoices, matchingChoices, outsideChoicesNote } from './choices'

describe('the choices of the 权力类型 and 类别 cells', () => {
  it('offers the ten 权力类型 of the domain, as a closed set', () => {
    const choices = fieldChoices({ standard: 'power_type' }, ['行政备案'])
    expect(choices).toEqual({ values: [...POWER_TYPES], closed: true })
    expect(choices?.values).toHaveLength(10)
    expect(choices?.values[0]).toBe('行政许可')
    expect(choices?.values).toContain('其他行政权力')
  })

  it('offers the common 类别 then the words the list already uses, as an open set', () => {
    const choices = fieldChoices({ standard: 'category' }, ['民生服务', ' 乡村振兴 ', '', '乡村振兴', '文化旅游'])
    expect(choices?.closed).toBe(false)
    expect(choices?.values.slice(0, COMMON_CATEGORIES.length)).toEqual([...COMMON_CATEGORIES])
    expect(choices?.values).toContain('党的建设')
    // Each word once; 民生服务 is already a common one.
    expect(choices?.values.slice(COMMON_CATEGORIES.length).sort()).toEqual(['乡村振兴', '文化旅游'].sort())
  })

  it('offers nothing for fields typed freely and for extra columns', () => {
    expect(fieldChoices({ standard: 'name' })).toBeNull()
    expect(fieldChoices({ extra: { header: '类别', index: 0 } })).toBeNull()
  })

  it('narrows the choices to what is typed, all while the cell is empty or holds one of them', () => {
    expect(matchingChoices(POWER_TYPES, '')).toHaveLength(10)
    expect(matchingChoices(POWER_TYPES, '行政处罚')).toHaveLength(10)
    expect(matchingChoices(POWER_TYPES, '处罚')).toEqual(['行政处罚'])
    expect(matchingChoices(POWER_TYPES, '行政')).toHaveLength(10) // 其他行政权力 too
    expect(matchingChoices(POWER_TYPES, '备案')).toEqual([])
  })

  it('notes a 类别 outside the offered words, kept as written; none for 权力类型 or offered words', () => {
    const categories = fieldChoices({ standard: 'category' }, ['乡村振兴'])!
    expect(outsideChoicesNote('类别', categories, '数字治理')).toBe('类别“数字治理”不是常用的类别，已按所写保存')
    expect(outsideChoicesNote('类别', categories, '党的建设')).toBeNull()
    expect(outsideChoicesNote('类别', categories, '乡村振兴')).toBeNull()
    expect(outsideChoicesNote('类别', categories, '  ')).toBeNull()
    const powers = fieldChoices({ standard: 'power_type' })!
    expect(outsideChoicesNote('权力类型', powers, '行政备案')).toBeNull()
  })
})
