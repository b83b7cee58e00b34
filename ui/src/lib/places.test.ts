import { describe, expect, it } from 'vitest'
import { childLevel, designationsFor, kindNeedsUnit, listKindsFor, organizedPlaceOptions, placeLabel } from './places'
import { node, sampleTree } from './fixtures'

describe('places as a clerk names them', () => {
  it('says 云岭镇, not 云岭镇（街道）, and adds the word only when the name does not say it', () => {
    expect(placeLabel({ name: '云岭镇', level: '街道', designation: '镇' })).toBe('云岭镇')
    // A town recorded without its designation still reads as a town.
    expect(placeLabel({ name: '云岭镇', level: '街道', designation: null })).toBe('云岭镇')
    expect(placeLabel({ name: '青溪街道', level: '街道', designation: null })).toBe('青溪街道')
    expect(placeLabel({ name: '桃源村', level: '社区', designation: '村' })).toBe('桃源村')
    expect(placeLabel({ name: '东城', level: '街道', designation: null })).toBe('东城（街道）')
    expect(placeLabel({ name: '南岗', level: '社区', designation: '村' })).toBe('南岗（村）')
  })

  it('lists streets with their communities under them, indented, without the level in brackets', () => {
    const tree = sampleTree()
    tree[0]!.children.push(node(6, '北城', '街道'))
    expect(organizedPlaceOptions(tree).map((o) => o.label)).toEqual(['东门街道', '　东门社区', '青山镇', '　石桥村', '北城（街道）'])
  })

  it('offers the list kinds a place can keep, from the backend table', () => {
    expect(listKindsFor('社区', false)).toContain('依法履职')
    expect(listKindsFor('社区', false)).not.toContain('基本履职')
    expect(listKindsFor('街道', false)).not.toContain('任务清单')
    expect(listKindsFor('街道', true)).toContain('任务清单')
    expect(listKindsFor('区', false)).toEqual(['权责清单'])
    expect(kindNeedsUnit('责任清单')).toBe(true)
    expect(kindNeedsUnit('权责清单')).toBe(false)
  })

  it('names the level below and the words a place may call itself', () => {
    expect(childLevel('区')).toBe('街道')
    expect(childLevel('街道')).toBe('社区')
    expect(childLevel('社区')).toBeNull()
    expect(designationsFor('街道')).toEqual(['街道', '镇', '乡'])
    expect(designationsFor('社区')).toEqual(['社区', '村'])
  })
})
