// Bundles the dashboard (web/src) into one folder that `kazmig serve` serves as its web root:
//   node build.mjs --out DIR [--dev]
// DIR gets index.html, app.css, app.js with chunks/ (esbuild bundle of src/main.js and the parts
// of ECharts it uses, split into chunks loaded on demand), and data/world-110m.geojson with
// data/world-anchors.json (Natural Earth countries from the world-atlas package: the backdrop of
// the international corridors map). Nothing is loaded from the internet at run time: every byte
// the page needs is in DIR. --dev keeps the bundle unminified with source maps. The CMake target
// `kazmig_web` runs this at build time (cmake/KazmigWeb.cmake).
import {build} from 'esbuild';
import countries from 'i18n-iso-countries';
import {feature} from 'topojson-client';
import {copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
if (outIndex < 0 || !args[outIndex + 1]) {
  console.error('usage: node build.mjs --out DIR [--dev]');
  process.exit(2);
}
const out = resolve(args[outIndex + 1]);
const dev = args.includes('--dev');

mkdirSync(join(out, 'data'), {recursive: true});
rmSync(join(out, 'chunks'), {recursive: true, force: true});
// ES modules split into chunks: app.js is the shell (router, state, API); each view and ECharts
// come as chunks loaded on first use (dynamic import), so the page paints before they arrive.
await build({
  entryPoints: {app: join(here, 'src/main.js')},
  bundle: true,
  format: 'esm',
  splitting: true,
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: !dev,
  sourcemap: dev,
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(join(here, 'src/index.html'), join(out, 'index.html'));
copyFileSync(join(here, 'src/app.css'), join(out, 'app.css'));
// The world backdrop of the international corridors map, prepared once here: Natural Earth
// 1:110m countries (world-atlas) as GeoJSON whose features carry the ISO 3166-1 alpha-3 code
// (properties.iso3, from the numeric id via i18n-iso-countries; the API names partners by ISO3),
// and an anchor point per country for the corridor lines (data/world-anchors.json: the
// area-weighted centre of the country's largest polygon, in degrees). Cartography, not analysis:
// used only where the API gives a partner no centroid.
const topology = JSON.parse(
    readFileSync(join(here, 'node_modules/world-atlas/countries-110m.json'), 'utf8'));
const world = feature(topology, topology.objects.countries);
// Antarctica is left out (no migration, and it would take a fifth of the map's height).
world.features = world.features.filter((country) => country.id !== '010');
const anchors = {};
for (const country of world.features) {
  const iso3 = countries.numericToAlpha3(country.id) || '';
  country.properties = {name: country.properties.name, iso3};
  if (!country.geometry) continue;
  const polygons = country.geometry.type === 'Polygon' ? [country.geometry.coordinates]
                                                       : country.geometry.coordinates;
  // A plain longitude/latitude map would draw a ring that crosses the antimeridian (Russia's
  // Chukotka, Fiji) as a band around the world: unwrap each ring so it stays in one piece.
  for (const polygon of polygons) {
    for (let ring_idx = 0; ring_idx < polygon.length; ++ring_idx) {
      polygon[ring_idx] = Unwrap(polygon[ring_idx]);
    }
  }
  if (!iso3) continue;
  let best = null;
  for (const polygon of polygons) {
    const centre = RingCentre(polygon[0]);
    if (centre && (!best || centre.area > best.area)) best = centre;
  }
  if (best) anchors[iso3] = [Round(((best.x + 540) % 360) - 180), Round(best.y)];
}
writeFileSync(join(out, 'data/world-110m.geojson'), JSON.stringify(world));
writeFileSync(join(out, 'data/world-anchors.json'), JSON.stringify(anchors));

// A ring without steps of more than 180 degrees of longitude, shifted by 360 degrees if its
// mean longitude left [-180, 180].
function Unwrap(input) {
  const ring = [];
  for (const [lon, lat] of input) {
    let x = lon;
    if (ring.length) {
      const previous = ring[ring.length - 1][0];
      while (x - previous > 180) x -= 360;
      while (previous - x > 180) x += 360;
    }
    ring.push([x, lat]);
  }
  const mean = ring.reduce((sum, point) => sum + point[0], 0) / ring.length;
  const shift = mean > 180 ? -360 : mean < -180 ? 360 : 0;
  return shift ? ring.map(([x, y]) => [x + shift, y]) : ring;
}

// The centre of mass of a ring (shoelace formula on lon/lat), with its absolute area.
function RingCentre(ring) {
  let area = 0;
  let x = 0;
  let y = 0;
  for (let point_idx = 0; point_idx + 1 < ring.length; ++point_idx) {
    const [x0, y0] = ring[point_idx];
    const [x1, y1] = ring[point_idx + 1];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    x += (x0 + x1) * cross;
    y += (y0 + y1) * cross;
  }
  if (area === 0) return null;
  return {area: Math.abs(area / 2), x: x / (3 * area), y: y / (3 * area)};
}

function Round(value) {
  return Math.round(value * 100) / 100;
}
