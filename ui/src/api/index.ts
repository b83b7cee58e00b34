// The one door to the backend. Every call to the desktop shell goes through this module: no
// other file imports `invoke`. Types come from `bindings.ts`, generated from the Rust types.
//
// A failed call rejects with a `QuanzeError` carrying the backend's `ApiError` (`code` and a
// Chinese `message`). Show the message; branch on the code only.

import { Channel, invoke } from '@tauri-apps/api/core'
import { open as openDialog, save as saveDialog } from '@tauri-apps/plugin-dialog'
import { getCurrentWebview } from '@tauri-apps/api/webview'
import type {
  AdjustmentNoticeRequest,
  AdmissionApplication,
  AdmissionApplied,
  AdmissionDecision,
  AdmissionOutcome,
  AdmissionRequest,
  ApiError,
  AuditEntry,
  FieldRef,
  ListFind,
  ListOutline,
  BackupFile,
  ChangeProposal,
  ChangeRequest,
  ChangeReview,
  ChangeState,
  EditBatch,
  EditOutcome,
  ErrorCode,
  ExportRequest,
  ExportSummary,
  ImportOptions,
  ImportPreview,
  ImportReport,
  ImportUndone,
  Item,
  ItemLocation,
  ItemPage,
  Jurisdiction,
  Leader,
  ListKind,
  LoadCounts,
  MergeOptions,
  MergeReport,
  NoticeFormat,
  NoticeFields,
  NoticePreview,
  NoticeRequest,
  PendingAdmission,
  PosterChoices,
  PosterSettings,
  PostersWritten,
  PrintJob,
  PrintRequest,
  Printer,
  Organization,
  CommitteeSeat,
  Unit,
  UnitStaffingEdit,
  Overview,
  PreviewOptions,
  PublishRequest,
  RecentFile,
  Report,
  RestoreOutcome,
  SearchHit,
  Statistics,
  VersionComparison,
  VersionSummary,
  Waiver,
  WorkProgress,
} from './bindings'
import type { DutyList, ListDeleted, NewList, Operator, PageRenewalAdvice, ServerChange, ServerLogin, UnitKind } from './bindings'

export type * from './bindings'
/** The admission process's moves, generated from the backend's rule (never a copy of it here). */
export { ADMISSION_MOVES, OVERLAP_CONFIDENCE_LABELS } from './bindings'
/** The review moves of a change request (调整申请), generated from `ChangeState::can_move_to`. */
export { CHANGE_MOVES } from './bindings'

/** The codes the backend can send (kept in step with `ErrorCode` by the type below). */
const ERROR_CODES = {
  not_found: true,
  invalid_input: true,
  invalid_bundle: true,
  database_too_new: true,
  not_a_database: true,
  read_only: true,
  procedure_refused: true,
  io: true,
  file_exists: true,
  database: true,
  font_missing: true,
  export: true,
  cancelled: true,
  printing: true,
  admission_refused: true,
  edit_conflict: true,
  permission_denied: true,
  internal: true,
} satisfies Record<ErrorCode, true>

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, value)
}

/** A failed backend call: the `ApiError` it returned, as a throwable `Error`. */
export class QuanzeError extends Error implements ApiError {
  readonly code: ErrorCode
  /** The separate reasons the message joins, when the backend gives them (a refusal at 准入). */
  readonly reasons?: string[]

  constructor(error: ApiError) {
    super(error.message)
    this.name = 'QuanzeError'
    this.code = error.code
    if (error.reasons) this.reasons = error.reasons
  }
}

/**
 * Turn whatever a rejected `invoke` gave into a `QuanzeError`. The shell sends `ApiError`
 * objects; Tauri itself rejects with a plain string (an unknown command, a refused permission,
 * not running inside the desktop app), which becomes `internal`.
 */
export function toQuanzeError(reason: unknown): QuanzeError {
  if (reason instanceof QuanzeError) return reason
  if (typeof reason === 'object' && reason !== null) {
    const { code, message, reasons } = reason as { code?: unknown; message?: unknown; reasons?: unknown }
    if (isErrorCode(code) && typeof message === 'string') {
      const listed = Array.isArray(reasons) ? reasons.filter((r): r is string => typeof r === 'string') : []
      return new QuanzeError(listed.length > 0 ? { code, message, reasons: listed } : { code, message })
    }
    if (reason instanceof Error) {
      return new QuanzeError({ code: 'internal', message: reason.message })
    }
  }
  const text = typeof reason === 'string' && reason.trim() !== '' ? reason : '未知错误'
  return new QuanzeError({ code: 'internal', message: `程序内部错误：${text}` })
}

/** Whether the page runs inside the desktop app (and not in a plain browser tab). */
export function insideDesktopApp(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!insideDesktopApp()) {
    throw new QuanzeError({
      code: 'internal',
      message: '界面不在桌面程序中运行，无法读取数据库。请用“权责清单编辑器”程序打开。',
    })
  }
  try {
    return await invoke<T>(command, args)
  } catch (reason) {
    throw toQuanzeError(reason)
  }
}

/** A channel the shell sends progress on; the command needs one even when nobody listens. */
function progressChannel(onProgress?: (progress: WorkProgress) => void): Channel<WorkProgress> {
  const channel = new Channel<WorkProgress>()
  if (onProgress) channel.onmessage = onProgress
  return channel
}

/** Packages are YAML (`<辖区名>.qzb.yaml`), or JSON. */
const PACKAGE_FILTERS = [{ name: '数据包', extensions: ['yaml', 'yml', 'json'] }]

/** Items per page in tables. */
export const PAGE_SIZE = 200

/** Most search hits asked for at once. */
export const SEARCH_LIMIT = 200

/** Items asked for per call when a whole list is loaded into the editor (the backend's most). */
export const LOAD_CHUNK = 5000

export const api = {
  /** The jurisdiction tree with counts, every list, and whether the database is empty. */
  overview: () => call<Overview>('overview'),

  /** One page of a list's items. */
  listItems: (list: number, offset = 0, limit = PAGE_SIZE) =>
    call<ItemPage>('list_items', { list, offset, limit }),

  /** A list's item ids by position and the columns its items need, without the items. */
  listOutline: (list: number) => call<ListOutline>('list_outline', { list }),

  /** The rows of a list whose cells in `fields` hold `query`, as the editor's find box shows them. */
  findInList: (list: number, query: string, fields: FieldRef[]) =>
    call<ListFind>('find_in_list', { list, query, fields }),

  /** Items matching every term of `query` (two characters are enough), with their lists. */
  search: (query: string, limit = SEARCH_LIMIT) => call<SearchHit[]>('search', { query, limit }),

  /** The newest audit-log entries. */
  history: (limit = 100) => call<AuditEntry[]>('history', { limit }),

  /** Load the built-in sample district into the (empty) database. */
  loadSampleDistrict: () => call<LoadCounts>('load_sample_district'),

  /** Every item of a list, in order (several calls for a long list), with the unit names. */
  async allItems(list: number): Promise<ItemPage> {
    const first = await call<ItemPage>('list_items', { list, offset: 0, limit: LOAD_CHUNK })
    const items: Item[] = [...first.items]
    const unitNames = { ...first.unit_names }
    while (items.length < first.total) {
      const next = await call<ItemPage>('list_items', { list, offset: items.length, limit: LOAD_CHUNK })
      if (next.items.length === 0) break
      items.push(...next.items)
      Object.assign(unitNames, next.unit_names)
    }
    return { ...first, items, unit_names: unitNames }
  },

  /** The audit log of one item, newest first. */
  itemHistory: (item: number, limit = 50) => call<AuditEntry[]>('item_history', { item, limit }),

  /** Where an item is: its list, jurisdiction and index. */
  itemLocation: (item: number) => call<ItemLocation>('item_location', { item }),

  /** Apply a batch of edits in one transaction; the answer carries the batch that undoes it. */
  editItems: (batch: EditBatch) => call<EditOutcome>('edit_items', { batch }),

  /** Run every check (only findings about `jurisdiction` and below, when given); reading the
   * data and each rule are reported to `onProgress`. Stopped by `cancelChecks` with code
   * `cancelled`, and so is a run still under way when a newer one starts. */
  runChecks: (jurisdiction: number | null = null, onProgress?: (progress: WorkProgress) => void) =>
    call<Report>('run_checks', { jurisdiction, onProgress: progressChannel(onProgress) }),

  /** 取消 in the checks panel: the checks under way stop before their next rule. An import or
   * poster export under way goes on (it has its own `cancelLongWork`). */
  cancelChecks: () => call<null>('cancel_checks'),

  /** 豁免 a finding with a reason (audited). */
  waive: (findingKey: string, reason: string) => call<Waiver>('waive', { findingKey, reason }),

  /** 撤销豁免: the finding counts again (audited); answers the waiver withdrawn. */
  withdrawWaiver: (findingKey: string) => call<Waiver>('withdraw_waiver', { findingKey }),

  /** What a workbook would give, without importing it. */
  importPreview: (path: string, options: PreviewOptions) =>
    call<ImportPreview>('import_preview', { path, options }),

  /** Import workbooks in one transaction; each step is reported to `onProgress`. Stopped by
   * `cancelLongWork` with code `cancelled` (nothing written). */
  importFiles: (paths: string[], options: ImportOptions, onProgress?: (progress: WorkProgress) => void) =>
    call<ImportReport>('import_files', { paths, options, onProgress: progressChannel(onProgress) }),

  /** 撤销导入: the last import of this session taken back (lists as they were, what it created
   * deleted), while nothing else has been written since (else code `procedure_refused`). */
  undoImport: () => call<ImportUndone>('undo_import'),

  /** The columns a notice can show and the defaults of a list kind. */
  noticeFields: (kind: ListKind) => call<NoticeFields>('notice_fields', { kind }),

  /** The lists that make up a street's (three) or a community's (four) published notice. */
  noticeListsOf: (jurisdiction: number) => call<number[]>('notice_lists_of', { jurisdiction }),

  /** The notice as HTML (stylesheet linked, no script) plus the stylesheet's text. */
  noticePreview: (request: NoticeRequest) => call<NoticePreview>('notice_preview', { request }),

  /** Write the notice as PDF or Excel to an absolute path; answers the path written. An existing
   * file is replaced only with `replace` (else the code is `file_exists`: ask the user first). */
  writeNotice: (request: NoticeRequest, format: NoticeFormat, path: string, replace = false) =>
    call<string>('write_notice', { request, format, path, replace }),

  /** Posters of every community of a street as PDF into a folder (one file each, or one file);
   * each poster is reported to `onProgress`. Stopped by `cancelLongWork` with code `cancelled`. */
  writePosters: (
    jurisdiction: number,
    folder: string,
    singleFile: boolean,
    settings: PosterSettings | null,
    onProgress?: (progress: WorkProgress) => void,
  ) =>
    call<PostersWritten>('write_posters', {
      jurisdiction,
      folder,
      singleFile,
      settings,
      onProgress: progressChannel(onProgress),
    }),

  /** What a street's posters show (its saved settings, or every list with its 承办机构) and
   * the lists and columns one can choose. */
  posterChoices: (jurisdiction: number) => call<PosterChoices>('poster_choices', { jurisdiction }),

  /** Keep poster settings as the street's own; `null` goes back to the default. */
  savePosterSettings: (street: number, settings: PosterSettings | null) =>
    call<PosterChoices>('save_poster_settings', { street, settings }),

  /** Open a file this session wrote (a notice, a poster), or its folder, with the system's own
   * program; any other path is refused. */
  openWrittenFile: (path: string, folder: boolean) => call<null>('open_written_file', { path, folder }),

  /** The printers of the system's print service, the default first; code `printing` when there
   * is no print service. */
  printers: () => call<Printer[]>('printers'),

  /** 打印… in the 公示 screen: the notice as PDF in a temporary folder, ready for the print
   * form; answers its path. */
  writeNoticeForPrinting: (request: NoticeRequest) => call<string>('write_notice_for_printing', { request }),

  /** 打印: files this session wrote, as one job (any other path is refused). */
  printFiles: (request: PrintRequest) => call<PrintJob>('print_files', { request }),

  /** 取消: ask the import or poster export under way to stop at its next step. */
  cancelLongWork: () => call<null>('cancel_long_work'),

  /** At a change of screen, when the page could be loaded again at once: whether it should, to
   * let go of WebKit's memory (crates/quanze-api/src/page_renewal.rs, lib/pageRenewal.ts). */
  pageRenewalAdvice: () => call<PageRenewalAdvice>('page_renewal_advice'),

  /** Renew the page: the shell keeps `place` (lib/pageRenewal.ts), ends the web process and
   * loads the page in a new one; code `invalid_input` when the place is too large to keep. */
  renewPage: (place: string) => call<null>('renew_page', { place }),

  /** The place a renewal kept, handed out once; null at a start. */
  takePagePlace: () => call<string | null>('take_page_place'),

  /** A street's or community's units, leaders (两委 members) and the org templates of its level. */
  organization: (place: number) => call<Organization>('street_organization', { street: place }),

  /** A street's or community's org chart as SVG text (shown only as an image). */
  orgChartSvg: (street: number) => call<string>('org_chart_svg', { street }),

  /** A new street under a district. */
  createStreet: (district: number, name: string) => call<Jurisdiction>('create_street', { district, name }),

  /** 新增下级辖区: a street under a district, a community under a street (a district at the top
   * when `parent` is null); `designation` 镇, 村 … when the place is called so. */
  createJurisdiction: (parent: number | null, name: string, designation: string | null) =>
    call<Jurisdiction>('create_jurisdiction', { parent, name, designation }),

  /** Rename a jurisdiction and set what it calls itself (null: the level's own word). */
  renameJurisdiction: (jurisdiction: number, name: string, designation: string | null) =>
    call<Jurisdiction>('rename_jurisdiction', { jurisdiction, name, designation }),

  /** Delete an empty jurisdiction (refused with `procedure_refused` naming what it holds). */
  deleteJurisdiction: (jurisdiction: number) => call<Jurisdiction>('delete_jurisdiction', { jurisdiction }),

  /** The units of one jurisdiction (a district's departments too). */
  unitsOf: (jurisdiction: number) => call<Unit[]>('units_of', { jurisdiction }),

  /** A new unit (department, office, station) of a jurisdiction. */
  createUnit: (jurisdiction: number, name: string, kind: UnitKind) =>
    call<Unit>('create_unit', { jurisdiction, name, kind }),

  /** Rename a unit (one built from a template keeps the slot it fills). */
  renameUnit: (unit: number, name: string) => call<Unit>('rename_unit', { unit, name }),

  /** Delete a unit nothing refers to (refused with `procedure_refused` naming what does). */
  deleteUnit: (unit: number) => call<Unit>('delete_unit', { unit }),

  /** A new, empty list of a jurisdiction or one of its units. */
  createList: (list: NewList) => call<DutyList>('create_list', { list }),

  renameList: (list: number, name: string) => call<DutyList>('rename_list', { list, name }),

  /** Delete a list with its items (refused once published, under review or admitted). */
  deleteList: (list: number) => call<ListDeleted>('delete_list', { list }),

  /** 操作人: who the audit log names for this computer's changes, and whether it was chosen. */
  operator: () => call<Operator>('operator'),

  /** Choose the 操作人 (an empty name goes back to the system's user name). */
  setOperator: (name: string) => call<Operator>('set_operator', { name }),

  /** Build a street or community that has no units yet from an org template of its level. */
  createUnitsFromTemplate: (place: number, template: string) =>
    call<Organization>('create_units_from_template', { street: place, template }),

  /** Set a unit's staffing and leaders in charge. */
  updateUnitStaffing: (unit: number, edit: UnitStaffingEdit) =>
    call<Unit>('update_unit_staffing', { unit, edit }),

  /** A new member of a jurisdiction's leadership. */
  addLeader: (jurisdiction: number, name: string, post: string, seats: CommitteeSeat[] = []) =>
    call<Leader>('add_leader', seats.length ? { jurisdiction, name, post, seats } : { jurisdiction, name, post }),

  /** Admission requests, oldest first; only one community's when given. */
  admissionRequests: (community: number | null) =>
    call<AdmissionRequest[]>('admission_requests', { community }),

  /** A department's application (新申请); the request starts in 申请. */
  applyForAdmission: (application: AdmissionApplication) =>
    call<AdmissionRequest>('apply_for_admission', { application }),

  /** Move a request one step (提交审核, 准入, 驳回, 撤销). */
  decideAdmission: (decision: AdmissionDecision) =>
    call<AdmissionOutcome>('decide_admission', { decision }),

  /** One application for several communities or a whole street: one request per community,
   *  sharing a batch; warnings say what was accepted anyway (filed late …). */
  applyForAdmissions: (application: AdmissionApplication) =>
    call<AdmissionApplied>('apply_for_admissions', { application }),

  /** Requests waiting for a decision across communities, the most urgent first. */
  pendingAdmissions: () => call<PendingAdmission[]>('pending_admissions'),

  /** A request's 准入审批表 as PDF to a path the user gave; answers the path. */
  writeAdmissionForm: (request: number, path: string) =>
    call<string>('write_admission_form', { request, path }),

  /** Publish a frozen version of a list. */
  publishVersion: (request: PublishRequest) => call<VersionSummary>('publish_version', { request }),

  /** A list's published versions, newest first. */
  versionsOf: (list: number) => call<VersionSummary[]>('versions_of', { list }),

  /** A version against the list as it is now. */
  compareWithVersion: (version: number) => call<VersionComparison>('compare_with_version', { version }),
  /** Two versions of a list compared (the older one is the base); `to` null: the list now. */
  compareVersions: (from: number, to: number | null) => call<VersionComparison>('compare_versions', { from, to }),
  /** The 调整公告 between two versions of a list (numbers, 第 N 版), written to `path`; answers
   * the path written. */
  writeAdjustmentNotice: (request: AdjustmentNoticeRequest, format: NoticeFormat, path: string) =>
    call<string>('write_adjustment_notice', { request, format, path }),

  /** Change requests (调整申请), oldest first: a list's (made to it, or moving an item into it)
   * or all; only one state's when given. */
  changeRequests: (list: number | null, state: ChangeState | null = null) =>
    call<ChangeRequest[]>('change_requests', { list, state }),

  /** File a change request; it starts in 申请 and changes nothing until approved. */
  proposeChange: (proposal: ChangeProposal) => call<ChangeRequest>('propose_change', { proposal }),

  /** Move a request one step (审核中, 同意, 退回); 同意 applies the change to the list(s). */
  reviewChange: (review: ChangeReview) => call<ChangeRequest>('review_change', { review }),

  /** Counts for the statistics screen (whole database, or one jurisdiction and below). */
  statistics: (jurisdiction: number | null) => call<Statistics>('statistics', { jurisdiction }),

  /** The database file in use (also when it could not be opened). */
  databasePath: () => call<string>('database_path'),

  /** The database files opened lately, newest first (missing ones marked). */
  recentFiles: () => call<RecentFile[]>('recent_files'),

  /** Take a file off the recent files (the file itself stays); answers the list. */
  forgetRecentFile: (path: string) => call<RecentFile[]>('forget_recent_file', { path }),

  /** Switch to an existing database file; answers the recent files. */
  openDatabase: (path: string) => call<RecentFile[]>('open_database', { path }),

  /** Create a new empty database file and switch to it; answers the recent files. */
  createDatabase: (path: string) => call<RecentFile[]>('create_database', { path }),

  /** 连接服务器…: the Quanze database on a PostgreSQL server becomes the app's database (the
   * shell builds the URL; the password is kept nowhere); answers the recent files. */
  connectServer: (login: ServerLogin) => call<RecentFile[]>('connect_server', { login }),

  /** The backups in the folder beside the database (`<文件名>.备份`), newest first. */
  backups: () => call<BackupFile[]>('backups'),

  /** 立即备份: a verified backup into the backup folder; answers it. */
  backupNow: () => call<BackupFile>('backup_now'),

  /** Replace the whole database with a backup (the current content is first backed up
   * automatically, 恢复前); a file that is no whole Quanze database is refused unchanged. */
  restoreBackup: (path: string) => call<RestoreOutcome>('restore_backup', { path }),

  /** 导出数据包…: a package of a jurisdiction written to an absolute path (and kept in the
   * database as the base its return is merged against); answers what was written. */
  exportPackage: (request: ExportRequest, out: string) => call<ExportSummary>('export_package', { request, out }),

  /** 合并数据包…: the package compared three ways with the database; written only when not
   * `dry_run` and every conflict is decided (`applied` says which). A damaged package is refused. */
  mergePackage: (path: string, options: MergeOptions) => call<MergeReport>('merge_package', { path, options }),

  /** The 发出单位 a package names when the user gives none. */
  defaultOffice: () => call<string>('default_office'),

  /** Ask where a package goes with the system dialog; null when cancelled. */
  async choosePackageSavePath(defaultPath: string): Promise<string | null> {
    try {
      return await saveDialog({ title: '导出数据包', defaultPath, filters: PACKAGE_FILTERS })
    } catch (reason) {
      throw toQuanzeError(reason)
    }
  },

  /** Ask for a package to merge with the system dialog; null when cancelled. */
  async choosePackageToMerge(): Promise<string | null> {
    try {
      const chosen = await openDialog({ title: '合并数据包', directory: false, multiple: false, filters: PACKAGE_FILTERS })
      return typeof chosen === 'string' ? chosen : null
    } catch (reason) {
      throw toQuanzeError(reason)
    }
  },

  /** Ask for a backup file to restore with the system dialog; null when cancelled. */
  async chooseBackupToRestore(): Promise<string | null> {
    try {
      const chosen = await openDialog({
        title: '选择要恢复的备份',
        directory: false,
        multiple: false,
        filters: [{ name: '权责清单数据库或备份', extensions: ['db', 'sqlite', 'quanze'] }],
      })
      return typeof chosen === 'string' ? chosen : null
    } catch (reason) {
      throw toQuanzeError(reason)
    }
  },

  /** Ask for a database file to open with the system dialog; null when cancelled. */
  async chooseDatabaseToOpen(): Promise<string | null> {
    try {
      const chosen = await openDialog({
        title: '打开数据库',
        directory: false,
        multiple: false,
        filters: [{ name: '权责清单数据库', extensions: ['db', 'sqlite', 'quanze'] }],
      })
      return typeof chosen === 'string' ? chosen : null
    } catch (reason) {
      throw toQuanzeError(reason)
    }
  },

  /** Ask where a new database file goes with the system dialog; null when cancelled. */
  async chooseDatabaseToCreate(): Promise<string | null> {
    try {
      return await saveDialog({
        title: '新建数据库',
        defaultPath: '权责清单.db',
        filters: [{ name: '权责清单数据库', extensions: ['db'] }],
      })
    } catch (reason) {
      throw toQuanzeError(reason)
    }
  },

  /** Ask for a file to save to with the system dialog (titled `title`); null when cancelled. */
  async chooseSavePath(defaultPath: string, format: 'pdf' | 'xlsx', title = '保存公示'): Promise<string | null> {
    const filters = format === 'pdf' ? [{ name: 'PDF', extensions: ['pdf'] }] : [{ name: 'Excel', extensions: ['xlsx'] }]
    try {
      return await saveDialog({ title, defaultPath, filters })
    } catch (reason) {
      throw toQuanzeError(reason)
    }
  },

  /** Other people's changes of the open server database, as they commit (the shell's
   * `server-change` events); `lost` when the shell stops hearing them, `back` when it hears them
   * again (it tries every few seconds; what changed meanwhile was not heard). Answers the
   * function that stops listening. Outside the desktop app nothing arrives. */
  async onServerChanges(
    handler: (change: ServerChange) => void,
    lost: (error: QuanzeError) => void,
    back: () => void,
  ): Promise<() => void> {
    if (!insideDesktopApp()) return () => {}
    const { listen } = await import('@tauri-apps/api/event')
    const stopChanges = await listen<ServerChange>('server-change', (event) => handler(event.payload))
    const stopLost = await listen<unknown>('server-feed-lost', (event) => lost(toQuanzeError(event.payload)))
    const stopBack = await listen<unknown>('server-feed-back', () => back())
    return () => {
      stopChanges()
      stopLost()
      stopBack()
    }
  },

  /** Files dropped onto the window (their paths); answers the function that stops listening.
   * Outside the desktop app nothing is ever dropped. */
  async onFilesDropped(handler: (paths: string[]) => void): Promise<() => void> {
    if (!insideDesktopApp()) return () => {}
    return getCurrentWebview().onDragDropEvent((event) => {
      if (event.payload.type === 'drop') handler(event.payload.paths)
    })
  },

  /** Ask for a workbook to import with the system dialog (选择…); null when cancelled. */
  async chooseWorkbook(): Promise<string | null> {
    try {
      const chosen = await openDialog({
        title: '选择要导入的工作簿',
        multiple: false,
        filters: [{ name: '工作簿（.xls .xlsx .ods .csv）', extensions: ['xls', 'xlsx', 'ods', 'csv', 'XLS', 'XLSX'] }],
      })
      return typeof chosen === 'string' ? chosen : null
    } catch (reason) {
      throw toQuanzeError(reason)
    }
  },

  /** Ask for a folder with the system dialog; null when cancelled. */
  async chooseFolder(title: string): Promise<string | null> {
    try {
      const chosen = await openDialog({ title, directory: true, multiple: false })
      return typeof chosen === 'string' ? chosen : null
    } catch (reason) {
      throw toQuanzeError(reason)
    }
  },
}
