// Boot check: a classic script that runs before the app's module. It records what fails while
// the page loads (a script or style that does not load, an error thrown while the app starts)
// and, when the app has not appeared 15 s later, shows that in Chinese with a 重新加载 button
// instead of leaving an empty window. It writes text only (textContent), never HTML.
;(function () {
  'use strict'
  var problems = []
  window.__quanzeBootProblems = problems
  function note(text) {
    if (problems.length < 20) problems.push(String(text).slice(0, 300))
  }
  window.addEventListener(
    'error',
    function (event) {
      var target = event.target
      if (target && target !== window && (target.src || target.href)) {
        note('未能载入：' + (target.src || target.href))
      } else {
        note('脚本错误：' + (event.message || '未知错误') + (event.filename ? '（' + event.filename + ':' + event.lineno + '）' : ''))
      }
    },
    true,
  )
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason
    note('未处理的异常：' + (reason && reason.message ? reason.message : String(reason)))
  })
  window.setTimeout(function () {
    var app = document.getElementById('app')
    if (!app || app.childElementCount > 0) return
    window.__quanzeBootFailed = true
    var box = document.createElement('div')
    box.className = 'boot-failed'
    box.setAttribute('role', 'alert')
    box.setAttribute('data-testid', 'boot-failed')
    var title = document.createElement('h2')
    title.textContent = '界面未能载入'
    var hint = document.createElement('p')
    hint.textContent = '程序窗口在 15 秒内没有显示出来。请点击“重新加载”；如仍不行，请关闭程序后重新打开，并把下面的信息告知技术支持。'
    var details = document.createElement('pre')
    details.textContent = problems.length ? problems.join('\n') : '（没有记录到错误）'
    var reload = document.createElement('button')
    reload.type = 'button'
    reload.textContent = '重新加载'
    reload.addEventListener('click', function () {
      window.location.reload()
    })
    box.appendChild(title)
    box.appendChild(hint)
    box.appendChild(details)
    box.appendChild(reload)
    document.body.appendChild(box)
  }, 15000)
})()
