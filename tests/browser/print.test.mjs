// Paper. The whole-guide print page (print.html): every page once, in reading
// order, with in-document links, unique ids, every answer open, light on a
// dark screen, no print dialog of its own, and a new sheet for each step and
// case study in its PDF. And the page fill of each case study printed on
// A4: Chromium's PDF, rasterized by poppler's pdftoppm, measured row by row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { SITE, startServer, launch, record, htmlPages, tempDir, AXE_PATH } from './helpers.mjs';

let server, browser;
const scratch = [];
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
});

function scratchDir(tag) {
  const d = tempDir(tag);
  scratch.push(d);
  return d;
}

// ---- Page fill --------------------------------------------------------

// A4 at the resolution pages are rasterized at, and the stylesheet's
// `@page { margin: 14mm }`. The measurement checks the margin: ink outside
// the printable area fails the test, so a changed margin cannot go unseen.
const DPI = 50;
const A4_MM = { width: 210, height: 297 };
const MARGIN_MM = 14;
const mmToPx = (mm) => (mm / 25.4) * DPI;
const INK = 200; // grey levels below this are ink (#999 lines are 153)

// A binary PGM (P5) file: { width, height, pixels }.
function readPgm(file) {
  const buf = fs.readFileSync(file);
  const tokens = [];
  let pos = 0;
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    if (buf[pos] === 0x23) { while (buf[pos] !== 0x0a) pos++; continue; } // comment
    let start = pos;
    while (!/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    tokens.push(buf.toString('latin1', start, pos));
  }
  assert.equal(tokens[0], 'P5', `${file} is a binary grey map`);
  const [width, height, max] = tokens.slice(1).map(Number);
  assert.ok(max < 256, 'one byte per pixel');
  return { width, height, pixels: buf.subarray(pos + 1) };
}

// Every page of a PDF as a grey map (pdftoppm writes p-01.pgm, p-02.pgm…).
function rasterize(pdf) {
  const dir = scratchDir('raster');
  const file = path.join(dir, 'doc.pdf');
  fs.writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', String(DPI), '-gray', file, path.join(dir, 'p')]);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort().map((f) => readPgm(path.join(dir, f)));
}

// How full a page is: the lowest row with ink, as a share of the printable
// height; and whether any ink lies in the margins.
function measure(img) {
  const top = Math.floor(mmToPx(MARGIN_MM)), bottom = img.height - top;
  const left = top, right = img.width - top;
  let lowest = -1, outside = 0;
  for (let y = 0; y < img.height; y++) {
    const row = img.pixels.subarray(y * img.width, (y + 1) * img.width);
    for (let x = 0; x < img.width; x++) {
      if (row[x] >= INK) continue;
      // One pixel of slack for anti-aliased edges on the boundary.
      if (y < top - 1 || y > bottom || x < left - 1 || x > right) outside++;
      else lowest = Math.max(lowest, y);
    }
  }
  return { fill: lowest < 0 ? 0 : (lowest - top + 1) / (bottom - top), outside };
}

async function printA4(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  // As a reader prints: A4, the stylesheet's margins, no background graphics.
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  await context.close();
  const pages = rasterize(pdf);
  for (const img of pages) {
    assert.ok(Math.abs(img.height - mmToPx(A4_MM.height)) < 2 && Math.abs(img.width - mmToPx(A4_MM.width)) < 2,
      `${url}: an A4 portrait page (${img.width}×${img.height} px)`);
  }
  return pages.map(measure);
}

// No more than one page in ten (rounded down), the last page aside, is less
// than half full.
function halfEmptyBudget(measured) {
  const counted = measured.slice(0, -1);
  return { under: counted.filter((m) => m.fill < 0.5).length, allowed: Math.floor(counted.length / 10) };
}

test('page fill: the measurement tells full pages from half-empty ones', async () => {
  const dir = scratchDir('fill');
  // Three pages: a rule 200 mm down the printable area, one 100 mm down,
  // one 40 mm down (the last). Borders print without background graphics.
  const box = (mm, last) => `<div style="height:${mm}mm;border-bottom:2px solid #000;` +
    `${last ? '' : 'break-after:page;'}">x</div>`;
  fs.writeFileSync(path.join(dir, 'fill.html'), '<!doctype html><style>@page{size:A4;margin:14mm}' +
    'body{margin:0;font:10pt sans-serif}</style>' + box(200) + box(100) + box(40, true));
  const measured = await printA4('file://' + path.join(dir, 'fill.html'));
  const printable = A4_MM.height - 2 * MARGIN_MM;
  assert.equal(measured.length, 3);
  const expected = [200 / printable, 100 / printable, 40 / printable];
  measured.forEach((m, i) => {
    assert.ok(Math.abs(m.fill - expected[i]) < 0.02, `page ${i + 1}: ${m.fill} ≈ ${expected[i]}`);
    assert.equal(m.outside, 0, `page ${i + 1}: no ink in the margins`);
  });
  assert.deepEqual(halfEmptyBudget(measured), { under: 1, allowed: 0 }, 'the 37% page counts, the last does not');
});

// The case studies: pages whose article is a case study (cases/<id>.html).
const CASE_PAGES = htmlPages().filter((rel) => rel !== 'print.html' &&
  fs.readFileSync(path.join(SITE, rel), 'utf8').includes('<article class="case"'));

test('page fill: no more than one page in ten of a case study is less than half full (A4)', async (t) => {
  assert.ok(CASE_PAGES.length > 0, 'the site has case studies');
  for (const rel of CASE_PAGES) {
    const measured = await printA4(server.url(rel));
    const { under, allowed } = halfEmptyBudget(measured);
    t.diagnostic(`${rel}: ${measured.length} pages; fill ${measured.map((m) => Math.round(m.fill * 100) + '%').join(' ')}; ` +
      `${under} of ${measured.length - 1} under half (allowed ${allowed})`);
    assert.deepEqual(measured.filter((m) => m.outside > 0).map((m) => m.outside), [], `${rel}: ink in the margins`);
    assert.ok(measured.every((m) => m.fill > 0), `${rel}: no blank page`);
    // Too short to say anything about page breaks (the golden fixture's).
    if (measured.length < 3) continue;
    assert.ok(under <= allowed, `${rel}: ${under} pages under half full, at most ${allowed} allowed`);
  }
});

// ---- print.html -------------------------------------------------------

// The pages print.html holds: every page but the progress page, the 404
// page, print.html itself and the cheat sheets (printed on their own).
const DOC_PAGES = htmlPages().filter((rel) =>
  !['404.html', 'progress.html', 'print.html', 'practice.html'].includes(rel) &&
  !rel.startsWith('sheets/') && !rel.startsWith('practice/'));
// A section's id names its page: cases_x -> cases/x.html.
const pageOfSlug = (slug) => slug.replace(/_page$/, '').replaceAll('_', '/') + '.html';

// The reading order, by following each page's "next" link from the home page.
function readingOrder() {
  const order = [];
  for (let rel = 'index.html'; rel && !order.includes(rel);) {
    order.push(rel);
    const m = fs.readFileSync(path.join(SITE, rel), 'utf8').match(/<a class="next" rel="next" href="([^"]+)"/);
    rel = m ? path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1])) : null;
  }
  return order;
}

test('print page: every page once, in reading order, with in-document links and unique ids', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url('print.html'));
  const facts = await page.evaluate(() => {
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const seen = new Set(), duplicates = [];
    for (const id of ids) {
      if (seen.has(id)) duplicates.push(id);
      seen.add(id);
    }
    const local = [...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href'));
    const broken = local.filter((h) => !document.getElementById(decodeURIComponent(h.slice(1))));
    // Other references that name elements by id.
    const refs = [];
    for (const attr of ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls'])
      for (const el of document.querySelectorAll(`[${attr}]`))
        for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean))
          if (!document.getElementById(id)) refs.push(`${attr}=${id}`);
    const here = new URL('.', location.href).href;
    const pages = [...document.querySelectorAll('main a[href]')]
      .map((a) => new URL(a.getAttribute('href'), location.href))
      .filter((u) => u.href.startsWith(here) && u.pathname.endsWith('.html'))
      .map((u) => decodeURIComponent(u.href.slice(here.length).split('#')[0]));
    return {
      sections: [...document.querySelectorAll('main > section.print-page')].map((s) => s.id),
      contents: [...document.querySelectorAll('.print-contents a')].map((a) => a.getAttribute('href')),
      duplicates, broken, refs, pages, local: local.length,
    };
  });
  await context.close();
  const inDoc = facts.sections.map(pageOfSlug);
  assert.deepEqual([...inDoc].sort(), [...DOC_PAGES].sort(), 'every page of the guide, once');
  assert.deepEqual(inDoc, readingOrder().filter((rel) => DOC_PAGES.includes(rel)), 'in reading order');
  assert.deepEqual(facts.contents, facts.sections.map((s) => '#' + s), 'the contents list every page');
  assert.deepEqual(facts.duplicates, [], 'no duplicate ids');
  assert.ok(facts.local > facts.sections.length, `in-document links (${facts.local})`);
  assert.deepEqual(facts.broken, [], 'every in-document link lands on an element');
  assert.deepEqual(facts.refs, [], 'every id reference resolves');
  // Links to pages of the site remain only for pages outside the document
  // (the progress page).
  const linked = facts.pages.filter((rel) => DOC_PAGES.includes(rel));
  assert.deepEqual(linked, [], 'no link to a page the document holds');
  for (const rel of facts.pages) assert.ok(fs.existsSync(path.join(SITE, rel)), `${rel} exists`);
});

test('print page: light on a dark screen, every answer open, no print dialog, a clean load', async () => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const rec = await record(context);
  await context.addInitScript(() => {
    window.__printCalls = 0;
    window.print = () => { window.__printCalls++; };
  });
  const page = await context.newPage();
  await page.goto(server.url('print.html'));
  await rec.settle(page);
  const got = await page.evaluate(() => ({
    bg: getComputedStyle(document.body).backgroundColor,
    fg: getComputedStyle(document.body).color,
    scheme: document.querySelector('meta[name="color-scheme"]').content,
    details: document.querySelectorAll('details').length,
    closed: document.querySelectorAll('details:not([open])').length,
    summaries: [...document.querySelectorAll('summary')].filter((s) => s.offsetParent !== null && !s.closest('[data-checklist]')).length,
    // A case study's folded checklists: open, their summary is their title, without the count.
    checklists: document.querySelectorAll('[data-checklist] details').length,
    titles: [...document.querySelectorAll('[data-checklist] summary')].filter((s) => s.offsetParent !== null && s.querySelector('.progress').offsetParent === null).length,
    answers: [...document.querySelectorAll('.answer')].filter((a) => a.offsetHeight > 0).length,
    prints: window.__printCalls,
    tint: [...document.querySelectorAll('figure.diagram .tint')].map((t) => getComputedStyle(t).fill),
  }));
  assert.equal(got.bg, 'rgb(255, 255, 255)', 'white page on a dark screen');
  assert.equal(got.scheme, 'light');
  assert.ok(got.fg !== got.bg && /^rgb\((\d|[1-4]\d),/.test(got.fg), `dark text: ${got.fg}`);
  // A diagram's filled nodes take the light tint too, or dark text sits on
  // the dark theme's tint.
  for (const fill of got.tint) {
    const [r, g, b] = fill.match(/\d+/g).map(Number);
    assert.ok(Math.min(r, g, b) > 180, `diagram tint on the light page: ${fill}`);
  }
  assert.equal(got.closed, 0, `all ${got.details} <details> open`);
  assert.equal(got.summaries, 0, '"Show the answer" is not shown');
  assert.ok(got.checklists > 0 && got.titles === got.checklists, `each case checklist keeps its title: ${got.titles} of ${got.checklists}`);
  assert.ok(got.answers > 0 && got.answers === (await page.locator('.answer').count()), 'every answer shows');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__printCalls), 0, 'no print dialog opens by itself');
  assert.deepEqual(rec.external(), [], 'no request to another host');
  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.badResponses, []);

  await page.emulateMedia({ media: 'print' });
  const paper = await page.evaluate(() => {
    const link = document.querySelector('.references a[href^="http"]');
    return {
      bg: getComputedStyle(document.body).backgroundColor,
      url: link ? getComputedStyle(link, '::after').content : null,
      href: link?.getAttribute('href'),
      headings: [...document.querySelectorAll('h1, h2, h3')].every((h) => getComputedStyle(h).breakAfter === 'avoid'),
      breaks: [...document.querySelectorAll('section.print-page.print-break')]
        .every((s) => getComputedStyle(s).breakBefore === 'page'),
    };
  });
  assert.equal(paper.bg, 'rgb(255, 255, 255)');
  assert.ok(paper.url && paper.url.includes(paper.href), `a reference prints its address: ${paper.url}`);
  assert.ok(paper.headings, 'no heading is left at the foot of a page');
  assert.ok(paper.breaks, 'each page of the guide but a term starts a sheet');
  await context.close();
});

// The first line of text of each page that starts a sheet must be the first
// line of a page of the PDF, in order.
test('print page: its PDF starts each step, case study and top-level page on a new sheet', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url('print.html'));
  await page.emulateMedia({ media: 'print' });
  const norm = (s) => s.replace(/\s+/g, ' ').trim().toLowerCase().slice(0, 24);
  const starts = await page.evaluate(() => [...document.querySelectorAll('section.print-page.print-break')]
    .map((s) => ({ id: s.id, first: s.innerText.split('\n').find((l) => l.trim()) })));
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  await context.close();
  const dir = scratchDir('pdf');
  fs.writeFileSync(path.join(dir, 'print.pdf'), pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'print.pdf'), '-'], { maxBuffer: 64 << 20 }).toString();
  const firsts = text.split('\f').map((p) => norm(p.split('\n').find((l) => l.trim()) ?? ''));
  let at = 0;
  const missing = [];
  for (const s of starts) {
    const found = firsts.indexOf(norm(s.first), at);
    if (found < 0) missing.push(`${s.id}: "${s.first}"`);
    else at = found + 1;
  }
  assert.ok(starts.some((s) => s.id.startsWith('framework_')) && starts.some((s) => s.id.startsWith('cases_')));
  assert.deepEqual(missing, [], `pages of the PDF (${firsts.length}) start with these`);
});

// A violation that print.html showed first because it holds every page: the
// disabled checkboxes of Markdown task lists ("- [x] done") had no label
// (about.html of the golden site has them, outside the five pages
// a11y.test.mjs audits). markdown.cc now names them; this test keeps it so.
const isTaskListBox = (v, n) => v.id === 'label' && /^<input type="checkbox"[^>]* disabled/.test(n.html);
const taskListBoxes = new Map();

async function auditPrintPage(colorScheme) {
  const context = await browser.newContext({ colorScheme });
  const page = await context.newPage();
  await page.goto(server.url('print.html'));
  await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'],
  }).then((r) => r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ html: n.html, target: n.target.join(' ') })) }))));
  await context.close();
  return violations;
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe wcag2a/wcag2aa on print.html (${colorScheme})`, async () => {
    const violations = await auditPrintPage(colorScheme);
    taskListBoxes.set(colorScheme, violations.flatMap((v) => v.nodes.filter((n) => isTaskListBox(v, n))));
    const other = violations.map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isTaskListBox(v, n)) }))
      .filter((v) => v.nodes.length > 0)
      .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target).join(', ')}`);
    assert.deepEqual(other, []);
  });
}

test('axe: Markdown task-list checkboxes have a label', async () => {
  const found = taskListBoxes.get('light') ?? (await auditPrintPage('light'))
    .flatMap((v) => v.nodes.filter((n) => isTaskListBox(v, n)));
  assert.deepEqual(found.map((n) => n.target), []);
});
