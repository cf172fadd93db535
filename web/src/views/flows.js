// Flow lines between the regions for the ESTIMATED (model-based) inter-regional matrix of
// /api/flows: line width by volume, an arrow at the destination, the low-high band in the
// tooltip. Only the largest flows are drawn (a selector says how many); the CSV has them all.
import {GetForYear} from '../api.js';
import {kViridis, MakeChart} from '../charts.js';
import {ProvenanceText} from '../csv.js';
import {PermalinkOf} from '../state.js';
import {El, Fill, FormatNumber, Note, Select, ShowError, ViewFrame} from '../ui.js';
import {KzMap, kKzAspect, RegionName, RegionPicker} from './common.js';

export const kTitle = 'Inter-regional flows';

export function Mount(root, context) {
  let view = null;
  const frame = ViewFrame({
    title: 'Inter-regional flows (model-based estimate)',
    subtitle: 'Flows between regions are not published: these are estimated by a model constrained to the official regional nets.',
    permalink: () => PermalinkOf(context.state()),
    getCsv: () => view && {
      filename: `kazmig-flows-${view.year}.csv`,
      columns: ['origin', 'origin_name', 'dest', 'dest_name', {key: () => view.year, header: 'year'}, 'value', 'low', 'high', {key: (row) => ProvenanceText(row.provenance), header: 'provenance'}],
      rows: view.flows,
    },
  });
  const banner = El('p', {class: 'banner estimated'}, 'ESTIMATED — model-based, not official statistics. Width = estimated movers; the tooltip gives the low–high band.');
  const chartElement = El('div', {class: 'chart chart-map', id: 'flows-chart', role: 'img', 'aria-label': 'Map of estimated flows between regions'});
  const listHolder = El('div', {class: 'table-holder', tabindex: '0', role: 'region', 'aria-label': 'Table of the flows drawn'});
  frame.body.append(banner, chartElement, listHolder);
  root.append(frame.section);
  const chart = MakeChart(chartElement);
  chart.on('click', (params) => {
    if (params.componentType === 'series' && params.seriesType === 'scatter' && params.data) context.set({region: params.data.id});
  });

  return {
    async update(state) {
      let regions;
      try {
        [, regions, view] = await Promise.all([KzMap(), context.regions(), GetForYear('flows', {}, state.year)]);
      } catch (error) {
        ShowError(frame.body, error);
        return;
      }
      const top = state.top === 'all' ? Infinity : Number(state.top || 40);
      const years = view.years || [view.year];
      frame.setControls([
        Select('Year', 'flows-year', years.map((year) => ({value: year, label: String(year)})), view.year, (value) => context.set({year: value})),
        Select('Flows drawn', 'flows-top', [20, 40, 80, 'all'].map((value) => ({value, label: value === 'all' ? `all ${view.flows.length}` : `largest ${value}`})), state.top || 40,
            (value) => context.set({top: value})),
        RegionPicker(regions, state.region, (value) => context.set({region: value}), {id: 'flows-region', label: 'Flows of region', allowNone: true}),
      ], `${view.year}|${state.top}|${state.region}`);
      const centroids = new Map((view.regions || []).map((region) => [region.id, region.centroid]));
      for (const region of regions) {
        if (!centroids.has(region.id) && region.centroid) centroids.set(region.id, region.centroid);
      }
      const chosen = view.flows
          .filter((row) => !state.region || row.origin === state.region || row.dest === state.region)
          .filter((row) => centroids.has(row.origin) && centroids.has(row.dest))
          .sort((a, b) => b.value - a.value)
          .slice(0, top);
      const largest = chosen.length ? chosen[0].value : 1;
      const smallest = chosen.length ? chosen[chosen.length - 1].value : 0;
      const nodes = (view.regions || regions).map((region) => ({id: region.id, name: RegionName(region), value: centroids.get(region.id)})).filter((node) => node.value);
      chart.setOption({
        aria: {enabled: true, label: {description: `${chosen.length} estimated flows between regions in ${view.year}.`}},
        animation: false,
        tooltip: {
          trigger: 'item',
          formatter: (params) => {
            if (params.seriesType === 'scatter') return params.data.name;
            const row = params.data.row;
            return `<b>${row.origin_name} → ${row.dest_name}</b>, ${view.year}<br>${FormatNumber(row.value)} movers (estimated)<br>band ${FormatNumber(row.low)} – ${FormatNumber(row.high)}<br><i>model-based</i>`;
          },
        },
        visualMap: {
          type: 'continuous', seriesIndex: 0, min: smallest, max: largest, text: [`${FormatNumber(largest)} movers`, FormatNumber(smallest)],
          inRange: {color: kViridis.slice(1, 8)}, left: 8, bottom: 8, itemHeight: 100, calculable: false,
        },
        geo: {
          map: 'kz', nameProperty: 'id', aspectScale: kKzAspect, roam: false, silent: true,
          left: 8, right: 8, top: 8, bottom: 8,
          itemStyle: {areaColor: '#eef0f3', borderColor: '#9aa3ad', borderWidth: 0.8},
        },
        series: [
          {
            type: 'lines', coordinateSystem: 'geo', zlevel: 1,
            symbol: ['none', 'arrow'], symbolSize: 9,
            lineStyle: {curveness: 0.25, opacity: 0.85},
            emphasis: {lineStyle: {opacity: 1, width: 6}},
            data: chosen.map((row) => ({
              coords: [centroids.get(row.origin), centroids.get(row.dest)],
              value: row.value,
              row,
              lineStyle: {width: 1 + 7 * (row.value / largest)},
            })),
          },
          {
            type: 'scatter', coordinateSystem: 'geo', zlevel: 2, symbolSize: 7,
            itemStyle: {color: '#222'},
            label: {show: true, formatter: (params) => params.data.name, position: 'right', fontSize: 10, color: '#222', textBorderColor: '#fff', textBorderWidth: 2},
            data: nodes,
          },
        ],
      }, true);
      listHolder.replaceChildren(El('table', {class: 'data-table', id: 'flows-table'},
          El('caption', {}, `The flows drawn, ${view.year} (estimated, model-based)`),
          El('thead', {}, El('tr', {}, ['From', 'To', 'Movers', 'Low', 'High'].map((text) => El('th', {scope: 'col'}, text)))),
          El('tbody', {}, chosen.map((row) => El('tr', {},
              El('td', {}, row.origin_name), El('td', {}, row.dest_name), El('td', {class: 'num'}, FormatNumber(row.value)),
              El('td', {class: 'num'}, FormatNumber(row.low)), El('td', {class: 'num'}, FormatNumber(row.high)))))));
      Fill(frame.notes, 
          Note(`${chosen.length} of ${view.flows.length} estimated flows drawn (the largest${state.region ? ' to or from the chosen region' : ''}), ${view.year}. Width and colour by volume; the arrow points to the destination.`),
          view.note ? Note(view.note, 'estimated') : null,
          view.provenance && view.provenance.detail ? Note(`${ProvenanceText(view.provenance)}: ${view.provenance.detail}`) : null,
          view.method ? Note(`Method: ${typeof view.method === 'string' ? view.method : JSON.stringify(view.method)}`) : null);
    },
  };
}
