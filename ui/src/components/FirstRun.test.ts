import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import FirstRun from './FirstRun.vue'

afterEach(() => vi.useRealTimers())

describe('FirstRun', () => {
  // Issue 18: loading the sample took seconds with nothing but a spinning button.
  it('shows a moving bar and the seconds so far while the sample loads, and holds the other buttons', async () => {
    vi.useFakeTimers()
    const wrapper = mount(FirstRun, { props: { loading: false, databasePath: '/tmp/q.db' }, global: { plugins: [ElementPlus] } })
    expect(wrapper.find('[data-testid=load-sample-progress]').exists()).toBe(false)
    await wrapper.find('[data-testid=load-sample]').trigger('click')
    expect(wrapper.emitted('load')).toHaveLength(1)

    await wrapper.setProps({ loading: true })
    const progress = wrapper.find('[data-testid=load-sample-progress]')
    expect(progress.exists()).toBe(true)
    expect(progress.find('.el-progress').exists()).toBe(true)
    expect(progress.text()).toContain('已用 0 秒')
    vi.advanceTimersByTime(3000)
    await wrapper.vm.$nextTick()
    expect(wrapper.find('[data-testid=load-sample-progress]').text()).toContain('已用 3 秒')
    expect(wrapper.find('[data-testid=first-run-open]').attributes('disabled')).toBeDefined()

    await wrapper.setProps({ loading: false })
    expect(wrapper.find('[data-testid=load-sample-progress]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=first-run-open]').attributes('disabled')).toBeUndefined()
    wrapper.unmount()
  })
})
