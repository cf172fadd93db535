// The dashboard's state lives in the URL hash, so every view has a permalink:
//   #view=map&indicator=net_rate&year=2024&region=75
// Keys: view (map, flows, world, series, table, risk, scenarios), indicator, year, region,
// series (the series view's indicator), period (international corridors), top (how many flows
// are drawn), sort and dir (the table), scenario. Unknown keys are kept as they are.
export const kViews = ['map', 'flows', 'world', 'series', 'table', 'risk', 'scenarios'];

export function ParseHash(hash) {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const params = new URLSearchParams(text);
  const state = {};
  for (const [key, value] of params) state[key] = value;
  if (!kViews.includes(state.view)) state.view = 'map';
  return state;
}

export function FormatHash(state) {
  const params = new URLSearchParams();
  // view first, then the rest in a stable order.
  params.set('view', state.view);
  for (const key of Object.keys(state).sort()) {
    if (key === 'view') continue;
    const value = state[key];
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return `#${params}`;
}

export function PermalinkOf(state) {
  return `${location.origin}${location.pathname}${FormatHash(state)}`;
}
