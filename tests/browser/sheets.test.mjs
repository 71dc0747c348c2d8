// The cheat sheets (sheets/*.html): printed by Chromium on A4 and on US
// Letter, portrait, each case-study and framework sheet is exactly one page
// and the metrics sheet at most two; no printed text is under 7.5 pt
// (10 CSS px), diagram labels as scaled included; a case sheet still fits with a diagram in its 60 mm box; and
// the case-study, comparison, framework and glossary pages link to them.
// The test names all say "cheat sheet": browser.guide runs them against the
// committed guide, whose sheets are the real test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, htmlPages, tempDir } from './helpers.mjs';

const SHEETS = htmlPages().filter((p) => p.startsWith('sheets/'));
const CASES = htmlPages().filter((p) => /^cases\/(?!index\.html|compare\.html)[^/]+\.html$/.test(p));
const PAPERS = ['A4', 'Letter'];
const MAX_PAGES = (sheet) => (sheet === 'sheets/metrics.html' ? 2 : 1);
const MIN_PX = 10; // 7.5 pt

let server, browser, scratch;
before(async () => {
  server = await startServer();
  browser = await launch();
  scratch = tempDir('sheets');
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

// Pages of a PDF, as poppler's pdfinfo reads them.
function pdfinfoPages(file) {
  const out = execFileSync('pdfinfo', [file], { encoding: 'latin1' });
  const m = out.match(/^Pages:\s+(\d+)/m);
  assert.ok(m, `pdfinfo reports a page count for ${file}`);
  return Number(m[1]);
}

// Pages of a PDF by its page objects ("/Type /Page", not "/Pages"). Only a
// cross-check of pdfinfo: Chromium writes page dictionaries uncompressed.
function pageObjects(buffer) {
  return (buffer.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

async function printed(page, sheet, paper, tag = '') {
  const file = path.join(scratch, `${sheet.replace(/\W+/g, '-')}${tag}-${paper}.pdf`);
  const buffer = await page.pdf({ path: file, format: paper });
  const pages = pdfinfoPages(file);
  assert.equal(pageObjects(buffer), pages, `${sheet} (${paper}): page objects match pdfinfo`);
  return pages;
}

// The page box the sheets are designed for: A4's width less 10 mm margins
// (190 mm at 96 px per inch), so that what is measured is laid out as on paper.
const PAPER_VIEWPORT = { width: 718, height: 980 };

async function open(sheet) {
  const context = await browser.newContext({ viewport: PAPER_VIEWPORT });
  const page = await context.newPage();
  await page.goto(server.url(sheet));
  await page.emulateMedia({ media: 'print' });
  return { context, page };
}

test('the site has a cheat sheet per case study, one of the framework and one of the metrics', () => {
  assert.ok(SHEETS.includes('sheets/framework.html'), 'sheets/framework.html');
  assert.ok(SHEETS.includes('sheets/metrics.html'), 'sheets/metrics.html');
  for (const c of CASES) assert.ok(SHEETS.includes(c.replace(/^cases\//, 'sheets/')), `a sheet for ${c}`);
});

test('every cheat sheet prints on one page of A4 and of Letter (metrics: two)', async () => {
  const found = [];
  for (const sheet of SHEETS) {
    const { context, page } = await open(sheet);
    for (const paper of PAPERS) {
      const pages = await printed(page, sheet, paper);
      found.push(`${sheet} ${paper}: ${pages}`);
      assert.ok(pages >= 1 && pages <= MAX_PAGES(sheet),
        `${sheet} prints on ${pages} pages of ${paper}; at most ${MAX_PAGES(sheet)} allowed`);
      if (MAX_PAGES(sheet) === 1) assert.equal(pages, 1, `${sheet} on ${paper}`);
    }
    await context.close();
  }
  console.log(found.join('\n'));
});

test('no printed cheat sheet text is smaller than 7.5 pt', async () => {
  for (const sheet of SHEETS) {
    const { context, page } = await open(sheet);
    const small = await page.evaluate((min) => {
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.trim()) continue;
        const el = n.parentElement;
        const style = getComputedStyle(el);
        if (el.getClientRects().length === 0 || style.visibility === 'hidden') continue;
        // A diagram's text is sized in its drawing's units, then scaled
        // with the drawing to its box: what prints is the product.
        let px = parseFloat(style.fontSize);
        const svg = el.closest('svg');
        if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.height > 0)
          px *= svg.getBoundingClientRect().height / svg.viewBox.baseVal.height;
        if (px < min)
          out.push(`${el.tagName.toLowerCase()} "${n.textContent.trim().slice(0, 30)}" ${px.toFixed(1)}px`);
      }
      return out;
    }, MIN_PX);
    assert.deepEqual(small, [], `${sheet}: text under ${MIN_PX}px when printed`);
    await context.close();
  }
});

// The figure the diagram phase makes for a ```dot block: Graphviz's SVG
// inside a figure. A tall 8-node graph, so that its box is the full 60 mm.
function architectureFigure() {
  const dot = `digraph request_path {
    label="Request path"; rankdir=TB; node [shape=box];
    client -> gateway -> retrieval -> features -> ranker -> reranker -> response;
    features -> store; retrieval -> index; ranker -> logger;
  }`;
  const svg = execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
  return `<figure class="diagram" role="img" aria-label="Request path">${svg.slice(svg.indexOf('<svg'))}</figure>`;
}

test('a case cheat sheet with a diagram in its 60 mm box still prints on one page', async () => {
  const figure = architectureFigure();
  for (const sheet of SHEETS.filter((s) => CASES.includes(s.replace(/^sheets\//, 'cases/')))) {
    const { context, page } = await open(sheet);
    const height = await page.evaluate((html) => {
      const top = document.querySelector('.sheet-top');
      top.querySelector('.sheet-diagram')?.remove();
      top.classList.add('has-diagram');
      top.insertAdjacentHTML('beforeend', `<div class="sheet-diagram">${html}</div>`);
      return top.querySelector('.sheet-diagram svg').getBoundingClientRect().height;
    }, figure);
    // 60 mm at 96 px per inch is 226.8 px.
    assert.ok(height > 200 && height <= 227.5, `${sheet}: the diagram fills its box (${height}px)`);
    for (const paper of PAPERS)
      assert.equal(await printed(page, sheet, paper, '-diagram'), 1, `${sheet} with a diagram on ${paper}`);
    await context.close();
  }
});

test('case studies, the comparison, the framework and the glossary link to their cheat sheet', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const links = async (url) => {
    await page.goto(server.url(url));
    return page.evaluate(() => [...document.querySelectorAll('main a')].map((a) => a.href));
  };
  for (const c of CASES) {
    const sheet = server.url(c.replace(/^cases\//, 'sheets/'));
    assert.ok((await links(c)).includes(sheet), `${c} links to its cheat sheet`);
    assert.ok((await links('cases/compare.html')).includes(sheet), `the comparison links to ${sheet}`);
  }
  assert.ok((await links('framework/index.html')).includes(server.url('sheets/framework.html')));
  assert.ok((await links('glossary/index.html')).includes(server.url('sheets/metrics.html')));
  await context.close();
});
