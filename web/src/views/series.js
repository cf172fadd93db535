// The selected region's time series (/api/series): official points filled, estimated ones
// hollow; policy measures as numbered markers (listed under the chart) and series breaks as
// dashed lines.
import {GetJson} from '../api.js';
import {ProvenanceText} from '../csv.js';
import {PermalinkOf} from '../state.js';
import {El, Fill, Note, Select, ShowError, ViewFrame} from '../ui.js';
import {DrawSeries, kRegionalSeries, MeasureList, RegionName, RegionPicker} from './common.js';

export const kTitle = 'Region time series';

export function Mount(root, context) {
  let document = null;
  const frame = ViewFrame({
    title: 'Time series of a region',
    subtitle: 'Filled points are official, hollow diamonds estimated; numbered markers are policy measures, dashed lines series breaks.',
    permalink: () => PermalinkOf(context.state()),
    getCsv: () => document && {
      filename: `kazmig-series-${context.state().series || 'population_avg'}-${context.state().region || '75'}.csv`,
      columns: ['indicator', 'vintage', 'region', 'region_name', 'year', 'value', {key: (row) => row.provenance && row.provenance.kind, header: 'provenance_kind'}, {key: (row) => ProvenanceText(row.provenance), header: 'provenance'}],
      rows: document.values || [],
    },
  });
  const heading = El('h3', {id: 'series-heading'});
  const chartElement = El('div', {class: 'chart chart-series', id: 'series-chart', role: 'img', 'aria-label': 'Time series chart'});
  const annotations = El('div');
  frame.body.append(heading, chartElement, annotations);
  root.append(frame.section);

  return {
    async update(state) {
      const regions = await context.regions().catch(() => []);
      const region = state.region || '75';
      const seriesName = state.series || 'population_avg';
      frame.setControls([
        RegionPicker(regions, region, (value) => context.set({region: value}), {id: 'series-region'}),
        Select('Series', 'series-indicator', kRegionalSeries, seriesName, (value) => context.set({series: value})),
      ], `${region}|${seriesName}|${regions.length}`);
      try {
        document = await GetJson('series', {indicator: seriesName, region});
      } catch (error) {
        document = null;
        ShowError(annotations, error);
        chartElement.replaceChildren();
        return;
      }
      const regionInfo = regions.find((item) => item.id === region);
      const label = (kRegionalSeries.find((item) => item.value === seriesName) || {label: seriesName}).label;
      heading.textContent = `${label} — ${regionInfo ? RegionName(regionInfo) : region}`;
      const drawn = DrawSeries(chartElement, document);
      annotations.replaceChildren(MeasureList(drawn.measures, drawn.breaks));
      const notes = (document.indicators || []).map((item) => Note(`${item.name} (${item.unit}): ${item.notes || ''}`));
      Fill(frame.notes, ...notes);
    },
  };
}
