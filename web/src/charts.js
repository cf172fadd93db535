// ECharts, reduced to the series and components the views use (tree-shaken by esbuild), drawn
// with the SVG renderer: no WebGL, crisp when zoomed, and every mark is a DOM node the browser
// tests can see. Also the colour scales: all readable by colour-blind readers (viridis for
// magnitudes, ColorBrewer PuOr for signed values such as net migration, Okabe-Ito for
// categories).
import * as echarts from 'echarts/core';
import {
  BarChart, ChordChart, CustomChart, LineChart, LinesChart, MapChart, ScatterChart,
} from 'echarts/charts';
import {
  AriaComponent, GeoComponent, GridComponent, LegendComponent, MarkAreaComponent,
  MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components';
import {SVGRenderer} from 'echarts/renderers';

echarts.use([
  BarChart, ChordChart, CustomChart, LineChart, LinesChart, MapChart, ScatterChart,
  AriaComponent, GeoComponent, GridComponent, LegendComponent, MarkAreaComponent,
  MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent, SVGRenderer,
]);

export {echarts};

// Viridis, 9 stops (perceptually uniform, readable in grey and by deuteranopes).
export const kViridis = [
  '#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30',
  '#fde725',
];
// ColorBrewer PuOr (diverging, colour-blind safe): orange = loss, purple = gain.
export const kDiverging = [
  '#b35806', '#e08214', '#fdb863', '#fee0b6', '#f7f7f7', '#d8daeb', '#b2abd2', '#8073ac',
  '#542788',
];
// Okabe-Ito qualitative palette.
export const kCategories = [
  '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000',
];

// Indicators whose values have a sign worth a diverging scale centred on zero.
export function IsSigned(indicator) {
  return indicator === 'net_rate' || indicator === 'projected_change';
}

// Creates (or reuses) the chart of `element`; charts resize with their box.
const observers = new WeakMap();
export function MakeChart(element) {
  let chart = echarts.getInstanceByDom(element);
  if (!chart) {
    chart = echarts.init(element, null, {renderer: 'svg'});
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    observers.set(element, observer);
  }
  return chart;
}

export function DisposeCharts(root) {
  for (const element of root.querySelectorAll('.chart')) {
    const chart = echarts.getInstanceByDom(element);
    if (chart) chart.dispose();
    const observer = observers.get(element);
    if (observer) observer.disconnect();
  }
}
