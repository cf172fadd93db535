// What several views share: the Kazakhstan base map (boundaries from /api/boundaries, registered
// once), the region picker, the year slider and the region time-series chart.
import {GetJson} from '../api.js';
import {echarts, kCategories, MakeChart} from '../charts.js';
import {El, FormatNumber} from '../ui.js';

let kzMap = null;
// Registers the 20 regions' boundaries as the ECharts map 'kz' (features keyed by properties.id).
export function KzMap() {
  if (!kzMap) {
    kzMap = GetJson('boundaries').then((geojson) => {
      echarts.registerMap('kz', geojson);
      return geojson;
    });
    kzMap.catch(() => {
      kzMap = null;
    });
  }
  return kzMap;
}

// The geographic shape of the maps: Kazakhstan lies around 48°N, so a degree of longitude is
// about cos(48°) of a degree of latitude.
export const kKzAspect = 0.67;

export function RegionName(region) {
  return region.name || region.name_en || region.id;
}

// A <select> of the regions (the keyboard way to pick what a click on the map picks).
export function RegionPicker(regions, value, onChange, {id = 'region-picker', label = 'Region', allowNone = false} = {}) {
  const select = El('select', {id, onchange: (event) => onChange(event.target.value)});
  if (allowNone) select.append(El('option', {value: ''}, 'All regions'));
  const sorted = [...regions].sort((a, b) => RegionName(a).localeCompare(RegionName(b)));
  for (const region of sorted) {
    select.append(El('option', {value: region.id, selected: region.id === value}, RegionName(region)));
  }
  return El('label', {class: 'control', for: id}, El('span', {}, label), select);
}

// A slider over a list of years (possibly with gaps): the slider moves over positions, the
// label and aria-valuetext show the year. onInput(year) on every step.
export function YearSlider(years, year, onInput, {id = 'year-slider', label = 'Year'} = {}) {
  const index = Math.max(0, years.indexOf(Number(year)));
  const output = El('output', {for: id, class: 'year-value'}, String(years[index] ?? ''));
  const input = El('input', {
    id, type: 'range', min: 0, max: Math.max(0, years.length - 1), step: 1, value: index,
    'aria-valuetext': String(years[index] ?? ''),
    disabled: years.length < 2,
  });
  input.addEventListener('input', () => {
    const chosen = years[Number(input.value)];
    output.textContent = String(chosen);
    input.setAttribute('aria-valuetext', String(chosen));
    onInput(chosen);
  });
  const ticks = El('span', {class: 'slider-range'}, years.length ? `${years[0]}–${years[years.length - 1]}` : '');
  return El('label', {class: 'control slider', for: id}, El('span', {}, label), input, output, ticks);
}

// Moves the slider of YearSlider to `year` (after a back/forward or a permalink).
export function SyncYearSlider(id, years, year) {
  const input = document.getElementById(id);
  const index = years.indexOf(Number(year));
  if (!input || index < 0 || Number(input.value) === index) return;
  input.value = String(index);
  input.setAttribute('aria-valuetext', String(year));
  const output = input.parentElement.querySelector('output');
  if (output) output.textContent = String(year);
}

// Groups the rows of a `data show` document by indicator: [{name, unit, points: [row]}].
function GroupSeries(document) {
  const units = new Map((document.indicators || []).map((item) => [item.name, item.unit]));
  const groups = new Map();
  for (const row of document.values || []) {
    const name = row.indicator || 'value';
    if (!groups.has(name)) groups.set(name, {name, unit: units.get(name) || '', points: []});
    groups.get(name).points.push(row);
  }
  return [...groups.values()];
}

// Draws a region's series (/api/series) with its policy measures as numbered markers and its
// series breaks as dashed lines; returns the list of measures shown (for the legend below).
export function DrawSeries(element, document, {compact = false} = {}) {
  const chart = MakeChart(element);
  const groups = GroupSeries(document);
  const years = (document.values || []).map((row) => row.year);
  const first = Math.min(...years);
  const last = Math.max(...years);
  const measures = (document.measures || []).filter((measure) => {
    const year = measure.year ?? Number(String(measure.date || '').slice(0, 4));
    return year >= first && year <= last;
  });
  const breaks = (document.breaks || []).filter((item) => item.year >= first && item.year <= last);
  // A measure sits at its date (decimal_year from the API) so that two in one year stand apart.
  const positionOf = (measure) => measure.decimal_year ?? measure.year ?? Number(String(measure.date).slice(0, 4));
  const axisMax = Math.max(last, ...measures.map(positionOf));
  const series = groups.map((group, groupIndex) => ({
    type: 'line',
    name: group.name,
    connectNulls: false,
    color: kCategories[groupIndex % kCategories.length],
    // official points filled, estimated points hollow diamonds
    data: group.points.map((row) => ({
      value: [row.year, row.value],
      symbol: row.provenance && row.provenance.kind === 'estimated' ? 'emptyDiamond' : 'circle',
      symbolSize: row.provenance && row.provenance.kind === 'estimated' ? 9 : 6,
      row,
    })),
    markLine: groupIndex === 0 ? {
      silent: false,
      symbol: 'none',
      label: {show: !compact, position: 'insideEndTop', fontSize: 10},
      data: [
        ...breaks.map((item) => ({
          xAxis: item.year, name: item.label,
          lineStyle: {type: 'dashed', color: '#555'},
          label: {formatter: `break ${item.year}`},
        })),
        ...measures.map((measure, index) => ({
          xAxis: positionOf(measure),
          name: measure.title || measure.name || measure.id,
          lineStyle: {type: 'dotted', color: '#0072B2'},
          label: {formatter: `${index + 1}`, position: 'end', fontWeight: 'bold', color: '#0072B2'},
        })),
      ],
      tooltip: {formatter: (params) => params.name},
    } : undefined,
  }));
  const unitOf = groups.length ? groups[0].unit : '';
  chart.setOption({
    aria: {enabled: true},
    animation: false,
    grid: {left: compact ? 56 : 72, right: 24, top: compact ? 36 : 48, bottom: 36},
    legend: {top: 0, type: 'scroll'},
    tooltip: {
      trigger: 'item',
      formatter: (params) => {
        if (params.componentType === 'markLine') return params.name;
        const row = params.data.row;
        const kind = row.provenance ? row.provenance.kind : '';
        return `${row.region_name || row.region} ${row.year}<br>${params.seriesName}: <b>${FormatNumber(row.value, Math.abs(row.value) < 100 ? 1 : 0)}</b><br>${kind}${row.provenance && row.provenance.source ? `: ${row.provenance.source}` : ''}`;
      },
    },
    xAxis: {type: 'value', min: first, max: axisMax, minInterval: 1, axisLabel: {formatter: (value) => (Number.isInteger(value) ? String(value) : '')}},
    yAxis: {type: 'value', name: unitOf, scale: true, nameTextStyle: {align: 'left'}},
    series,
  }, true);
  return {chart, measures, breaks, first, last};
}

// The numbered list under a series chart.
export function MeasureList(measures, breaks) {
  const list = El('ol', {class: 'measures'});
  for (const measure of measures) {
    list.append(El('li', {}, `${measure.date || measure.year} — ${measure.title || measure.name || measure.id}`,
        measure.scope ? El('span', {class: 'scope'}, ` (${measure.scope})`) : null));
  }
  const breakList = El('ul', {class: 'breaks'});
  for (const item of breaks) breakList.append(El('li', {}, `Series break ${item.year}: ${item.label}`));
  return El('div', {class: 'annotations'},
      measures.length ? El('h3', {}, 'Policy measures (numbered markers)') : null, measures.length ? list : null,
      breaks.length ? El('h3', {}, 'Series breaks (dashed lines)') : null, breaks.length ? breakList : null);
}

// Which stored series the map's indicators correspond to, for the region panel's chart.
export const kSeriesOfMapIndicator = {
  net_rate: 'net_internal',
  population: 'population_avg',
  arrivals: 'arrivals_internal',
  departures: 'departures_internal',
  unemployment: 'unemployment_rate',
  income: 'income_per_capita',
  risk_score: 'net_internal',
  projected_change: 'population_avg',
};

// The regional series a user can chart (names of `kazmig data list`).
export const kRegionalSeries = [
  {value: 'population_avg', label: 'Average population'},
  {value: 'net_internal', label: 'Inter-regional net migration'},
  {value: 'net_all', label: 'Net migration, all flows'},
  {value: 'arrivals_internal', label: 'Internal arrivals'},
  {value: 'departures_internal', label: 'Internal departures'},
  {value: 'births', label: 'Births'},
  {value: 'deaths', label: 'Deaths'},
  {value: 'unemployment_rate', label: 'Unemployment rate'},
  {value: 'income_per_capita', label: 'Income per capita'},
  {value: 'grp_per_capita', label: 'GRP per capita'},
];
