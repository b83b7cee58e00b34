import { describe, expect, it } from 'vitest'
import { departmentOfAnotherPlace, placeOf, workbookPaths } from './importTarget'

describe('importTarget', () => {
  it('takes only workbooks from dropped files', () => {
    expect(workbookPaths(['/a/清单.XLS', '/a/说明.pdf', '/a/b.xlsx', '/a/c.csv', '/a/d.ods', '/a/xls'])).toEqual([
      '/a/清单.XLS',
      '/a/b.xlsx',
      '/a/c.csv',
      '/a/d.ods',
    ])
  })

  it('names the city or prefecture a department belongs to, not a district\'s own', () => {
    expect(placeOf('克拉玛依市生态环境局')).toBe('克拉玛依市')
    expect(placeOf('伊犁哈萨克自治州林业和草原局')).toBe('伊犁哈萨克自治州')
    expect(placeOf('青川区水务局')).toBeNull()
  })

  it('asks about a 市 department filed under a 区 of another place only', () => {
    expect(departmentOfAnotherPlace('克拉玛依市生态环境局', '青川区')).toBe('克拉玛依市')
    expect(departmentOfAnotherPlace('克拉玛依市生态环境局', '克拉玛依市白碱滩区')).toBeNull()
    expect(departmentOfAnotherPlace('克拉玛依市白碱滩区生态环境局', '白碱滩区')).toBeNull()
    expect(departmentOfAnotherPlace('青川区水务局', '青川区')).toBeNull()
    expect(departmentOfAnotherPlace('克拉玛依市生态环境局', null)).toBeNull()
  })
})
