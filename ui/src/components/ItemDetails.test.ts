import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ItemDetails from './ItemDetails.vue'

describe('ItemDetails', () => {
  it('renders untrusted workbook text as text, never as HTML', () => {
    const evil = '<img src=x onerror="window.pwned=1">违法建设'
    const wrapper = mount(ItemDetails, {
      props: {
        item: { id: 1, name: evil, extra: [{ header: '<b>表头</b>', value: '<script>x()</script>' }] },
        units: {},
      },
    })
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.find('b').exists()).toBe(false)
    expect(wrapper.find('script').exists()).toBe(false)
    const text = wrapper.text()
    expect(text).toContain(evil)
    expect(text).toContain('<b>表头</b>')
    expect(text).toContain('<script>x()</script>')
  })
})
