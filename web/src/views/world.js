// Kazakhstan's international corridors (/api/flows/international): on a world map (lines
// between Kazakhstan and each partner, width by volume, arrivals and departures in two colours)
// and as a chord diagram of the period's largest corridors (the selection the API makes, as
// migest's mig_chord and the report draw it). Periods: the Abel & Cohen 5-year estimates and the
// official yearly CIS-partner statistics.
import {GetAsset, GetJson} from '../api.js';
import {echarts, kCategories, MakeChart} from '../charts.js';
import {ProvenanceText} from '../csv.js';
import {PermalinkOf} from '../state.js';
import {El, Fill, FormatNumber, Note, Select, ShowError, ViewFrame} from '../ui.js';

export const kTitle = 'International corridors';

const kArrivals = '#0072B2';
const kDepartures = '#D55E00';
let worldMap = null;

function WorldMap() {
  if (!worldMap) {
    worldMap = Promise.all([GetAsset('data/world-110m.geojson'), GetAsset('data/world-anchors.json')]).then(([geojson, anchors]) => {
      echarts.registerMap('world', geojson);
      return anchors;
    });
  }
  return worldMap;
}

export function Mount(root, context) {
  let view = null;
  const frame = ViewFrame({
    title: 'International corridors of Kazakhstan',
    subtitle: 'Official arrivals and departures by CIS partner (yearly), and Abel & Cohen estimates of all corridors (5-year periods).',
    permalink: () => PermalinkOf(context.state()),
    getCsv: () => view && {
      filename: `kazmig-international-${view.period}.csv`,
      columns: ['partner', 'partner_name', 'direction', 'source', 'year', 'period', 'value', {key: (row) => row.provenance && row.provenance.kind, header: 'provenance_kind'}, {key: (row) => ProvenanceText(row.provenance), header: 'provenance'}],
      rows: view.rows.filter((row) => (row.period ? row.period === view.period : String(row.year) === String(view.period))),
    },
  });
  const banner = El('p', {class: 'banner'});
  const mapElement = El('div', {class: 'chart chart-world', id: 'world-chart', role: 'img', 'aria-label': 'World map of migration corridors with Kazakhstan'});
  const chordElement = El('div', {class: 'chart chart-chord', id: 'chord-chart', role: 'img', 'aria-label': 'Chord diagram of the largest corridors'});
  frame.body.append(banner, El('div', {class: 'world-layout'}, mapElement,
      El('figure', {class: 'chord-figure'}, chordElement, El('figcaption', {id: 'chord-caption'}))));
  const listHolder = El('div', {class: 'table-holder', tabindex: '0', role: 'region', 'aria-label': 'Table of the corridors drawn'});
  frame.body.append(listHolder);
  root.append(frame.section);
  const mapChart = MakeChart(mapElement);
  const chordChart = MakeChart(chordElement);

  return {
    async update(state) {
      let anchors;
      try {
        [anchors, view] = await Promise.all([WorldMap(), GetJson('flows/international', {period: state.period})]);
      } catch (error) {
        ShowError(frame.body, error);
        return;
      }
      const choices = [
        ...(view.periods || []).map((period) => ({value: period, label: `${period} (Abel & Cohen, estimated)`})),
        ...(view.years || []).map((year) => ({value: String(year), label: `${year} (official, CIS partners)`})),
      ];
      const top = state.top === 'all' ? Infinity : Number(state.top || 30);
      frame.setControls([
        Select('Period', 'world-period', choices, view.period, (value) => context.set({period: value})),
        Select('Corridors drawn', 'world-top', [15, 30, 60, 'all'].map((value) => ({value, label: value === 'all' ? 'all' : `largest ${value}`})), state.top || 30,
            (value) => context.set({top: value})),
      ], `${view.period}|${state.top}`);
      const partners = new Map((view.partners || []).map((partner) => [partner.iso3, partner]));
      const anchorOf = (iso3) => {
        const partner = partners.get(iso3);
        return (partner && partner.centroid) || anchors[iso3] || null;
      };
      const home = anchorOf('KAZ');
      // The API sends every official row with an Abel period's rows: keep the chosen period's.
      const periodRows = view.rows.filter((row) => (row.period ? row.period === view.period : String(row.year) === String(view.period)));
      const drawable = periodRows.filter((row) => row.value > 0 && !(partners.get(row.partner) || {}).aggregate && anchorOf(row.partner));
      const chosen = [...drawable].sort((a, b) => b.value - a.value).slice(0, top);
      const largest = chosen.length ? chosen[0].value : 1;
      const estimated = periodRows.some((row) => row.provenance && row.provenance.kind === 'estimated');
      banner.className = `banner ${estimated ? 'estimated' : 'official'}`;
      banner.textContent = estimated ?
          `ESTIMATED — Abel & Cohen bilateral flow estimates, ${view.period} (model-based).` :
          `OFFICIAL — arrivals and departures for permanent residence by CIS partner, ${view.period}.`;
      const lineOf = (row) => ({
        coords: row.direction === 'arrivals' ? [anchorOf(row.partner), home] : [home, anchorOf(row.partner)],
        row,
        lineStyle: {width: 0.8 + 7 * (row.value / largest), color: row.direction === 'arrivals' ? kArrivals : kDepartures},
      });
      const tooltip = (params) => {
        if (!params.data || !params.data.row) return params.name || '';
        const row = params.data.row;
        const from = row.direction === 'arrivals' ? row.partner_name : 'Kazakhstan';
        const to = row.direction === 'arrivals' ? 'Kazakhstan' : row.partner_name;
        return `<b>${from} → ${to}</b><br>${row.period || row.year}: ${FormatNumber(row.value)} persons<br>${ProvenanceText(row.provenance)}`;
      };
      mapChart.setOption({
        aria: {enabled: true, label: {description: `${chosen.length} migration corridors with Kazakhstan, ${view.period}.`}},
        animation: false,
        tooltip: {trigger: 'item', formatter: tooltip},
        legend: {data: ['arrivals to Kazakhstan', 'departures from Kazakhstan'], top: 4},
        geo: {
          map: 'world', nameProperty: 'iso3', roam: true, silent: true,
          center: [62, 45], zoom: 1.9, scaleLimit: {min: 1, max: 12},
          itemStyle: {areaColor: '#eef0f3', borderColor: '#b8bec6', borderWidth: 0.5},
          regions: [{name: 'KAZ', itemStyle: {areaColor: '#cdd3da'}}],
        },
        series: [
          {name: 'arrivals to Kazakhstan', type: 'lines', coordinateSystem: 'geo', color: kArrivals, symbol: ['none', 'arrow'], symbolSize: 7, lineStyle: {curveness: 0.2, opacity: 0.8}, data: chosen.filter((row) => row.direction === 'arrivals').map(lineOf)},
          {name: 'departures from Kazakhstan', type: 'lines', coordinateSystem: 'geo', color: kDepartures, symbol: ['none', 'arrow'], symbolSize: 7, lineStyle: {curveness: -0.2, opacity: 0.8}, data: chosen.filter((row) => row.direction !== 'arrivals').map(lineOf)},
        ],
      }, true);
      const chord = view.chord || {nodes: [], links: []};
      const names = new Map((chord.nodes || []).map((node) => (typeof node === 'string' ? [node, node] : [node.id, node.name || node.id])));
      chordChart.setOption({
        aria: {enabled: true, label: {description: `Chord diagram of the ${chord.links.length} largest corridors, ${chord.period || view.period}.`}},
        animation: false,
        color: kCategories,
        tooltip: {
          trigger: 'item',
          formatter: (params) => (params.dataType === 'edge' ?
            `${names.get(params.data.source)} → ${names.get(params.data.target)}: ${FormatNumber(params.data.value)}` :
            names.get(params.name) || params.name),
        },
        series: [{
          type: 'chord', radius: ['56%', '63%'], padAngle: 2, minAngle: 3,
          label: {show: true, formatter: (params) => names.get(params.name) || params.name, fontSize: 10, width: 110, overflow: 'break'},
          labelLayout: {hideOverlap: true},
          lineStyle: {color: 'source', opacity: 0.45},
          data: [...names.keys()].map((id) => ({name: id})),
          links: chord.links.map((link) => ({source: link.source, target: link.target, value: link.value})),
        }],
      }, true);
      document.getElementById('chord-caption').textContent = `The ${chord.links.length} largest corridors, ${chord.period || view.period}: a ribbon runs from origin to destination, its width the flow.`;
      listHolder.replaceChildren(El('table', {class: 'data-table', id: 'corridor-table'},
          El('caption', {}, `The corridors drawn, ${view.period}`),
          El('thead', {}, El('tr', {}, ['Partner', 'Direction', 'Persons', 'Provenance'].map((text) => El('th', {scope: 'col'}, text)))),
          El('tbody', {}, chosen.map((row) => El('tr', {},
              El('td', {}, row.partner_name || row.partner), El('td', {}, row.direction), El('td', {class: 'num'}, FormatNumber(row.value)),
              El('td', {}, ProvenanceText(row.provenance)))))));
      const missing = periodRows.filter((row) => !(partners.get(row.partner) || {}).aggregate && !anchorOf(row.partner)).length;
      Fill(frame.notes, 
          Note(`${chosen.length} of ${drawable.length} corridors drawn (the largest). Blue: arrivals to Kazakhstan; orange: departures. Width by persons.`),
          missing ? Note(`${missing} rows have a partner without a place on the map (not drawn; in the CSV).`) : null,
          view.note ? Note(view.note) : null,
          Note('Country anchors: Natural Earth 1:110m (world-atlas) where the API gives no centroid.'));
    },
  };
}
