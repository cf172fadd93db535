// The choropleth of the 20 regions: an indicator selector and a year slider over /api/map, a
// legend with the unit, estimated values hatched (official ones plain), and the selected
// region's series beside the map (click a region, or pick it from the list).
import {GetForYear, GetJson} from '../api.js';
import {IsSigned, kDiverging, kViridis, MakeChart} from '../charts.js';
import {ProvenanceText} from '../csv.js';
import {PermalinkOf} from '../state.js';
import {El, Fill, FormatNumber, Note, ProvenanceBadge, Select, ShowError, ViewFrame} from '../ui.js';
import {DrawSeries, KzMap, kKzAspect, kSeriesOfMapIndicator, MeasureList, RegionName, RegionPicker, SyncYearSlider, YearSlider} from './common.js';

export const kTitle = 'Map';

// Hatching of the estimated values (an ECharts decal drawn over the fill).
const kEstimatedDecal = {symbol: 'rect', symbolSize: 1, dashArrayX: [1, 0], dashArrayY: [1.5, 5], rotation: Math.PI / 4, color: 'rgba(0,0,0,0.28)'};

export function Mount(root, context) {
  let layer = null;
  const frame = ViewFrame({
    title: 'Regions of Kazakhstan',
    subtitle: 'Choropleth of one indicator in one year; click a region (or pick it from the list) for its time series.',
    permalink: () => PermalinkOf(context.state()),
    getCsv: () => layer && {
      filename: `kazmig-map-${layer.indicator}-${layer.year}.csv`,
      columns: ['region', 'region_name', {key: () => layer.indicator, header: 'indicator'}, {key: () => layer.year, header: 'year'}, 'value', {key: () => layer.unit, header: 'unit'}, {key: (row) => row.provenance && row.provenance.kind, header: 'provenance_kind'}, {key: (row) => ProvenanceText(row.provenance), header: 'provenance'}],
      rows: layer.values,
    },
  });
  const mapElement = El('div', {class: 'chart chart-map', id: 'map-chart', role: 'img', 'aria-label': 'Choropleth map of the regions'});
  const panel = El('aside', {class: 'region-panel', 'aria-live': 'polite', id: 'region-panel'});
  frame.body.append(El('div', {class: 'map-layout'}, mapElement, panel));
  root.append(frame.section);
  const chart = MakeChart(mapElement);
  chart.on('click', (params) => {
    if (params.componentType === 'series' && params.name) context.set({region: params.name});
  });

  let seriesRequest = 0;
  async function UpdatePanel(state, regions) {
    const region = regions.find((item) => item.id === state.region);
    if (!region) {
      Fill(panel, El('p', {class: 'hint'}, 'Select a region on the map or in the list to see its time series.'));
      return;
    }
    const row = layer && layer.values.find((item) => item.region === region.id);
    const seriesName = kSeriesOfMapIndicator[layer ? layer.indicator : 'net_rate'] || 'net_internal';
    const chartElement = El('div', {class: 'chart chart-panel', id: 'region-series'});
    const annotations = El('div');
    Fill(panel, 
        El('h3', {}, RegionName(region)),
        row ? El('p', {class: 'region-value'}, `${layer.label}, ${layer.year}: `,
            El('b', {}, row.value === null ? 'no data' : `${FormatNumber(row.value, layer.decimals)} ${layer.unit}`), ' ',
            row.provenance ? ProvenanceBadge(row.provenance) : null) : null,
        El('p', {class: 'hint'}, `Series: ${seriesName}`),
        chartElement, annotations,
        El('p', {}, El('a', {href: `#view=series&region=${encodeURIComponent(region.id)}&series=${seriesName}`}, 'Open the full time series view')));
    const request = ++seriesRequest;
    try {
      const document = await GetJson('series', {indicator: seriesName, region: region.id});
      if (request !== seriesRequest) return;
      const drawn = DrawSeries(chartElement, document, {compact: true});
      annotations.replaceChildren(MeasureList(drawn.measures, drawn.breaks));
    } catch (error) {
      if (request === seriesRequest) ShowError(chartElement, error);
    }
  }

  return {
    async update(state) {
      let regions;
      try {
        [, regions, layer] = await Promise.all([
          KzMap(), context.regions(), GetForYear('map', {indicator: state.indicator || 'net_rate'}, state.year),
        ]);
      } catch (error) {
        ShowError(frame.body, error);
        return;
      }
      const years = layer.years || [layer.year];
      frame.setControls([
        Select('Indicator', 'indicator-select', (layer.indicators || []).map((item) => ({value: item.id, label: item.label})), layer.indicator,
            (value) => context.set({indicator: value, year: undefined})),
        YearSlider(years, layer.year, (year) => context.set({year})),
        RegionPicker(regions, state.region, (value) => context.set({region: value}), {allowNone: true}),
      ], `${layer.indicator}|${years}|${state.region}`);
      SyncYearSlider('year-slider', years, layer.year);
      const values = layer.values.filter((row) => row.value !== null && row.value !== undefined).map((row) => row.value);
      const signed = IsSigned(layer.indicator);
      let min = Math.min(...values);
      let max = Math.max(...values);
      if (signed) {
        const extent = Math.max(Math.abs(min), Math.abs(max)) || 1;
        min = -extent;
        max = extent;
      }
      const estimated = layer.values.filter((row) => row.provenance && row.provenance.kind === 'estimated').length;
      chart.setOption({
        aria: {enabled: true, label: {description: `Choropleth of ${layer.label} (${layer.unit}) in ${layer.year} for ${layer.values.length} regions.`}},
        animation: false,
        tooltip: {
          trigger: 'item',
          formatter: (params) => {
            const row = params.data && params.data.row;
            if (!row) return params.name;
            const kind = row.provenance ? row.provenance.kind : 'no data';
            return `<b>${row.region_name}</b><br>${layer.label}, ${layer.year}: ${row.value === null ? 'no data' : `${FormatNumber(row.value, layer.decimals)} ${layer.unit}`}<br>${kind}`;
          },
        },
        visualMap: {
          type: 'continuous', min, max, calculable: false, realtime: false,
          text: [`${FormatNumber(max, layer.decimals)}`, `${FormatNumber(min, layer.decimals)} ${layer.unit}`],
          inRange: {color: signed ? kDiverging : kViridis},
          left: 8, bottom: 8, itemHeight: 120,
        },
        series: [{
          type: 'map', map: 'kz', nameProperty: 'id', aspectScale: kKzAspect, roam: false,
          left: 8, right: 8, top: 8, bottom: 8,
          selectedMode: 'single',
          label: {show: false},
          emphasis: {label: {show: true, formatter: (params) => (params.data && params.data.row ? params.data.row.region_name : params.name)}, itemStyle: {areaColor: null, color: null, borderColor: '#000', borderWidth: 2}},
          select: {label: {show: true, formatter: (params) => (params.data && params.data.row ? params.data.row.region_name : params.name)}, itemStyle: {borderColor: '#000', borderWidth: 2.5, areaColor: null, color: null}},
          itemStyle: {borderColor: '#fff', borderWidth: 0.8, areaColor: '#ddd'},
          data: layer.values.map((row) => ({
            name: row.region, value: row.value ?? '-', row,
            selected: row.region === state.region,
            itemStyle: row.provenance && row.provenance.kind === 'estimated' ? {decal: kEstimatedDecal} : undefined,
          })),
        }],
      }, true);
      Fill(frame.notes, 
          Note(`${layer.label} (${layer.unit}), ${layer.year}. Legend: ${signed ? 'diverging scale centred on zero (orange = loss, purple = gain)' : 'viridis, low = dark, high = yellow'}.`),
          El('p', {class: `note ${estimated ? 'estimated' : 'official'}`}, estimated ? El('span', {class: 'hatch-swatch', 'aria-hidden': 'true'}) : null,
              estimated ? `${estimated} of ${layer.values.length} values are estimated (hatched); the others are official.` : 'All values shown are official statistics.'),
          layer.note ? Note(layer.note) : null);
      await UpdatePanel(state, regions);
    },
  };
}
