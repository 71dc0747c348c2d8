// Measures the search box of a built site in Debian's Chromium:
//   - the size of assets/search-index.js and assets/lunr.js, raw and gzip -9;
//   - time to first result: from the load event to the first result shown
//     when a query is typed at once (a new browser profile: nothing kept),
//     and the same on a second page (the index kept in localStorage);
//   - query time, p50 and p99, over the query set (each query 20 times);
//   - recall@3 over tests/browser/search-queries.json.
// Usage: node bench/search.mjs [SITE]   (default: site/; needs `npm ci` in tests/browser)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { chromium } = await import(path.join(HERE, '../tests/browser/node_modules/playwright-core/index.mjs'));
const SITE = path.resolve(process.argv[2] || path.join(HERE, '../site'));
const QUERIES = JSON.parse(fs.readFileSync(path.join(HERE, '../tests/browser/search-queries.json'), 'utf8')).queries;
const RUNS = 5;

function size(rel) {
  const bytes = fs.readFileSync(path.join(SITE, rel));
  return `${rel}: ${(bytes.length / 1024).toFixed(1)} KiB raw, ${(zlib.gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KiB gzip`;
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

// Types `q` right after the load event; ms from the load event to the first result.
async function firstResult(page, url, q) {
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(async (q) => {
    const start = performance.getEntriesByType('navigation')[0].loadEventEnd || performance.now();
    const input = document.querySelector('#search-input');
    const list = document.querySelector('.search-results');
    const shown = new Promise((resolve) => {
      new MutationObserver(() => { if (list.firstChild) resolve(performance.now()); })
        .observe(list, { childList: true });
    });
    input.focus();
    input.value = q;
    input.dispatchEvent(new Event('input'));
    return (await shown) - start;
  }, q);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
console.log(size('assets/search-index.js'));
console.log(size('assets/lunr.js'));
console.log(size('assets/search.js'));

const cold = [], warm = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  cold.push(await firstResult(page, pathToFileURL(path.join(SITE, 'index.html')).href, 'log loss'));
  await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.includes(':search:')));
  warm.push(await firstResult(page, pathToFileURL(path.join(SITE, 'about.html')).href, 'log loss'));
  await context.close();
}
const ms = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
console.log(`time to first result after load, nothing kept: median ${percentile(cold, 50).toFixed(0)} ms (${ms(cold)})`);
console.log(`time to first result after load, index kept:   median ${percentile(warm, 50).toFixed(0)} ms (${ms(warm)})`);

const context = await browser.newContext();
const page = await context.newPage();
await page.goto(pathToFileURL(path.join(SITE, 'index.html')).href);
const stats = await page.evaluate(async (queries) => {
  await window.casebookSearch.ready();
  const times = [];
  const results = {};
  for (let r = 0; r < 20; r++) {
    for (const q of queries) {
      const t = performance.now();
      const got = window.casebookSearch.query(q);
      times.push(performance.now() - t);
      results[q] = got.map((x) => x.url);
    }
  }
  return { times, results };
}, QUERIES.map((q) => q.q));
console.log(`query time over ${stats.times.length} queries: p50 ${percentile(stats.times, 50).toFixed(2)} ms, p99 ${percentile(stats.times, 99).toFixed(2)} ms`);
let found = 0;
for (const e of QUERIES) {
  const top = stats.results[e.q].slice(0, 3);
  if (top.some((u) => e.expect.some((x) => (x.includes('#') ? u === x : u.split('#')[0] === x)))) found++;
  else console.log(`  missed at 3: ${e.q} -> ${top.join(', ')}`);
}
console.log(`recall@3: ${found}/${QUERIES.length} = ${(found / QUERIES.length).toFixed(3)}`);
await browser.close();
