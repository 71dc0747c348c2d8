// A ```dot diagram as a reader gets it (the golden case study has one): an
// image named by its caption, drawn in the text colour of the light and the
// dark theme, black on paper, and no wider than a phone's column.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, record } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// Colours the reader sees: the body's text, an edge's line and arrowhead,
// a node's text, a filled node's fill.
const diagramColors = (page) => page.evaluate(() => {
  const svg = document.querySelector('figure.diagram svg');
  const css = (sel, prop) => getComputedStyle(svg.querySelector(sel))[prop];
  return {
    text: getComputedStyle(document.body).color,
    line: css('.edge path', 'stroke'),
    arrow: css('.edge polygon', 'fill'),
    label: css('.node text', 'fill'),
    tint: css('.tint', 'fill'),
    bg: getComputedStyle(document.body).backgroundColor,
  };
});

test('diagram: an image named by its caption', async () => {
  const context = await browser.newContext();
  const rec = await record(context);
  const page = await context.newPage();
  await page.goto(server.url('cases/ranking.html'));
  const svg = page.locator('figure.diagram svg');
  assert.equal(await svg.count(), 1);
  assert.equal(await svg.getAttribute('role'), 'img');
  const name = await page.evaluate(() => {
    const el = document.querySelector('figure.diagram svg');
    return document.getElementById(el.getAttribute('aria-labelledby')).textContent;
  });
  assert.equal(name, 'The query path: retrieve, then rank');
  assert.equal(await page.locator('figure.diagram figcaption').textContent(), name);
  assert.deepEqual(rec.consoleErrors, []);
  await context.close();
});

test('diagram: drawn in the theme colours, light, dark and print', async () => {
  const seen = {};
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(server.url('cases/ranking.html'));
    seen[colorScheme] = await diagramColors(page);
    if (colorScheme === 'dark') {
      await page.emulateMedia({ media: 'print' });
      seen.print = await diagramColors(page);
    }
    await context.close();
  }
  for (const [mode, c] of Object.entries(seen)) {
    // Lines, arrowheads and labels are the text colour, whatever it is.
    assert.equal(c.line, c.text, `${mode}: edges follow the text colour`);
    assert.equal(c.arrow, c.text, `${mode}: arrowheads follow the text colour`);
    assert.equal(c.label, c.text, `${mode}: node labels follow the text colour`);
    assert.notEqual(c.tint, c.bg, `${mode}: a filled node stands out from the page`);
    assert.notEqual(c.tint, 'rgb(211, 211, 211)', `${mode}: the tint is the theme's, not Graphviz's grey`);
  }
  assert.notEqual(seen.light.line, seen.dark.line, 'the drawing changes with the theme');
  assert.notEqual(seen.light.tint, seen.dark.tint, 'so does the tint');
  assert.equal(seen.print.line, 'rgb(0, 0, 0)', 'paper: black lines');
  assert.equal(seen.print.bg, 'rgb(255, 255, 255)', 'paper: on white');
});

test('diagram: fits a 390 px phone column', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(server.url('cases/ranking.html'));
  const got = await page.evaluate(() => {
    const svg = document.querySelector('figure.diagram svg').getBoundingClientRect();
    const column = document.querySelector('figure.diagram').getBoundingClientRect();
    return { svg: svg.right, column: column.right, scroll: document.documentElement.scrollWidth };
  });
  assert.ok(got.svg <= got.column + 0.5, `diagram inside its column: ${JSON.stringify(got)}`);
  assert.ok(got.scroll <= 390, `no sideways scroll: ${JSON.stringify(got)}`);
  await context.close();
});
