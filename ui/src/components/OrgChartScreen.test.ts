import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { Overview, Organization, Unit } from '../api'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }))
const { default: OrgChartScreen } = await import('./OrgChartScreen.vue')

const node = (id: number, name: string, level: '区' | '街道', children: Overview['tree'] = []) => ({
  id,
  name,
  level,
  designation: null,
  org_template: null,
  unit_count: 0,
  list_count: 0,
  item_count: 0,
  total_item_count: 0,
  children,
})

const overview: Overview = {
  database_path: '/tmp/q.db', read_only: false,
  empty: false,
  item_count: 0,
  tree: [node(1, '青川区', '区', [node(2, '新城街道', '街道')])],
  lists: [],
}

const hostile = '<img src=x onerror="window.pwned=1">部'
const unit = (id: number, name: string): Unit => ({
  id,
  jurisdiction: 2,
  name,
  kind: '行政',
  staffing: {},
  leaders_in_charge: [],
})

function organization(units: Unit[]): Organization {
  return {
    place: { id: 2, parent: 1, name: '新城街道', level: '街道' },
    units,
    leaders: [],
    templates: [
      {
        id: 'baohe-1-7-2',
        name: '一办七部两中心',
        origin: '安徽省合肥市包河区',
        level: '街道',
        description: '',
        slots: [],
      },
    ],
  }
}

describe('OrgChartScreen', () => {
  it('shows the chart only as an image, builds from a template and fetches the chart again', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    let built = false
    invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
      switch (command) {
        case 'street_organization':
          return organization(built ? [unit(10, hostile), unit(11, '城市管理部')] : [])
        case 'org_chart_svg':
          return built ? `<svg><text>${hostile.replace(/</g, '&lt;')}</text></svg>` : '<svg><text>新城街道</text></svg>'
        case 'create_units_from_template':
          expect(args).toEqual({ street: 2, template: 'baohe-1-7-2' })
          built = true
          return organization([])
        default:
          throw { code: 'internal', message: command }
      }
    })
    const wrapper = mount(OrgChartScreen, {
      props: { overview, node: 2 },
      global: { plugins: [ElementPlus] },
    })
    await flushPromises()
    const before = wrapper.find('img[data-testid=org-chart-image]').attributes('src') ?? ''
    expect(before.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true)
    // The SVG is never put into the page (Element Plus's own icons are the only inline SVG).
    expect(wrapper.html()).not.toContain('<text>')

    await wrapper.find('[data-testid=org-build]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('create_units_from_template', { street: 2, template: 'baohe-1-7-2' })
    const after = wrapper.find('img[data-testid=org-chart-image]').attributes('src') ?? ''
    expect(after).not.toBe(before)
    expect(wrapper.emitted('changed')).toHaveLength(1)
    // The hostile unit name is table text; the only image is the chart.
    expect(wrapper.find('[data-testid=org-units]').text()).toContain(hostile)
    expect(wrapper.findAll('img')).toHaveLength(1)
    expect(wrapper.find('[data-testid=org-build]').exists()).toBe(false)
  })

  it('shows a refused build where the user acted', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockImplementation(async (command: string) => {
      if (command === 'street_organization') return organization([])
      if (command === 'org_chart_svg') return '<svg/>'
      throw { code: 'invalid_input', message: '“新城街道”已有机构，只能为还没有机构的街道按模板建立' }
    })
    const wrapper = mount(OrgChartScreen, { props: { overview, node: 2 }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    await wrapper.find('[data-testid=org-build]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=org-build-error]').text()).toContain('已有机构')
  })

  // Regression (issue 11): adding a leader (or saving staffing and 分管) changed org findings
  // but the screen said nothing, so the checks stayed stale until 重新检查.
  it('announces a new leader as a change, so the app re-runs the checks', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
      switch (command) {
        case 'street_organization':
          return organization([unit(10, '城市管理部')])
        case 'org_chart_svg':
          return '<svg/>'
        case 'add_leader':
          expect(args).toEqual({ jurisdiction: 2, name: '王明', post: '副主任' })
          return { id: 5, jurisdiction: 2, name: '王明', post: '副主任' }
        default:
          throw { code: 'internal', message: command }
      }
    })
    const wrapper = mount(OrgChartScreen, { props: { overview, node: 2 }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    await wrapper.find('input[data-testid=leader-name]').setValue('王明')
    await wrapper.find('input[data-testid=leader-post]').setValue('副主任')
    await wrapper.find('[data-testid=leader-add]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('add_leader', { jurisdiction: 2, name: '王明', post: '副主任' })
    expect(wrapper.emitted('changed')).toHaveLength(1)
  })

  // Issue 17 item 6: a community is offered too (it used to be refused with “不是街道”), and a
  // 两委 member is added with the seats held — 书记 and 主任 one person (一肩挑).
  it('offers a community and adds a 两委 member with seats', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    const withCommunity: Overview = {
      ...overview,
      tree: [node(1, '青川区', '区', [node(2, '新城街道', '街道', [{ ...node(3, '青溪社区', '街道'), level: '社区' }])])],
    }
    invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
      switch (command) {
        case 'street_organization':
          expect(args).toEqual({ street: 3 })
          return { ...organization([unit(30, '网格管理站')]), place: { id: 3, parent: 2, name: '青溪社区', level: '社区' } }
        case 'org_chart_svg':
          return '<svg/>'
        case 'add_leader':
          expect(args).toEqual({ jurisdiction: 3, name: '王芳', post: '', seats: ['党组织书记', '居委会主任'] })
          return { id: 7, jurisdiction: 3, name: '王芳', post: '党组织书记、居委会主任', seats: ['党组织书记', '居委会主任'] }
        default:
          throw { code: 'internal', message: command }
      }
    })
    const wrapper = mount(OrgChartScreen, { props: { overview: withCommunity, node: 3 }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    expect(wrapper.text()).toContain('两委成员')
    const screen = wrapper.vm as unknown as { leaderSeats: string[] }
    screen.leaderSeats = ['党组织书记', '居委会主任']
    await wrapper.find('input[data-testid=leader-name]').setValue('王芳')
    await wrapper.find('[data-testid=leader-add]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('add_leader', { jurisdiction: 3, name: '王芳', post: '', seats: ['党组织书记', '居委会主任'] })
  })

  // Issue 18: the 编辑 column was fixed to the right and lay over 编制 in a narrow pane; a unit
  // (a template slot too) could not be renamed, added or deleted; the places read 云岭镇（街道）.
  it('keeps the unit actions in a column of their own, renames a template slot and adds a unit', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    const town = { ...node(4, '云岭镇', '街道'), designation: '镇' }
    const withTown: Overview = { ...overview, tree: [node(1, '青川区', '区', [node(2, '新城街道', '街道'), town])] }
    const slotted = { ...unit(10, '城市管理部'), template_slot: '城市管理部' }
    invoke.mockImplementation(async (command: string, args: Record<string, unknown>) => {
      switch (command) {
        case 'street_organization':
          return organization([slotted])
        case 'org_chart_svg':
          return '<svg width="400" height="100"/>'
        case 'rename_unit':
          return { ...slotted, name: args.name }
        case 'create_unit':
          return { ...unit(11, String(args.name)), kind: args.kind }
        case 'delete_unit':
          return slotted
        default:
          throw { code: 'internal', message: command }
      }
    })
    const wrapper = mount(OrgChartScreen, {
      props: { overview: withTown, node: 2 },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await flushPromises()
    const screen = wrapper.vm as unknown as { streets: Array<{ label: string }> }
    expect(screen.streets.map((s) => s.label)).toEqual(['新城街道', '云岭镇'])

    const actions = wrapper.find('[data-testid=unit-edit-10]').element.closest('td')!
    expect(actions.className).not.toContain('fixed')
    expect(wrapper.find('.el-table-fixed-column--right').exists()).toBe(false)

    await wrapper.find('[data-testid=unit-rename-10]').trigger('click')
    await flushPromises()
    const prompt = document.querySelector<HTMLInputElement>('.el-message-box input')!
    expect(document.querySelector('.el-message-box')?.textContent).toContain('城市管理部')
    prompt.value = '城市管理办公室'
    prompt.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('.el-message-box .el-button--primary')!.click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('rename_unit', { unit: 10, name: '城市管理办公室' })

    await wrapper.find('input[data-testid=unit-add-name]').setValue('营商环境服务中心')
    await wrapper.find('[data-testid=unit-add]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('create_unit', { jurisdiction: 2, name: '营商环境服务中心', kind: '行政' })
    expect(wrapper.emitted('changed')).toHaveLength(2)
    wrapper.unmount()
    document.body.innerHTML = ''
  })

  it('fits the chart to the width it has and zooms by steps from there', async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    invoke.mockImplementation(async (command: string) => {
      if (command === 'street_organization') return organization([unit(10, '城市管理部')])
      if (command === 'org_chart_svg') return '<svg width="800" height="300"/>'
      throw { code: 'internal', message: command }
    })
    const wrapper = mount(OrgChartScreen, { props: { overview, node: 2 }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    const image = () => wrapper.find('img[data-testid=org-chart-image]')
    expect(image().attributes('style')).toContain('width: 100%')
    expect(wrapper.find('[data-testid=org-zoom-text]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=org-zoom-fit]').classes()).toContain('el-button--primary')
    Object.defineProperty(image().element, 'naturalWidth', { value: 800 })
    await image().trigger('load')
    await wrapper.find('[data-testid=org-zoom-actual]').trigger('click')
    expect(image().attributes('style')).toContain('width: 800px')
    await wrapper.find('[data-testid=org-zoom-in]').trigger('click')
    expect(image().attributes('style')).toContain('width: 1000px')
    expect(wrapper.find('[data-testid=org-zoom-text]').text()).toBe('125%')
    await wrapper.find('[data-testid=org-zoom-fit]').trigger('click')
    expect(image().attributes('style')).toContain('width: 100%')
    // The settings column folds away for a wider chart.
    await wrapper.find('[data-testid=org-side-toggle]').trigger('click')
    expect((wrapper.find('.side').element as HTMLElement).style.display).toBe('none')
  })

  // Issue 19: another user's change of a database on a server (the app counts them in
  // othersChanges) has the chart read again; before, it stayed as first read until reopened.
  it("reads the organization and chart again when another user's change arrives", async () => {
    ;(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {}
    invoke.mockReset()
    let name = '城市管理部'
    invoke.mockImplementation(async (command: string) => {
      if (command === 'street_organization') return organization([unit(10, name)])
      if (command === 'org_chart_svg') return '<svg/>'
      throw { code: 'internal', message: command }
    })
    const wrapper = mount(OrgChartScreen, {
      props: { overview, node: 2, othersChanges: 0 },
      global: { plugins: [ElementPlus] },
    })
    await flushPromises()
    expect(wrapper.text()).toContain('城市管理部')
    name = '综合执法部'
    await wrapper.setProps({ othersChanges: 1 })
    await flushPromises()
    expect(invoke.mock.calls.filter(([command]) => command === 'street_organization')).toHaveLength(2)
    expect(wrapper.text()).toContain('综合执法部')
  })
})
