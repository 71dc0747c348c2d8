// The comparison page (cases/compare.html): on a phone the case-study
// column stays in view while the table scrolls sideways, a field a case
// study leaves out shows an em dash, every cell links to a section that
// exists, and on paper the page is landscape while other pages stay portrait.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('on a phone the first column stays in view while the table scrolls sideways', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  await page.goto(server.url('cases/compare.html'));
  const where = () => page.evaluate(() => {
    const row = document.querySelector('table.compare tbody tr');
    return { first: row.cells[0].getBoundingClientRect().left, second: row.cells[1].getBoundingClientRect().left };
  });
  const before = await where();
  const scrolled = await page.evaluate(() => {
    const box = document.querySelector('.compare-scroll');
    box.scrollLeft = 300;
    return box.scrollLeft;
  });
  assert.ok(scrolled > 100, `the table is wider than the phone and scrolls (scrolled ${scrolled}px)`);
  const after_ = await where();
  assert.equal(after_.first, before.first, 'the case-study column did not move');
  assert.ok(after_.second < before.second - 100, 'the other columns moved');
  await context.close();
});

async function cells(page) {
  await page.goto(server.url('cases/compare.html'));
  return page.evaluate(() => [...document.querySelectorAll('table.compare tbody td')].map((td) => ({
    text: td.textContent.trim(),
    links: [...td.querySelectorAll('a')].map((a) => a.href),
  })));
}

// The golden fixture leaves some fields out on purpose.
test('missing fields show an em dash', async () => {
  const context = await browser.newContext();
  const found = await cells(await context.newPage());
  assert.ok(found.some((c) => c.text === '—'), 'a missing field shows an em dash');
  assert.ok(found.some((c) => c.links.length > 0), 'fields that are present are links');
  await context.close();
});

test('every comparison cell links to an existing section', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const found = await cells(page);
  const checked = new Set();
  for (const href of found.flatMap((c) => c.links)) {
    if (checked.has(href)) continue;
    checked.add(href);
    const url = new URL(href);
    const response = await page.goto(href);
    assert.ok(response === null || response.ok(), `${href} loads`);
    if (url.hash) {
      const id = decodeURIComponent(url.hash.slice(1));
      assert.ok(await page.evaluate((i) => !!document.getElementById(i), id), `${href}: #${id} exists`);
    }
  }
  assert.ok(checked.size >= 5, `checked ${checked.size} links`);
  await context.close();
});

// Width and height of the first page of a PDF, from its MediaBox.
function pageSize(pdf) {
  const m = pdf.toString('latin1').match(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/);
  assert.ok(m, 'the PDF has a MediaBox');
  return { width: Number(m[1]), height: Number(m[2]) };
}

test('on paper the comparison is landscape and a case study portrait', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url('cases/compare.html'));
  const compare = pageSize(await page.pdf({ preferCSSPageSize: true }));
  assert.ok(compare.width > compare.height, `compare.html prints landscape (${compare.width}×${compare.height})`);
  await page.goto(await page.evaluate(() => document.querySelector('table.compare tbody th a').href));
  const study = pageSize(await page.pdf({ preferCSSPageSize: true }));
  assert.ok(study.width < study.height, `a case study prints portrait (${study.width}×${study.height})`);
  await context.close();
});
