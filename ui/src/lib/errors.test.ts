import { describe, expect, it } from 'vitest'
import { withoutCliHints } from './errors'

describe('withoutCliHints', () => {
  it('leaves out the command-line options a message names, and nothing else', () => {
    expect(
      withoutCliHints('“清单”还有 2 个未处理的红色问题（“重复事项”），不能发布：请先处理或豁免；确需发布，请写明理由（--despite-findings --reason 理由）'),
    ).toBe('“清单”还有 2 个未处理的红色问题（“重复事项”），不能发布：请先处理或豁免；确需发布，请写明理由')
    expect(withoutCliHints('“下放”须指明接收的街道清单（--to-list）')).toBe('“下放”须指明接收的街道清单')
    expect(withoutCliHints('找不到清单 #3')).toBe('找不到清单 #3')
  })
})
