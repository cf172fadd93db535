// The sortable indicator table (/api/indicators): one row per region, a column per indicator,
// as the API sends them. Column headers are buttons (Enter/Space sort; again reverses); the
// order is kept in the URL (sort, dir).
import {GetJson} from '../api.js';
import {ProvenanceText} from '../csv.js';
import {PermalinkOf} from '../state.js';
import {AutoDecimals, El, Fill, FormatNumber, Note, ProvenanceBadge, Select, ShowError, ViewFrame} from '../ui.js';

export const kTitle = 'Indicator table';

// Finds the table in the API's document: {rows: [...]}, {regions: [...]}, a bare array, or the
// per-year document of `kazmig indicators --dataset kz` ({year: {net: {id: v}, net_rate: ...}}),
// and the columns (with units where the API gives them).
function TableOf(document) {
  let rows = Array.isArray(document) ? document : document.rows || document.regions || document.values || null;
  if (!rows) return {rows: [], columns: []};
  rows = rows.filter((row) => row && typeof row === 'object');
  const columns = [];
  const units = document.units || {};
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (columns.some((column) => column.key === key)) continue;
      if (value !== null && typeof value === 'object' && key !== 'provenance') continue;
      columns.push({key, unit: units[key] || ''});
    }
  }
  for (const item of document.columns || document.indicators || []) {
    const column = columns.find((entry) => entry.key === (item.id || item.name || item.key));
    if (column) {
      column.unit = item.unit || column.unit;
      column.label = item.label || column.label;
    }
  }
  return {rows, columns};
}

export function Mount(root, context) {
  let table = null;
  let document = null;
  const frame = ViewFrame({
    title: 'Indicators by region',
    subtitle: 'Click a column header (or focus it and press Enter) to sort; again to reverse.',
    permalink: () => PermalinkOf(context.state()),
    getCsv: () => table && {
      filename: `kazmig-indicators${document && document.year ? `-${document.year}` : ''}.csv`,
      columns: table.columns.map((column) => (column.key === 'provenance' ? {key: (row) => ProvenanceText(row.provenance), header: 'provenance'} : column.key)),
      rows: table.rows,
    },
  });
  const holder = El('div', {class: 'table-holder', tabindex: '0', role: 'region', 'aria-label': 'Indicator table (scrolls sideways)'});
  frame.body.append(holder);
  root.append(frame.section);

  return {
    async update(state) {
      try {
        document = await GetJson('indicators', {year: state.year});
      } catch (error) {
        ShowError(holder, error);
        return;
      }
      table = TableOf(document);
      const years = document.years || [];
      frame.setControls(years.length ? [Select('Year', 'table-year', years.map((year) => ({value: year, label: String(year)})), document.year, (value) => context.set({year: value}))] : [],
          `${document.year}|${years}`);
      const sortKey = state.sort || '';
      const descending = state.dir === 'desc';
      const rows = [...table.rows];
      if (sortKey) {
        rows.sort((a, b) => {
          const x = a[sortKey];
          const y = b[sortKey];
          if (x === y) return 0;
          if (x === null || x === undefined) return 1;
          if (y === null || y === undefined) return -1;
          const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
          return descending ? -order : order;
        });
      }
      const head = El('tr', {}, table.columns.map((column) => {
        const sorted = column.key === sortKey;
        return El('th', {scope: 'col', 'aria-sort': sorted ? (descending ? 'descending' : 'ascending') : 'none'},
            El('button', {type: 'button', class: 'sort', 'data-key': column.key, onclick: () => context.set({sort: column.key, dir: sorted && !descending ? 'desc' : 'asc'})},
                column.label || column.key, column.unit ? El('span', {class: 'unit'}, ` (${column.unit})`) : null,
                El('span', {class: 'sort-mark', 'aria-hidden': 'true'}, sorted ? (descending ? ' ▼' : ' ▲') : '')));
      }));
      const body = El('tbody', {}, rows.map((row) => El('tr', {}, table.columns.map((column) => {
        const value = row[column.key];
        if (column.key === 'provenance') return El('td', {}, ProvenanceBadge(value));
        return El('td', {class: typeof value === 'number' ? 'num' : ''}, typeof value === 'number' ? FormatNumber(value, AutoDecimals(value)) : value ?? '—');
      }))));
      const focusedKey = globalThis.document.activeElement && globalThis.document.activeElement.dataset ? globalThis.document.activeElement.dataset.key : null;
      holder.replaceChildren(El('table', {class: 'data-table', id: 'indicator-table'}, El('caption', {}, `Indicators by region${document.year ? `, ${document.year}` : ''}`), El('thead', {}, head), body));
      if (focusedKey) {
        const again = holder.querySelector(`button[data-key="${CSS.escape(focusedKey)}"]`);
        if (again) again.focus();
      }
      Fill(frame.notes, 
          Note(`${rows.length} rows, ${table.columns.length} columns, as sent by /api/indicators.`),
          document.note ? Note(document.note) : null);
    },
  };
}
