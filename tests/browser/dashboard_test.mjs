// Browser test of the dashboard: the real `kazmig serve` (temporary database, the built-in data
// loaded on first use) on a free loopback port, driven by Debian's chromium through
// playwright-core (headless, --no-sandbox, a fresh user-data folder). Checks, in order:
//   - the dashboard loads with no console errors; first paint is measured and printed (target
//     under 1 s; the test fails above 5 s only, so that a busy machine does not make it flaky);
//   - the map shows the 20 regions; moving the year slider (keyboard) changes the map;
//   - clicking a region on the map shows its time series; picking it from the list does too;
//   - the CSV download of the map holds the 20 regions;
//   - the flows view draws lines; the international view draws corridors and the chord diagram;
//   - the series view shows measures/breaks from the API; the table sorts; the risk view ranks;
//   - the scenario view shows a fan chart for each scenario of /api/scenarios;
//   - a permalink restores its view; keyboard: Tab reaches the navigation, Enter opens a view.
// Screenshots go to $KAZMIG_TEST_ARTIFACTS (build/test-artifacts). The server is always killed.
// Exit 0 pass, 1 fail, 77 skip (chromium, node_modules, the bundle or `kazmig serve` missing).
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const env = process.env;
const kazmig = env.KAZMIG;
const sourceDir = env.KAZMIG_SOURCE_DIR;
const chromiumPath = env.KAZMIG_CHROMIUM || '/usr/bin/chromium';
const webRoot = env.KAZMIG_WEB_ROOT;
const artifacts = env.KAZMIG_TEST_ARTIFACTS || join(tmpdir(), 'kazmig-test-artifacts');

function Skip(message) {
  console.error(`SKIP: ${message}`);
  process.exit(77);
}
if (!kazmig || !sourceDir) {
  console.error('FAIL: KAZMIG and KAZMIG_SOURCE_DIR must be set');
  process.exit(1);
}
if (!existsSync(chromiumPath)) Skip(`no chromium at ${chromiumPath} (Debian package chromium)`);
const modules = join(sourceDir, 'web', 'node_modules');
if (!existsSync(join(modules, 'playwright-core'))) Skip('web/node_modules/playwright-core missing (run `npm ci` in web/)');
if (!webRoot || !existsSync(join(webRoot, 'index.html'))) Skip(`the dashboard is not built (${webRoot || 'KAZMIG_WEB_ROOT unset'}/index.html missing)`);
const serveHelp = spawnSync(kazmig, ['serve', '--help'], {encoding: 'utf8'});
if (serveHelp.status !== 0 || !/Usage: \S*kazmig serve/.test(serveHelp.stdout)) Skip('this kazmig has no `serve` command');

const {chromium} = createRequire(join(modules, 'playwright-core', 'package.json'))('playwright-core');

const temp = mkdtempSync(join(tmpdir(), 'kazmig-browser-'));
mkdirSync(artifacts, {recursive: true});
let server = null;
let browser = null;
let baseUrl = '';
const failures = [];

function Check(condition, message) {
  if (condition) {
    console.log(`ok   ${message}`);
  } else {
    console.log(`FAIL ${message}`);
    failures.push(message);
  }
}

function StopServer() {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
}
process.on('exit', () => {
  StopServer();
  rmSync(temp, {recursive: true, force: true});
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    StopServer();
    process.exit(1);
  });
}

// Starts `kazmig serve --port 0` and resolves to its base URL (printed once the socket is bound).
function StartServer() {
  return new Promise((resolve, reject) => {
    server = spawn(kazmig, ['serve', '--host', '127.0.0.1', '--port', '0', '--web-root', webRoot],
        {env: {...env, KAZMIG_DB: join(temp, 'kazmig.db')}, stdio: ['ignore', 'pipe', 'pipe']});
    let output = '';
    const timer = setTimeout(() => reject(new Error(`kazmig serve printed no URL in 300 s: ${output}`)), 300000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${match[1]}/`);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', (chunk) => {
      output += chunk;
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kazmig serve exited (${code}): ${output}`));
    });
  });
}

async function WaitForHealth(base) {
  const deadline = Date.now() + 120000;
  for (;;) {
    try {
      const response = await fetch(`${base}api/health`);
      if (response.ok && (await response.json()).status === 'ok') return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('/api/health did not answer ok within 120 s');
    await new Promise((done) => setTimeout(done, 200));
  }
}

// Waits until the dashboard has applied its state and drawn the view.
async function Ready(page, view) {
  await page.waitForFunction((name) => window.kazmig && window.kazmig.ready && document.body.dataset.view === name, view, {timeout: 180000});
}

// Follows a view link and prints how long the view took to draw.
async function OpenView(page, view) {
  const start = Date.now();
  await page.click(`#nav a[data-view="${view}"]`);
  await Ready(page, view);
  console.log(`     view ${view} drawn in ${Date.now() - start} ms`);
}

// The fill colours of the map's region shapes, in drawing order.
function MapFills(page) {
  return page.$$eval('#map-chart svg path', (paths) => paths.map((path) => path.getAttribute('fill')).filter((fill) => fill && fill !== 'none' && !fill.startsWith('url(')));
}

function Option(page, id) {
  return page.evaluate((elementId) => {
    const chart = window.kazmig.echarts.getInstanceByDom(document.getElementById(elementId));
    const option = chart.getOption();
    return {series: option.series.map((series) => ({type: series.type, count: (series.data || []).length, links: (series.links || []).length}))};
  }, id);
}

async function Shot(page, name) {
  const path = join(artifacts, `dashboard-${name}.png`);
  await page.screenshot({path, fullPage: true});
  console.log(`     screenshot ${path}`);
}

async function Main() {
  const base = await StartServer();
  baseUrl = base;
  console.log(`server ${base}`);
  await WaitForHealth(base);
  const api = async (path) => {
    const response = await fetch(`${base}api/${path}`);
    return {status: response.status, body: await response.json()};
  };
  const regions = (await api('regions')).body;
  const regionList = Array.isArray(regions) ? regions : regions.regions;

  browser = await chromium.launchPersistentContext(join(temp, 'profile'), {
    executablePath: chromiumPath, headless: true, args: ['--no-sandbox'],
    viewport: {width: 1400, height: 1000}, acceptDownloads: true,
  });
  const page = browser.pages()[0] || await browser.newPage();
  // Under a loaded CI machine (ctest -j with the integration tests) a view may take longer than
  // playwright's 30 s default to draw; a real failure still fails, only later.
  page.setDefaultTimeout(120000);
  const consoleErrors = [];
  page.on('console', (message) => {
    // The browser's own favicon request (of a page that is not the dashboard) is not the page's.
    if (message.type() === 'error' && !/favicon\.ico$/.test(message.location().url || '')) {
      consoleErrors.push(`${message.text()} (${message.location().url || 'page'})`);
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  page.on('response', (response) => {
    if (response.status() >= 400) consoleErrors.push(`HTTP ${response.status()} ${response.url()}`);
  });

  // --- load, first paint, the map ---------------------------------------------------------
  // A first navigation warms the browser (renderer process), so that the paint timings below
  // are the dashboard's and not the browser's start-up.
  await page.goto('about:blank');
  await page.setContent('<p>warm-up</p>');
  await page.goto(`${base}#view=map&indicator=net_rate`, {waitUntil: 'load'});
  await Ready(page, 'map');
  await page.waitForSelector('#map-chart svg path');
  const timing = await page.evaluate(() => {
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((entry) => [entry.name, entry.startTime]));
    const mark = performance.getEntriesByName('kazmig:first-view').map((entry) => entry.startTime)[0];
    return {paint, mark};
  });
  console.log(`first paint ${timing.paint['first-paint']?.toFixed(0)} ms, first contentful paint ${timing.paint['first-contentful-paint']?.toFixed(0)} ms, map drawn ${timing.mark?.toFixed(0)} ms (localhost, headless chromium)`);
  // The target is under 1 s on localhost (docs/dashboard.md has the measured figure); the test
  // fails only far above it, so that a loaded machine does not make it flaky.
  const contentful = timing.paint['first-contentful-paint'];
  Check(contentful !== undefined, 'first contentful paint recorded');
  console.log(`     first contentful paint ${contentful < 1000 ? 'meets' : 'MISSES'} the 1 s target`);
  Check(contentful < 5000, `first contentful paint within 5 s (${contentful?.toFixed(0)} ms)`);

  const mapOption = await Option(page, 'map-chart');
  Check(mapOption.series[0].type === 'map' && mapOption.series[0].count === 20, `the map series holds 20 regions (${mapOption.series[0].count})`);
  const fillsBefore = await MapFills(page);
  Check(fillsBefore.length >= 20, `the map draws at least 20 region shapes (${fillsBefore.length})`);
  Check(new Set(fillsBefore).size >= 5, `the regions have different colours (${new Set(fillsBefore).size})`);
  const pickerOptions = await page.$$eval('#region-picker option', (options) => options.filter((option) => option.value).length);
  Check(pickerOptions === 20, `the region list offers 20 regions (${pickerOptions})`);
  await Shot(page, 'map');

  // --- the year slider (keyboard) -----------------------------------------------------------
  const yearBefore = await page.$eval('#year-slider + output', (output) => output.textContent);
  await page.focus('#year-slider');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((year) => location.hash.includes('year=') && !location.hash.includes(`year=${year}`), yearBefore);
  await Ready(page, 'map');
  const yearAfter = await page.$eval('#year-slider + output', (output) => output.textContent);
  const fillsAfter = await MapFills(page);
  Check(yearAfter !== yearBefore, `the slider moved the year (${yearBefore} -> ${yearAfter})`);
  Check(JSON.stringify(fillsAfter) !== JSON.stringify(fillsBefore), 'the map changed with the year');
  Check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'year-slider'), 'focus stays on the slider');
  await Shot(page, 'map-year');

  // --- clicking a region shows its series -------------------------------------------------
  const target = regionList.find((region) => region.id === '35') || regionList[0];
  const centroid = target.centroid || [target.longitude, target.latitude];
  const pixel = await page.evaluate((point) => {
    const chart = window.kazmig.echarts.getInstanceByDom(document.getElementById('map-chart'));
    return chart.convertToPixel({seriesIndex: 0}, point);
  }, centroid);
  const box = await page.$eval('#map-chart', (element) => {
    const rect = element.getBoundingClientRect();
    return {x: rect.left, y: rect.top};
  });
  await page.mouse.click(box.x + pixel[0], box.y + pixel[1]);
  await page.waitForFunction((id) => location.hash.includes(`region=${id}`), target.id, {timeout: 10000}).catch(() => {});
  await Ready(page, 'map');
  await page.waitForSelector('#region-series svg path', {timeout: 20000}).catch(() => {});
  const panelTitle = await page.$eval('#region-panel h3', (heading) => heading.textContent).catch(() => '');
  Check(panelTitle === (target.name || target.name_en), `clicking ${target.name || target.name_en} on the map selects it (panel: "${panelTitle}")`);
  const seriesOption = await Option(page, 'region-series').catch(() => ({series: []}));
  Check(seriesOption.series.some((series) => series.type === 'line' && series.count > 0), 'the region panel draws its time series');
  await Shot(page, 'map-region');
  // the same from the list (keyboard users)
  await page.selectOption('#region-picker', '75');
  await Ready(page, 'map');
  await page.waitForFunction(() => document.querySelector('#region-panel h3')?.textContent.includes('Almaty'), null, {timeout: 20000}).catch(() => {});
  Check((await page.$eval('#region-panel h3', (heading) => heading.textContent)).includes('Almaty'), 'picking Almaty (city) from the list selects it');

  // --- CSV download of the map ----------------------------------------------------------------
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download CSV')]);
  const csvPath = join(temp, 'map.csv');
  await download.saveAs(csvPath);
  const csv = (await import('node:fs')).readFileSync(csvPath, 'utf8').trim().split(/\r?\n/);
  Check(csv[0].startsWith('region,region_name,indicator,year,value') && csv.length === 21, `the map CSV has a header and 20 rows (${csv.length - 1})`);

  // --- flows ------------------------------------------------------------------------------------
  await OpenView(page, 'flows');
  const flowsOption = await Option(page, 'flows-chart');
  const lines = flowsOption.series.find((series) => series.type === 'lines');
  Check(lines && lines.count > 0, `the flows view draws lines (${lines ? lines.count : 0})`);
  const strokes = await page.$$eval('#flows-chart svg path', (paths) => paths.filter((path) => path.getAttribute('stroke') && path.getAttribute('fill') === 'none').length);
  Check(strokes >= (lines ? lines.count : 1), `the flow lines are in the SVG (${strokes} stroked paths)`);
  Check((await page.textContent('.banner')).includes('ESTIMATED'), 'the flows are labelled as estimated, model-based');
  await Shot(page, 'flows');

  // --- international corridors ------------------------------------------------------------
  await OpenView(page, 'world');
  const worldOption = await Option(page, 'world-chart');
  const corridorCount = worldOption.series.filter((series) => series.type === 'lines').reduce((sum, series) => sum + series.count, 0);
  Check(corridorCount > 0, `the world map draws corridors (${corridorCount})`);
  const chordOption = await Option(page, 'chord-chart');
  Check(chordOption.series[0].type === 'chord' && chordOption.series[0].links > 0, `the chord diagram has links (${chordOption.series[0].links})`);
  await Shot(page, 'world');

  // --- series view (permalink) ------------------------------------------------------------
  await page.goto(`${base}#view=series&region=75&series=net_internal`);
  await Ready(page, 'series');
  Check((await page.textContent('#series-heading')).includes('Almaty'), 'a permalink restores the series view of Almaty (city)');
  Check(await page.$eval('#series-indicator', (select) => select.value) === 'net_internal', 'the permalink restores the chosen series');
  const series = (await api('series?indicator=net_internal&region=75')).body;
  const seriesDrawn = await Option(page, 'series-chart');
  Check(seriesDrawn.series.some((item) => item.type === 'line' && item.count === series.values.length), `the series chart has the API's ${series.values.length} points`);
  await Shot(page, 'series');

  // --- table ------------------------------------------------------------------------------------
  await OpenView(page, 'table');
  const rowCount = await page.$$eval('#indicator-table tbody tr', (rows) => rows.length);
  Check(rowCount >= 20, `the indicator table has a row per region (${rowCount})`);
  const sortButton = await page.$$('#indicator-table thead button.sort');
  if (sortButton.length > 1) {
    await sortButton[1].focus();
    await page.keyboard.press('Enter');
    await Ready(page, 'table');
    Check(await page.evaluate(() => location.hash.includes('sort=')), 'Enter on a column header sorts (state in the URL)');
    Check(await page.$eval('#indicator-table thead th[aria-sort="ascending"]', () => true).catch(() => false), 'the sorted column says so (aria-sort)');
  }
  await Shot(page, 'table');

  // --- risk -------------------------------------------------------------------------------------
  if (!(await Served('risk'))) return Finish();
  await OpenView(page, 'risk');
  const riskRows = await page.$$eval('#risk-table tbody tr', (rows) => rows.length);
  Check(riskRows === 20, `the risk ranking lists 20 regions (${riskRows})`);
  await Shot(page, 'risk');

  // --- scenarios --------------------------------------------------------------------------------
  if (!(await Served('scenarios'))) return Finish();
  const scenarioDocument = (await api('scenarios')).body;
  const scenarioList = (scenarioDocument.scenarios || []).map((item) => (typeof item === 'string' ? item : item.id || item.name));
  await OpenView(page, 'scenarios');
  const fans = await page.$$eval('#fan-grid figure.fan', (figures) => figures.map((figure) => figure.dataset.scenario));
  Check(scenarioList.length > 0 && JSON.stringify(fans) === JSON.stringify(scenarioList), `the scenario view shows each scenario (${fans.join(', ')})`);
  for (const scenario of fans) {
    const option = await Option(page, `fan-${scenario}`);
    Check(option.series.some((item) => item.type === 'line' && item.count > 1), `the fan chart of ${scenario} has its median line`);
  }
  await Shot(page, 'scenarios');

  await Finish();

  // The last checks, also run when a view's endpoint is not served yet.
  async function Finish() {
    await Keyboard();
    Check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? `: ${consoleErrors.join(' | ')}` : ''}`);
  }
}

// Whether the server has an endpoint yet (views are added as their analyses land, issue 19): a
// view whose endpoint is missing is not visited, and the test says so.
async function Served(path) {
  const response = await fetch(`${baseUrl}api/${path}`);
  if (response.status === 404) {
    console.log(`NOT CHECKED: /api/${path} is not served by this kazmig yet`);
    return false;
  }
  return true;
}

async function Keyboard() {
  const page = browser.pages()[0];
  // --- keyboard: Tab reaches the navigation, Enter opens a view ------------------------------
  await page.goto('about:blank');
  await page.goto(`${baseUrl}#view=map`);
  await Ready(page, 'map');
  await page.keyboard.press('Tab');  // skip link
  await page.keyboard.press('Tab');  // first navigation link
  await page.keyboard.press('Tab');  // second: flows
  Check(await page.evaluate(() => document.activeElement.dataset.view) === 'flows', 'Tab reaches the navigation links in order');
  await page.keyboard.press('Enter');
  await Ready(page, 'flows');
  Check(await page.evaluate(() => location.hash.startsWith('#view=flows')), 'Enter on a navigation link opens its view');
}

try {
  await Main();
} catch (error) {
  failures.push(String(error && error.stack ? error.stack : error));
  console.log(`FAIL ${error && error.stack ? error.stack : error}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  StopServer();
}
if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('all browser checks passed');
