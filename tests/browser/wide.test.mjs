// The home page and the indexes use a wide screen: their lists (cards,
// glossary terms, progress rows) span the main column, several items to a
// row, while their prose keeps the reading measure; on a phone the same
// lists are one column and nothing scrolls sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, record } from './helpers.mjs';

const INDEXES = ['index.html', 'framework/index.html', 'cases/index.html', 'glossary/index.html', 'progress.html'];

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// The main column, and each list in it: width, items, how many share the
// first item's row, and how many distinct left edges (columns) they have.
const measure = (page) => page.evaluate(() => {
  const box = (el) => el.getBoundingClientRect();
  const lists = [...document.querySelectorAll('main :is(.cards, .terms, .progress-list)')].map((list) => {
    const items = [...list.children];
    const tops = items.map((i) => Math.round(box(i).top));
    return {
      list: list.className,
      width: box(list).width,
      items: items.length,
      firstRow: tops.filter((t) => Math.abs(t - tops[0]) < 2).length,
      columns: new Set(items.map((i) => Math.round(box(i).left))).size,
    };
  });
  const prose = [...document.querySelectorAll('main p, main li')]
    .filter((el) => !el.closest('.cards, .terms, .progress-list'))
    .map((el) => box(el).width);
  return {
    main: box(document.querySelector('main')).width,
    viewport: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
    prose: Math.max(0, ...prose),
    lists,
  };
});

test('index pages at 1600 px: their lists fill the main column, two or more to a row', async () => {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const rec = await record(context);
  const page = await context.newPage();
  const problems = [];
  let checked = 0;
  for (const rel of INDEXES) {
    await page.goto(server.url(rel));
    const m = await measure(page);
    if (m.main < 0.6 * m.viewport) problems.push(`${rel}: main is ${m.main} px of ${m.viewport}`);
    if (m.prose > 48 * m.rem) problems.push(`${rel}: a line of prose is ${m.prose} px wide`);
    if (m.lists.length === 0) problems.push(`${rel}: no list`);
    for (const l of m.lists.filter((x) => x.items >= 2)) {
      checked++;
      if (l.width < 0.8 * m.main) problems.push(`${rel} .${l.list}: ${l.width} px of main's ${m.main}`);
      if (l.firstRow < 2) problems.push(`${rel} .${l.list}: one item to a row`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked >= 3, `${checked} lists of two or more items checked`);
  assert.deepEqual(rec.consoleErrors, []);
  await context.close();
});

test('index pages at 390 px: one column, nothing scrolls sideways', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = [];
  for (const rel of INDEXES) {
    await page.goto(server.url(rel));
    const m = await measure(page);
    if (m.scrollWidth > m.viewport) problems.push(`${rel}: ${m.scrollWidth} px wide in ${m.viewport}`);
    for (const l of m.lists.filter((x) => x.items >= 2)) {
      if (l.columns !== 1) problems.push(`${rel} .${l.list}: ${l.columns} columns`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});
