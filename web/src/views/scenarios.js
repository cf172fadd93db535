// The scenario comparison: one fan chart per scenario (/api/projections: the median and the
// 80% and 95% intervals of the projected population, of Kazakhstan or of the chosen region),
// and the comparison table of /api/scenarios (population in the target year, change, the
// difference from the baseline with its 95% interval).
import {GetJson} from '../api.js';
import {kCategories, MakeChart} from '../charts.js';
import {ProvenanceText} from '../csv.js';
import {PermalinkOf} from '../state.js';
import {AutoDecimals, El, Fill, FormatNumber, Note, ShowError, ViewFrame} from '../ui.js';
import {RegionName, RegionPicker} from './common.js';

export const kTitle = 'Scenarios';

// The scenarios of /api/scenarios, whatever the list is called: [{id, name, description}].
function ScenarioList(document) {
  const list = document.scenarios || document.list || [];
  return list.map((item) => (typeof item === 'string' ? {id: item, name: item} : {...item, id: item.id || item.name}));
}

// The comparison rows of /api/scenarios (`kazmig compare --format json`).
function ComparisonRows(document) {
  const comparison = document.comparison || document.compare || [];
  return Array.isArray(comparison) ? comparison : comparison.rows || comparison.regions || [];
}

// The fan of one scenario: rows with year, median, lower80, upper80, lower95, upper95.
function FanRows(document, scenario, region) {
  const candidates = region ? (document.rows || document.fan || document.values || []) : (document.national || document.total || document.fan || document.rows || []);
  return candidates.filter((row) => (!row.scenario || row.scenario === scenario) && (!region || !row.region || row.region === region))
      .filter((row) => typeof row.year === 'number' && typeof row.median === 'number');
}

// An interval band drawn as one polygon through the lower bounds and back along the upper ones.
function BandSeries(points, lowerKey, upperKey, color, opacity, name) {
  return {
    type: 'custom', name, silent: true, z: 1,
    data: points.map((row) => [row.year, row[lowerKey], row[upperKey]]),
    renderItem: (params, api) => {
      if (params.dataIndex !== 0) return null;
      const lower = points.map((row) => api.coord([row.year, row[lowerKey]]));
      const upper = points.map((row) => api.coord([row.year, row[upperKey]])).reverse();
      return {type: 'polygon', shape: {points: [...lower, ...upper]}, style: {fill: color, opacity}};
    },
    encode: {x: 0, y: [1, 2]},
  };
}

export function Mount(root, context) {
  let fans = [];
  let comparison = [];
  const frame = ViewFrame({
    title: 'Scenario comparison',
    subtitle: 'Projected population under each scenario: median (line), 80% (dark band) and 95% (light band) intervals.',
    permalink: () => PermalinkOf(context.state()),
    getCsv: () => ({
      filename: `kazmig-scenarios${context.state().region ? `-${context.state().region}` : ''}.csv`,
      columns: ['scenario', 'region', 'year', 'median', 'lower80', 'upper80', 'lower95', 'upper95'],
      rows: fans.flatMap((fan) => fan.rows.map((row) => ({...row, scenario: fan.scenario.id, region: row.region || context.state().region || 'KZ'}))),
    }),
  });
  const grid = El('div', {class: 'fan-grid', id: 'fan-grid'});
  const holder = El('div', {class: 'table-holder', tabindex: '0', role: 'region', 'aria-label': 'Scenario comparison table'});
  frame.body.append(grid, holder);
  root.append(frame.section);

  return {
    async update(state) {
      let document;
      let regions;
      try {
        [document, regions] = await Promise.all([GetJson('scenarios'), context.regions()]);
      } catch (error) {
        ShowError(frame.body, error);
        return;
      }
      const scenarios = ScenarioList(document);
      comparison = ComparisonRows(document);
      frame.setControls([RegionPicker(regions, state.region, (value) => context.set({region: value}), {id: 'scenario-region', label: 'Population of', allowNone: true})],
          `${state.region}|${regions.length}`);
      // "All regions" reads as Kazakhstan here.
      const firstOption = frame.section.querySelector('#scenario-region option[value=""]');
      if (firstOption) firstOption.textContent = 'Kazakhstan (total)';
      let documents;
      try {
        documents = await Promise.all(scenarios.map((scenario) => GetJson('projections', {scenario: scenario.id, region: state.region})));
      } catch (error) {
        ShowError(grid, error);
        return;
      }
      fans = scenarios.map((scenario, index) => ({scenario, rows: FanRows(documents[index], scenario.id, state.region), document: documents[index]}));
      const region = regions.find((item) => item.id === state.region);
      const where = region ? RegionName(region) : 'Kazakhstan';
      // One y range for all fans, so the panels compare at a glance.
      const all = fans.flatMap((fan) => fan.rows.flatMap((row) => [row.lower95, row.upper95]));
      const low = Math.min(...all);
      const high = Math.max(...all);
      grid.replaceChildren();
      fans.forEach((fan, index) => {
        const color = kCategories[index % kCategories.length];
        const chartElement = El('div', {class: 'chart chart-fan', id: `fan-${fan.scenario.id}`, role: 'img', 'aria-label': `Fan chart: ${fan.scenario.name || fan.scenario.id}`});
        grid.append(El('figure', {class: 'fan', 'data-scenario': fan.scenario.id},
            El('figcaption', {}, El('b', {}, fan.scenario.name || fan.scenario.id), fan.scenario.description ? El('span', {class: 'desc'}, ` — ${fan.scenario.description}`) : null),
            chartElement));
        const chart = MakeChart(chartElement);
        chart.setOption({
          aria: {enabled: true, label: {description: `Projected population of ${where}, scenario ${fan.scenario.id}.`}},
          animation: false,
          grid: {left: 64, right: 16, top: 16, bottom: 28},
          tooltip: {
            trigger: 'axis',
            formatter: (params) => {
              const row = fan.rows[params[0].dataIndex];
              return `${fan.scenario.id}, ${row.year}<br>median <b>${FormatNumber(row.median)}</b><br>80%: ${FormatNumber(row.lower80)} – ${FormatNumber(row.upper80)}<br>95%: ${FormatNumber(row.lower95)} – ${FormatNumber(row.upper95)}`;
            },
          },
          xAxis: {type: 'value', min: 'dataMin', max: 'dataMax', minInterval: 1, axisLabel: {formatter: (value) => String(value)}},
          yAxis: {type: 'value', min: low, max: high, scale: true, axisLabel: {formatter: (value) => (value >= 1e6 ? `${FormatNumber(value / 1e6, 1)} M` : FormatNumber(value))}},
          series: [
            BandSeries(fan.rows, 'lower95', 'upper95', color, 0.18, '95%'),
            BandSeries(fan.rows, 'lower80', 'upper80', color, 0.35, '80%'),
            {type: 'line', name: 'median', data: fan.rows.map((row) => [row.year, row.median]), showSymbol: false, lineStyle: {color, width: 2}, z: 3},
          ],
        }, true);
      });
      if (comparison.length) {
        const columns = Object.keys(comparison[0]).filter((key) => key !== 'provenance' && (typeof comparison[0][key] !== 'object' || comparison[0][key] === null));
        // Kazakhstan and its groups (north, south, cities) by default; the chosen region's rows.
        const regionIds = new Set(regions.map((item) => item.id));
        const rows = comparison.filter((row) => (state.region ? row.region === state.region : !regionIds.has(row.region)));
        holder.replaceChildren(El('table', {class: 'data-table', id: 'scenario-table'},
            El('caption', {}, `Scenarios compared${document.year ? ` in ${document.year}` : ''}${region ? `: ${where}` : ''}`),
            El('thead', {}, El('tr', {}, columns.map((key) => El('th', {scope: 'col'}, key)))),
            El('tbody', {}, rows.map((row) => El('tr', {}, columns.map((key) => El('td', {class: typeof row[key] === 'number' ? 'num' : ''},
                typeof row[key] === 'number' ? FormatNumber(row[key], AutoDecimals(row[key])) : row[key] ?? '—')))))));
      } else {
        holder.replaceChildren();
      }
      const provenance = documents.map((item) => item.provenance).find(Boolean);
      Fill(frame.notes, 
          Note(`${fans.length} scenarios, population of ${where} on 1 January. Projections are estimated (model-based).`, 'estimated'),
          provenance ? Note(ProvenanceText(provenance)) : null);
    },
  };
}
