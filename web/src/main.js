// The dashboard: a hash router over seven views (views/*.js). The state is the URL hash
// (state.js), so the address bar is always a permalink; each view is mounted once and updated
// in place when the state changes, so focus stays on the control being used.
import {GetJson} from './api.js';
import {DisposeCharts, echarts} from './charts.js';
import {FormatHash, ParseHash} from './state.js';
import {El} from './ui.js';
import * as flows from './views/flows.js';
import * as map from './views/map.js';
import * as risk from './views/risk.js';
import * as scenarios from './views/scenarios.js';
import * as series from './views/series.js';
import * as table from './views/table.js';
import * as world from './views/world.js';

const kViewModules = {map, flows, world, series, table, risk, scenarios};

let state = ParseHash(location.hash);
let current = null;  // {name, instance}
const main = document.getElementById('main');

// Read-only hooks for the browser tests and for debugging in the console.
window.kazmig = {echarts, state: () => ({...state}), ready: false};

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

async function Apply(next) {
  const viewChanged = !current || current.name !== next.view;
  state = next;
  UpdateNav();
  if (viewChanged) {
    if (current && current.instance.dispose) current.instance.dispose();
    DisposeCharts(main);
    main.replaceChildren();
    const module = kViewModules[state.view];
    current = {name: state.view, instance: module.Mount(main, context)};
    document.title = `${module.kTitle} — kazmig`;
  }
  window.kazmig.ready = false;
  try {
    await current.instance.update(state);
  } finally {
    window.kazmig.ready = true;
    document.body.dataset.view = state.view;
    // When the first view was drawn (printed by the browser test beside the paint timings).
    if (!performance.getEntriesByName('kazmig:first-view').length) performance.mark('kazmig:first-view');
  }
}

// Navigation links: keep the rest of the state, push a history entry, move focus to the view.
document.getElementById('nav').addEventListener('click', (event) => {
  const link = event.target.closest('a[data-view]');
  if (!link) return;
  event.preventDefault();
  context.set({view: link.dataset.view}, {history: 'push'});
  const heading = main.querySelector('h2');
  if (heading) heading.focus();
});
window.addEventListener('popstate', () => Apply(ParseHash(location.hash)));
window.addEventListener('hashchange', () => Apply(ParseHash(location.hash)));

Apply(state).catch((error) => {
  main.replaceChildren(El('p', {class: 'error', role: 'alert'}, String(error)));
});
