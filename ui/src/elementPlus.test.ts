// Guards the on-demand registration of src/elementPlus.ts and elementPlusComponents.ts: an `<el-…>` tag that is not
// registered renders as an empty unknown element without any error, so a new component used in a
// template must fail here until it (and its stylesheet) is added there.
import { describe, expect, it } from 'vitest'
import { ELEMENT_PLUS_COMPONENTS } from './elementPlusComponents'
// The installer as text: its style imports load CSS, which the test environment cannot.
import installerText from './elementPlus.ts?raw'

// Every .vue file under src/, as text (Vite reads them at build time of the test).
const templates = import.meta.glob<string>('./**/*.vue', { query: '?raw', import: 'default', eager: true })

function kebab(name: string): string {
  return name.replace(/^El/, '').replace(/[A-Z0-9]/g, (c, at: number) => (at > 0 && /[A-Z]/.test(c) ? '-' : '') + c.toLowerCase())
}

function registeredName(tag: string): string {
  return tag.split('-').map((part) => part[0].toUpperCase() + part.slice(1)).join('')
}

const tagsInTemplates = new Set(
  Object.values(templates).flatMap((text) => [...text.matchAll(/<(el-[a-z0-9-]+)/g)].map((m) => m[1])),
)

describe('the Element Plus components registered on demand', () => {
  it('finds the templates it checks (a wrong folder would make the test pass on nothing)', () => {
    expect(tagsInTemplates.has('el-button')).toBe(true)
    expect(tagsInTemplates.size).toBeGreaterThan(20)
  })

  it('registers every <el-…> tag a template uses', () => {
    const missing = [...tagsInTemplates].filter((tag) => !(registeredName(tag) in ELEMENT_PLUS_COMPONENTS))
    expect(missing).toEqual([])
  })

  it('registers nothing no template uses (each one costs start-up time and memory)', () => {
    const used = new Set([...tagsInTemplates].map(registeredName))
    expect(Object.keys(ELEMENT_PLUS_COMPONENTS).filter((name) => !used.has(name))).toEqual([])
  })

  it('loads the stylesheet of every registered component (else it shows unstyled)', () => {
    const unstyled = Object.keys(ELEMENT_PLUS_COMPONENTS).filter(
      (name) => !installerText.includes(`'element-plus/es/components/${kebab(name)}/style/css'`),
    )
    expect(kebab('ElSelectV2')).toBe('select-v2')
    expect(kebab('ElDescriptionsItem')).toBe('descriptions-item')
    expect(unstyled).toEqual([])
  })
})
