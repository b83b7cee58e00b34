import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { SearchHit } from '../api'
import { item, list } from '../lib/fixtures'
import SearchResults from './SearchResults.vue'

function hit(id: number, name: string, field: string, snippet: string): SearchHit {
  return { item: item(id, { name }), list: list(1, 10), field, snippet }
}

describe('SearchResults', () => {
  it('shows where a hit matched outside its name, the first term marked, as text', () => {
    const hits = [
      hit(1, '消防安全检查', '事项名称', '消防安全检查'),
      hit(2, '占道经营查处', '实施依据', '…《<b>城市</b>消防条例》第十条 消防'),
    ]
    const wrapper = mount(SearchResults, {
      props: { query: '消防 条例', hits, limit: 200, loading: false },
      global: { plugins: [ElementPlus] },
    })
    const rows = wrapper.findAll('[data-testid=search-hit]')
    expect(rows).toHaveLength(2)
    // Found in the name: the name line says it, no snippet line.
    expect(rows[0].find('[data-testid=search-hit-snippet]').exists()).toBe(false)
    expect(rows[0].find('[data-testid=search-hit-name] mark').text()).toBe('消防')
    const snippet = rows[1].find('[data-testid=search-hit-snippet]')
    expect(snippet.text()).toBe('实施依据：…《<b>城市</b>消防条例》第十条 消防')
    expect(snippet.findAll('mark').map((m) => m.text())).toEqual(['消防', '消防'])
    expect(snippet.find('b').exists()).toBe(false)
    expect(rows[1].find('[data-testid=search-hit-name]').text()).toBe('占道经营查处')
  })
})
