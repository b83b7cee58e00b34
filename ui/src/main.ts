import { createApp } from 'vue'
// First: the app's own styles (style.css, then each component's) must come after Element Plus's
// in the page, so that they win over them as they did with the full stylesheet.
import { installElementPlus } from './elementPlus'
import './style.css'
import App from './App.vue'
import { recordCspViolations } from './lib/csp'

// Marks of the start for scripts/bench_app.py (where the time between the page's scripts and
// the first screen goes): every import evaluated, then the app mounted.
performance.mark('quanze:scripts-evaluated')
recordCspViolations()
const app = createApp(App)
installElementPlus(app)
app.mount('#app')
performance.mark('quanze:mounted')
