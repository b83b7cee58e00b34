import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import WorkProgressBar from './WorkProgressBar.vue'

describe('WorkProgressBar', () => {
  it('shows the step and how far, and asks to cancel once', async () => {
    const wrapper = mount(WorkProgressBar, {
      props: { progress: { step: '正在生成 临江社区（2/4）', done: 1, total: 4 }, cancelling: false },
      global: { plugins: [ElementPlus] },
    })
    expect(wrapper.find('[data-testid=work-progress-step]').text()).toBe('正在生成 临江社区（2/4）')
    expect(wrapper.text()).toContain('25%')
    await wrapper.find('[data-testid=work-cancel]').trigger('click')
    expect(wrapper.emitted('cancel')).toHaveLength(1)
    await wrapper.setProps({ cancelling: true })
    expect(wrapper.find('[data-testid=work-progress-step]').text()).toBe('正在取消…')
    expect(wrapper.find('[data-testid=work-cancel]').attributes('disabled')).toBeDefined()
  })
})
