// The Element Plus components this app uses, and only those, with their styles.
//
// Why not `app.use(ElementPlus)`: that registers all ~120 components and loads the stylesheet of
// every one; the page then parses and keeps ~0.5 MB of script and ~0.2 MB of CSS rules it never
// uses, before the first screen can show (issue 18: start ≤ 1 s, memory). Each component below
// brings its own stylesheet (`style/css`, which also pulls in the styles of the components it is
// built from: a select's popper and tags, a table's checkbox and tooltip).
//
// elementPlus.test.ts reads every template under src/ and fails when an `<el-…>` tag is used that
// is not in elementPlusComponents.ts (an unregistered tag renders as an empty unknown element,
// silently), or when a registered component has no style import here.
import type { App } from 'vue'
import { ElLoading, ElMessage, ElMessageBox, provideGlobalConfig } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { ELEMENT_PLUS_COMPONENTS } from './elementPlusComponents'

import 'element-plus/es/components/base/style/css'
import 'element-plus/es/components/alert/style/css'
import 'element-plus/es/components/autocomplete/style/css'
import 'element-plus/es/components/button/style/css'
import 'element-plus/es/components/button-group/style/css'
import 'element-plus/es/components/checkbox/style/css'
import 'element-plus/es/components/container/style/css'
import 'element-plus/es/components/aside/style/css'
import 'element-plus/es/components/header/style/css'
import 'element-plus/es/components/main/style/css'
import 'element-plus/es/components/footer/style/css'
import 'element-plus/es/components/date-picker/style/css'
import 'element-plus/es/components/descriptions/style/css'
import 'element-plus/es/components/descriptions-item/style/css'
import 'element-plus/es/components/dialog/style/css'
import 'element-plus/es/components/drawer/style/css'
import 'element-plus/es/components/dropdown/style/css'
import 'element-plus/es/components/dropdown-item/style/css'
import 'element-plus/es/components/dropdown-menu/style/css'
import 'element-plus/es/components/empty/style/css'
import 'element-plus/es/components/form/style/css'
import 'element-plus/es/components/form-item/style/css'
import 'element-plus/es/components/icon/style/css'
import 'element-plus/es/components/input/style/css'
import 'element-plus/es/components/input-number/style/css'
import 'element-plus/es/components/link/style/css'
import 'element-plus/es/components/loading/style/css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/option/style/css'
import 'element-plus/es/components/option-group/style/css'
import 'element-plus/es/components/progress/style/css'
import 'element-plus/es/components/radio/style/css'
import 'element-plus/es/components/radio-button/style/css'
import 'element-plus/es/components/radio-group/style/css'
import 'element-plus/es/components/result/style/css'
import 'element-plus/es/components/select/style/css'
import 'element-plus/es/components/select-v2/style/css'
import 'element-plus/es/components/tab-pane/style/css'
import 'element-plus/es/components/table/style/css'
import 'element-plus/es/components/table-column/style/css'
import 'element-plus/es/components/tabs/style/css'
import 'element-plus/es/components/tag/style/css'
import 'element-plus/es/components/timeline/style/css'
import 'element-plus/es/components/timeline-item/style/css'
import 'element-plus/es/components/tree/style/css'

export function installElementPlus(app: App): void {
  provideGlobalConfig({ locale: zhCn }, app, true)
  for (const [name, component] of Object.entries(ELEMENT_PLUS_COMPONENTS)) app.component(name, component)
  // v-loading, and the app context (so the Chinese locale) for ElMessage and ElMessageBox calls.
  app.use(ElLoading)
  app.use(ElMessage)
  app.use(ElMessageBox)
}
