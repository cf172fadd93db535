// The dashboard: a hash router over seven views (views/*.js). The state is the URL hash
// (state.js), so the address bar is always a permalink; each view is mounted once and updated
// in place when the state changes, so focus stays on the control being used.
import {GetJson} from './api.js';
import {FormatHash, ParseHash} from './state.js';
import {El} from './ui.js';

// Each view, and ECharts with it, is a chunk of its own, loaded when first shown: the page's
// shell paints before the charting code has even arrived.
const kViewModules = {
  map: () => import('./views/map.js'),
  flows: () => import('./views/flows.js'),
  world: () => import('./views/world.js'),
  series: () => import('./views/series.js'),
  table: () => import('./views/table.js'),
  risk: () => import('./views/risk.js'),
  scenarios: () => import('./views/scenarios.js'),
};
const kTitles = {
  map: 'Map', flows: 'Inter-regional flows', world: 'International corridors', series: 'Region time series',
  table: 'Indicator table', risk: 'Risk ranking', scenarios: 'Scenarios',
};

let state = ParseHash(location.hash);
let current = null;  // {name, instance}
const main = document.getElementById('main');

// Read-only hooks for the browser tests and for debugging in the console.
window.kazmig = {echarts: null, state: () => ({...state}), ready: false};

const regionsPromise = GetJson('regions').then((regions) => (Array.isArray(regions) ? regions : regions.regions || []));

const context = {
  regions: () => regionsPromise,
  state: () => state,
  // Changes the state; `history: 'push'` adds a history entry (view changes), otherwise the
  // current entry is replaced (sliders, selectors).
  set(patch, {history = 'replace'} = {}) {
    const next = {...state, ...patch};
    for (const key of Object.keys(next)) {
      if (next[key] === undefined || next[key] === null || next[key] === '') delete next[key];
    }
    const hash = FormatHash(next);
    if (history === 'push') window.history.pushState(null, '', hash);
    else window.history.replaceState(null, '', hash);
    Apply(ParseHash(hash));
  },
};

function UpdateNav() {
  for (const link of document.querySelectorAll('#nav a')) {
    const view = link.dataset.view;
    link.href = FormatHash({...state, view});
    if (view === state.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

// Updates run one after another (a quick succession of slider steps must not let an older
// update draw over a newer one); `ready` is true when none is pending.
let queue = Promise.resolve();
let pending = 0;
let focusHeading = false;  // after a view link was followed, focus the new view's heading

function Apply(next) {
  const viewChanged = !current || current.name !== next.view;
  state = next;
  UpdateNav();
  if (viewChanged) {
    const previous = current;
    current = {name: state.view, instance: null, previous};
    document.title = `${kTitles[state.view]} — kazmig`;
  }
  const view = current;
  const target = state;
  ++pending;
  window.kazmig.ready = false;
  queue = queue.then(async () => {
    if (view !== current) return;
    if (!view.instance) {
      const [charts, module] = await Promise.all([import('./charts.js'), kViewModules[view.name]()]);
      window.kazmig.echarts = charts.echarts;
      if (view.previous && view.previous.instance && view.previous.instance.dispose) view.previous.instance.dispose();
      view.previous = null;
      charts.DisposeCharts(main);
      main.replaceChildren();
      view.instance = module.Mount(main, context);
    }
    // A later state for the same view supersedes this one: skip straight to it.
    if (view === current && target === state) await view.instance.update(target);
    if (focusHeading && view === current) {
      focusHeading = false;
      const heading = main.querySelector('h2');
      if (heading) heading.focus();
    }
  }).catch((error) => {
    main.append(El('p', {class: 'error', role: 'alert'}, String(error)));
  }).finally(() => {
    if (--pending === 0) {
      window.kazmig.ready = true;
      document.body.dataset.view = state.view;
      // When the first view was drawn (printed by the browser test beside the paint timings).
      if (!performance.getEntriesByName('kazmig:first-view').length) performance.mark('kazmig:first-view');
    }
  });
  return queue;
}

// Navigation links: keep the rest of the state, push a history entry, move focus to the view.
document.getElementById('nav').addEventListener('click', (event) => {
  const link = event.target.closest('a[data-view]');
  if (!link) return;
  event.preventDefault();
  focusHeading = true;
  context.set({view: link.dataset.view}, {history: 'push'});
});
window.addEventListener('popstate', () => Apply(ParseHash(location.hash)));
window.addEventListener('hashchange', () => Apply(ParseHash(location.hash)));

Apply(state);
