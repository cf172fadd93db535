// The risk ranking (/api/risk): regions in the API's rank order, each with its score and its
// 5-95% rank band from the Monte Carlo sensitivity analysis (a bar from the band's low to high
// rank, the dot at the rank), and the table with components and warnings.
import {GetJson} from '../api.js';
import {kViridis, MakeChart} from '../charts.js';
import {PermalinkOf} from '../state.js';
import {El, Fill, FormatNumber, Note, ShowError, ViewFrame} from '../ui.js';

export const kTitle = 'Risk ranking';

function Band(row) {
  const band = row.rank_band || row.band || [];
  return Array.isArray(band) ? band : [band.low, band.high];
}

export function Mount(root, context) {
  let document = null;
  const frame = ViewFrame({
    title: 'Regional migration-risk ranking',
    subtitle: 'Composite risk index (0 = least, 1 = most risk); bars show the 5–95% band of each rank under changed weights and normalisations.',
    permalink: () => PermalinkOf(context.state()),
    getCsv: () => document && {
      filename: `kazmig-risk-${document.year || ''}.csv`,
      columns: ['rank', 'region', 'name', 'score', 'median_rank', {key: (row) => Band(row)[0], header: 'rank_band_low'}, {key: (row) => Band(row)[1], header: 'rank_band_high'}, 'robust',
        {key: (row) => (row.flags || []).map((flag) => (typeof flag === 'string' ? flag : flag.rule || flag.name || JSON.stringify(flag))).join('; '), header: 'flags'}],
      rows: document.regions || [],
    },
  });
  const chartElement = El('div', {class: 'chart chart-risk', id: 'risk-chart', role: 'img', 'aria-label': 'Risk ranking with rank bands'});
  const holder = El('div', {class: 'table-holder', tabindex: '0', role: 'region', 'aria-label': 'Risk table'});
  frame.body.append(chartElement, holder);
  root.append(frame.section);
  const chart = MakeChart(chartElement);

  return {
    async update() {
      try {
        document = await GetJson('risk');
      } catch (error) {
        ShowError(frame.body, error);
        return;
      }
      const rows = document.regions || [];
      const names = rows.map((row) => row.name || row.region_name || row.region);
      const count = rows.length;
      chart.setOption({
        aria: {enabled: true, label: {description: `Risk ranking of ${count} regions in ${document.year}.`}},
        animation: false,
        tooltip: {
          trigger: 'item',
          formatter: (params) => {
            const row = rows[params.dataIndex];
            const band = Band(row);
            return `<b>${names[params.dataIndex]}</b><br>rank ${row.rank} (5–95% band ${band[0]}–${band[1]})<br>score ${FormatNumber(row.score, 3)}${row.robust ? '<br>robust rank' : ''}`;
          },
        },
        grid: [{left: 150, right: '52%', top: 36, bottom: 28}, {left: '56%', right: 24, top: 36, bottom: 28}],
        title: [{text: 'Rank and its 5–95% band', left: 150, top: 4, textStyle: {fontSize: 13}}, {text: 'Risk score (0–1)', left: '56%', top: 4, textStyle: {fontSize: 13}}],
        xAxis: [{type: 'value', gridIndex: 0, min: 1, max: count, inverse: false, minInterval: 1, name: 'rank'}, {type: 'value', gridIndex: 1, min: 0, max: 1}],
        yAxis: [{type: 'category', gridIndex: 0, data: names, inverse: true, axisLabel: {fontSize: 11}}, {type: 'category', gridIndex: 1, data: names, inverse: true, axisLabel: {show: false}}],
        series: [
          {
            type: 'custom', xAxisIndex: 0, yAxisIndex: 0,
            data: rows.map((row, index) => [Band(row)[0], Band(row)[1], row.rank, index]),
            encode: {x: [0, 1, 2], y: 3},
            renderItem: (params, api) => {
              const low = api.coord([api.value(0), api.value(3)]);
              const high = api.coord([api.value(1), api.value(3)]);
              const rank = api.coord([api.value(2), api.value(3)]);
              const height = api.size([0, 1])[1] * 0.45;
              return {type: 'group', children: [
                {type: 'rect', shape: {x: low[0], y: low[1] - height / 2, width: Math.max(2, high[0] - low[0]), height}, style: {fill: '#b2abd2'}},
                {type: 'circle', shape: {cx: rank[0], cy: rank[1], r: 4.5}, style: {fill: '#542788', stroke: '#fff', lineWidth: 1}},
              ]};
            },
          },
          {
            type: 'bar', xAxisIndex: 1, yAxisIndex: 1, barWidth: '55%',
            data: rows.map((row) => ({value: row.score, itemStyle: {color: kViridis[Math.min(8, Math.floor((1 - row.score) * 8))]}})),
            label: {show: true, position: 'right', formatter: (params) => FormatNumber(params.value, 2), fontSize: 10},
          },
        ],
      }, true);
      const components = document.method && document.method.components ? document.method.components : [];
      const table = El('table', {class: 'data-table', id: 'risk-table'},
          El('caption', {}, `Risk index ${document.year || ''}: ranks, bands and warnings`),
          El('thead', {}, El('tr', {}, ['Rank', 'Region', 'Score', 'Median rank', '5–95% rank band', 'Robust', 'Warnings'].map((text) => El('th', {scope: 'col'}, text)))),
          El('tbody', {}, rows.map((row, index) => El('tr', {},
              El('td', {class: 'num'}, String(row.rank)), El('th', {scope: 'row'}, names[index]),
              El('td', {class: 'num'}, FormatNumber(row.score, 3)), El('td', {class: 'num'}, FormatNumber(row.median_rank, 1)),
              El('td', {class: 'num'}, `${Band(row)[0]}–${Band(row)[1]}`), El('td', {}, row.robust ? 'yes' : 'no'),
              El('td', {}, (row.flags || []).map((flag) => (typeof flag === 'string' ? flag : flag.message || flag.rule || JSON.stringify(flag))).join('; ') || '—')))));
      holder.replaceChildren(table);
      Fill(frame.notes, 
          Note(`Components: ${components.map((item) => `${item.name} (${item.direction === '+' ? 'more = more risk' : 'less = more risk'}, ${item.unit})`).join('; ') || 'see /api/risk'}.`),
          document.method && document.method.missing_components && document.method.missing_components.length ?
            Note(`Not in this year: ${document.method.missing_components.map((item) => `${item.component} (${item.reason})`).join('; ')}.`) : null,
          Note('Every input is official; the index, ranks and bands are computed by kazmig (estimated).', 'estimated'));
    },
  };
}
