// The Element Plus components templates may use (src/elementPlus.ts installs them with their
// styles). Kept apart from the style imports so that a test can read the list without loading CSS.
import type { Component } from 'vue'
import {
  ElAlert, ElAside, ElAutocomplete, ElButton, ElButtonGroup, ElCheckbox, ElContainer, ElDatePicker,
  ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu,
  ElEmpty, ElFooter, ElForm, ElFormItem, ElHeader, ElIcon, ElInput, ElInputNumber, ElLink, ElMain,
  ElOption, ElOptionGroup, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElSelect,
  ElSelectV2, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTree,
} from 'element-plus'

/** The components templates may use, by the name Vue resolves `<el-button>` to. Registered with
 * `app.component` rather than `app.use`: a part such as ElTableColumn or ElOption has an install
 * that does nothing (its parent's install registers it), so `use` would silently skip it. */
export const ELEMENT_PLUS_COMPONENTS: Record<string, Component> = {
  ElAlert, ElAside, ElAutocomplete, ElButton, ElButtonGroup, ElCheckbox, ElContainer, ElDatePicker,
  ElDescriptions, ElDescriptionsItem, ElDialog, ElDrawer, ElDropdown, ElDropdownItem, ElDropdownMenu,
  ElEmpty, ElFooter, ElForm, ElFormItem, ElHeader, ElIcon, ElInput, ElInputNumber, ElLink, ElMain,
  ElOption, ElOptionGroup, ElProgress, ElRadio, ElRadioButton, ElRadioGroup, ElResult, ElSelect,
  ElSelectV2, ElTabPane, ElTable, ElTableColumn, ElTabs, ElTag, ElTimeline, ElTimelineItem, ElTree,
}
