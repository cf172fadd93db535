// The sortable indicator table: one row per region and one column per indicator of /api/map
// (each layer's values for the chosen year, or its latest year where it has none, said in the
// header), with units and provenance marks; under it the national indicators of internal
// migration of /api/indicators (official, and the model-based ones with their bands). Column
// headers are buttons (Enter/Space sort; again reverses); the order is kept in the URL.
import {GetForYear, GetJson} from '../api.js';
import {ProvenanceText} from '../csv.js';
import {PermalinkOf} from '../state.js';
import {AutoDecimals, El, Fill, FormatNumber, Note, Select, ShowError, ViewFrame} from '../ui.js';

export const kTitle = 'Indicator table';

// One /api/map layer for `year`, or its latest year when it has no data for `year` (asked
// first without a year, to learn its years without provoking a 400).
async function LayerFor(indicator, year) {
  const latest = await GetJson('map', {indicator});
  const years = latest.years || [latest.year];
  return years.includes(Number(year)) && Number(year) !== latest.year ? GetJson('map', {indicator, year}) : latest;
}

// The national rows of an /api/indicators document for `year`: [{indicator, value, low, high,
// kind}] from the scalars and the {value, low, high} objects, official first.
function NationalRows(document, year) {
  const entry = document[String(year)] || document[Object.keys(document).filter((key) => /^\d{4}$/.test(key)).sort().pop()];
  if (!entry) return [];
  const rows = [];
  for (const [key, value] of Object.entries(entry)) {
    if (typeof value === 'number') rows.push({indicator: key, value, kind: 'official'});
  }
  const estimated = entry.estimated || {};
  for (const [key, value] of Object.entries(estimated)) {
    if (value && typeof value === 'object' && typeof value.value === 'number') rows.push({indicator: key, value: value.value, low: value.low, high: value.high, kind: 'estimated'});
  }
  return rows;
}

export function Mount(root, context) {
  let table = null;
  const frame = ViewFrame({
    title: 'Indicators by region',
    subtitle: 'Click a column header (or focus it and press Enter) to sort; again to reverse. Hollow marks (◇) are estimated values.',
    permalink: () => PermalinkOf(context.state()),
    getCsv: () => table && {
      filename: `kazmig-indicators-${table.year}.csv`,
      columns: ['region', 'region_name', ...table.layers.flatMap((layer) => [
        {key: (row) => row[layer.indicator], header: `${layer.indicator}_${layer.year}`},
        {key: (row) => ProvenanceText(row[`${layer.indicator}:provenance`]), header: `${layer.indicator}_provenance`}])],
      rows: table.rows,
    },
  });
  const holder = El('div', {class: 'table-holder', tabindex: '0', role: 'region', 'aria-label': 'Indicator table (scrolls sideways)'});
  const national = El('div', {class: 'table-holder'});
  frame.body.append(holder, national);
  root.append(frame.section);

  return {
    async update(state) {
      let first;
      try {
        first = await GetForYear('map', {indicator: 'net_rate'}, state.year);
      } catch (error) {
        ShowError(holder, error);
        return;
      }
      const year = first.year;
      let layers;
      let indicatorsDocument = null;
      try {
        layers = await Promise.all((first.indicators || [{id: 'net_rate'}]).map((item) => LayerFor(item.id, year)));
        indicatorsDocument = await GetJson('indicators', {year}).catch(() => null);
      } catch (error) {
        ShowError(holder, error);
        return;
      }
      // region -> row with one cell per layer (and its provenance, for the CSV)
      const rows = new Map();
      for (const layer of layers) {
        for (const value of layer.values) {
          if (!rows.has(value.region)) rows.set(value.region, {region: value.region, region_name: value.region_name});
          const row = rows.get(value.region);
          row[layer.indicator] = value.value;
          row[`${layer.indicator}:provenance`] = value.provenance;
        }
      }
      table = {year, layers, rows: [...rows.values()]};
      frame.setControls([Select('Year', 'table-year', (first.years || [year]).map((item) => ({value: item, label: String(item)})), year, (value) => context.set({year: value}))],
          `${year}|${first.years}`);
      const sortKey = state.sort || '';
      const descending = state.dir === 'desc';
      const sorted = [...table.rows];
      if (sortKey) {
        sorted.sort((a, b) => {
          const x = a[sortKey];
          const y = b[sortKey];
          if (x === y) return 0;
          if (x === null || x === undefined) return 1;
          if (y === null || y === undefined) return -1;
          const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
          return descending ? -order : order;
        });
      }
      const columns = [{key: 'region_name', label: 'Region'}, ...layers.map((layer) => ({
        key: layer.indicator, label: layer.label || layer.indicator, unit: layer.unit, decimals: layer.decimals,
        year: layer.year !== year ? layer.year : null,
      }))];
      const head = El('tr', {}, columns.map((column) => {
        const active = column.key === sortKey;
        return El('th', {scope: 'col', 'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none'},
            El('button', {type: 'button', class: 'sort', 'data-key': column.key, onclick: () => context.set({sort: column.key, dir: active && !descending ? 'desc' : 'asc'})},
                column.label, column.unit ? El('span', {class: 'unit'}, ` (${column.unit})`) : null,
                column.year ? El('span', {class: 'unit'}, ` ${column.year}`) : null,
                El('span', {class: 'sort-mark', 'aria-hidden': 'true'}, active ? (descending ? ' ▼' : ' ▲') : '')));
      }));
      const body = El('tbody', {}, sorted.map((row) => El('tr', {}, columns.map((column, index) => {
        const value = row[column.key];
        if (index === 0) return El('th', {scope: 'row'}, value);
        const provenance = row[`${column.key}:provenance`];
        const estimated = provenance && provenance.kind === 'estimated';
        return El('td', {class: 'num', title: ProvenanceText(provenance)},
            typeof value === 'number' ? FormatNumber(value, column.decimals ?? AutoDecimals(value)) : '—',
            estimated ? El('span', {class: 'estimated-mark', 'aria-label': 'estimated'}, ' ◇') : null);
      }))));
      const focusedKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
      holder.replaceChildren(El('table', {class: 'data-table', id: 'indicator-table'},
          El('caption', {}, `Indicators by region, ${year}`), El('thead', {}, head), body));
      if (focusedKey) {
        const again = holder.querySelector(`button[data-key="${CSS.escape(focusedKey)}"]`);
        if (again) again.focus();
      }
      const nationalRows = indicatorsDocument ? NationalRows(indicatorsDocument, year) : [];
      Fill(national, nationalRows.length ? El('table', {class: 'data-table', id: 'national-table'},
          El('caption', {}, `Internal migration, Kazakhstan, ${year} (/api/indicators)`),
          El('thead', {}, El('tr', {}, ['Indicator', 'Value', 'Low', 'High', 'Kind'].map((text) => El('th', {scope: 'col'}, text)))),
          El('tbody', {}, nationalRows.map((row) => El('tr', {},
              El('th', {scope: 'row'}, row.indicator), El('td', {class: 'num'}, FormatNumber(row.value, AutoDecimals(row.value))),
              El('td', {class: 'num'}, row.low === undefined ? '' : FormatNumber(row.low, AutoDecimals(row.low))),
              El('td', {class: 'num'}, row.high === undefined ? '' : FormatNumber(row.high, AutoDecimals(row.high))),
              El('td', {}, row.kind))))) : null);
      const otherYears = layers.filter((layer) => layer.year !== year).map((layer) => `${layer.label || layer.indicator}: ${layer.year}`);
      Fill(frame.notes,
          Note(`${table.rows.length} regions; the eight indicators of the map, ${year}.`),
          otherYears.length ? Note(`No data for ${year}, so the latest year is shown: ${otherYears.join('; ')}.`) : null,
          Note('National: the official indicators from the regional nets, and the model-based ones (estimated) with the low–high band of their sensitivity runs.'));
    },
  };
}
