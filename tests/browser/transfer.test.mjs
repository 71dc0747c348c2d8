// Progress export and import on the progress page, in real Chromium: the
// exported file holds every tick, schedule and reviewed day; clearing the
// storage and importing it restores them; a file that is not JSON, not a
// progress file, another site's or holds a bad value is refused with a
// message and changes nothing; an import merges with what is there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, record, tempDir, fileUrl, AXE_PATH } from './helpers.mjs';

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

const DAY0 = '2026-12-02';
const prefixOf = (page) => page.evaluate(() => document.documentElement.getAttribute('data-storage'));
// This site's storage, key -> value (the search cache and the theme left out).
const progress = (page) => page.evaluate(() => {
  const p = document.documentElement.getAttribute('data-storage');
  const out = {};
  for (const k of Object.keys(localStorage).sort()) {
    if (k.startsWith(p) && !k.startsWith(p + 'search:') && k !== p + 'theme') out[k] = localStorage.getItem(k);
  }
  return out;
});
const status = (page) => page.locator('[data-transfer-status]').textContent();

// Ticks every box of two pages, and grades two cards on the practice page.
async function makeProgress(context, base) {
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(`${DAY0}T12:00:00`));
  // The first step and the first case study the progress page lists.
  await page.goto(base('progress.html'));
  const pages = await page.locator('.progress-list').evaluateAll((lists) => lists.map((l) => l.querySelector('a').href));
  for (const url of pages) {
    await page.goto(url);
    for (const d of await page.locator('details:has(input[data-key])').all()) await d.evaluate((el) => { el.open = true; });
    for (const box of await page.locator('input[data-key]').all()) await box.check();
  }
  await page.goto(base('practice.html'));
  await page.locator('[data-new]').click();
  for (const digit of ['3', '1']) {
    await page.keyboard.press('Space');
    await page.keyboard.press(digit);
  }
  await page.close();
}

async function exportFile(page, dir) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export]').click()]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return { name: download.suggestedFilename(), file, json: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

async function importFile(page, file) {
  const before = await status(page);
  await page.locator('[data-import]').setInputFiles(file);
  await page.waitForFunction((b) => document.querySelector('[data-transfer-status]').textContent !== b, before);
  return status(page);
}

test('export, clear, import: every tick and schedule comes back', async () => {
  const dir = tempDir('transfer');
  scratch.push(dir);
  const context = await browser.newContext({ acceptDownloads: true });
  const rec = await record(context);
  await makeProgress(context, server.url);
  const page = await context.newPage();
  await page.goto(server.url('progress.html'));
  const prefix = await prefixOf(page);
  // A theme choice and a search cache are kept out of the file.
  await page.evaluate((p) => { localStorage.setItem(p + 'theme', 'dark'); localStorage.setItem(p + 'search:x:1', '{}'); }, prefix);
  const saved = await progress(page);
  const ticks = Object.keys(saved).filter((k) => saved[k] === '1');
  const cards = Object.keys(saved).filter((k) => k.startsWith(prefix + 'practice/') && k !== prefix + 'practice/days');
  assert.ok(ticks.length >= 4, 'ticks made');
  assert.equal(cards.length, 2, 'two schedules made');
  const done = await page.locator('[data-total-done]').textContent();
  assert.equal(Number(done), ticks.length, 'the progress page counts them');

  const { name, json } = await exportFile(page, dir);
  const id = prefix.replace(/^casebook:/, '').replace(/:$/, '');
  assert.match(name, new RegExp(`^${id}-progress-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  assert.equal(json.format, 'casebook-progress');
  assert.equal(json.version, 1);
  assert.equal(json.site, prefix);
  assert.ok(!Number.isNaN(Date.parse(json.exported)));
  assert.deepEqual(json.ticks, ticks.map((k) => k.slice(prefix.length)).sort());
  assert.deepEqual(Object.keys(json.schedules).sort(), cards.map((k) => k.slice(prefix.length)).sort());
  assert.deepEqual(json.days, [DAY0]);
  assert.match(await status(page), /^Exported \d+ ticks and 2 schedules to /);

  // Clear everything, as a new browser would be.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  assert.equal(await page.locator('[data-total-done]').textContent(), '0');
  const message = await importFile(page, path.join(dir, name));
  assert.match(message, new RegExp(`^Imported ${ticks.length} ticks and 2 schedules`));
  assert.equal(await page.locator('[data-transfer-status]').getAttribute('role'), 'status');
  assert.equal(await page.locator('[data-total-done]').textContent(), done, 'counts refreshed without a reload');
  const restored = await progress(page);
  delete saved[prefix + 'theme'];
  delete saved[prefix + 'search:x:1'];
  assert.deepEqual(restored, saved, 'the storage map is back, exactly');

  // The practice page sees the schedules again.
  await page.goto(server.url('practice.html'));
  assert.match(await page.locator('[data-stats]').textContent(), /streak [01] days?$/);
  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.external(), []);
  await context.close();
});

test('an import merges: ticks of both, the later review, the days of both', async () => {
  const dir = tempDir('transfer');
  scratch.push(dir);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url('progress.html'));
  const prefix = await prefixOf(page);
  const keys = await page.locator('[data-keys]').evaluateAll((els) => els.flatMap((e) => e.dataset.keys.split(' ')).filter(Boolean));
  const [a, b, c] = keys;
  const s = (last, n) => ({ n, ef: 2.5, i: 1, due: '2026-12-20', last });
  const here = {
    [a]: '1',
    'practice/step/clarify/aaaaaaaa': JSON.stringify(s('2026-12-05', 1)),
    'practice/step/clarify/bbbbbbbb': JSON.stringify(s('2026-12-01', 5)),
    'practice/step/clarify/cccccccc': JSON.stringify(s('2026-12-03', 1)),
    'practice/days': JSON.stringify(['2026-12-01', '2026-12-05']),
  };
  await page.evaluate(([p, m]) => { for (const [k, v] of Object.entries(m)) localStorage.setItem(p + k, v); }, [prefix, here]);
  const file = {
    format: 'casebook-progress', version: 1, site: prefix, exported: new Date().toISOString(),
    ticks: [b, c],
    schedules: {
      'practice/step/clarify/aaaaaaaa': s('2026-12-04', 9), // older: loses
      'practice/step/clarify/bbbbbbbb': s('2026-12-02', 1), // later: wins
      'practice/step/clarify/cccccccc': s('2026-12-03', 2), // same day, more repetitions: wins
      'practice/case/ranking/dddddddd': s('2026-12-02', 1), // new here
    },
    days: ['2026-12-02', '2026-12-05'],
  };
  const f = path.join(dir, 'merge.json');
  fs.writeFileSync(f, JSON.stringify(file));
  await page.reload();
  assert.match(await importFile(page, f), /^Imported 2 ticks and 4 schedules \(2 new ticks here, 3 schedules new or more recent\)/);
  const got = await progress(page);
  const want = {
    [prefix + a]: '1', [prefix + b]: '1', [prefix + c]: '1',
    [prefix + 'practice/step/clarify/aaaaaaaa']: JSON.stringify(s('2026-12-05', 1)),
    [prefix + 'practice/step/clarify/bbbbbbbb']: JSON.stringify(s('2026-12-02', 1)),
    [prefix + 'practice/step/clarify/cccccccc']: JSON.stringify(s('2026-12-03', 2)),
    [prefix + 'practice/case/ranking/dddddddd']: JSON.stringify(s('2026-12-02', 1)),
    [prefix + 'practice/days']: JSON.stringify(['2026-12-01', '2026-12-02', '2026-12-05']),
  };
  assert.deepEqual(got, Object.fromEntries(Object.entries(want).sort()));
  assert.equal(await page.locator('[data-total-done]').textContent(), '3');
  await context.close();
});

test('a malformed or foreign file is refused with a message and changes nothing', async () => {
  const dir = tempDir('transfer');
  scratch.push(dir);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url('progress.html'));
  const prefix = await prefixOf(page);
  const [tick] = await page.locator('[data-keys]').evaluateAll((els) => els.flatMap((e) => e.dataset.keys.split(' ')).filter(Boolean));
  await page.evaluate(([p, k]) => { localStorage.setItem(p + k, '1'); localStorage.setItem(p + 'practice/days', '["2026-12-01"]'); }, [prefix, tick]);
  const before = await progress(page);
  const good = { format: 'casebook-progress', version: 1, site: prefix, exported: '2026-12-02T10:00:00.000Z', ticks: [], schedules: {}, days: [] };
  const okSchedule = { n: 1, ef: 2.5, i: 1, due: '2026-12-03', last: '2026-12-02' };
  const cases = [
    ['not JSON', '{"format": "casebook-progress", ', /not JSON/],
    ['an array', '[]', /not a progress file/],
    ['wrong format', JSON.stringify({ ...good, format: 'anki' }), /not a progress file/],
    ['a later version', JSON.stringify({ ...good, version: 2 }), /version 2/],
    ['another site', JSON.stringify({ ...good, site: 'casebook:other-guide:' }), /another site, "other-guide"/],
    ['a key of an unknown kind', JSON.stringify({ ...good, ticks: ['theme'] }), /Not a tick: "theme"/],
    ['a tick outside the prefix scheme', JSON.stringify({ ...good, ticks: [tick, '../x'] }), /Not a tick/],
    ['a bad schedule', JSON.stringify({ ...good, ticks: [tick], schedules: { 'practice/step/clarify/aaaaaaaa': { ...okSchedule, ef: 'high' } } }), /schedule of practice\/step\/clarify\/aaaaaaaa is malformed/],
    ['an impossible day', JSON.stringify({ ...good, schedules: { 'practice/step/clarify/aaaaaaaa': { ...okSchedule, due: '2026-02-30' } } }), /malformed/],
    ['an extra field in a schedule', JSON.stringify({ ...good, schedules: { 'practice/step/clarify/aaaaaaaa': { ...okSchedule, x: 1 } } }), /malformed/],
    ['a bad day', JSON.stringify({ ...good, days: ['2026-12-02', 'yesterday'] }), /Not a day: "yesterday"/],
    ['an unknown field', JSON.stringify({ ...good, theme: 'dark' }), /Unknown field "theme"/],
  ];
  for (const [what, text, message] of cases) {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, text);
    const shown = await importFile(page, f);
    assert.match(shown, message, what);
    assert.match(shown, /[Nn]othing was changed\.$/, what);
    assert.equal(await page.locator('[data-transfer-status]').evaluate((e) => e.classList.contains('refused')), true);
    assert.deepEqual(await progress(page), before, `${what}: storage unchanged`);
    // Reset the status so that the next message is seen as new.
    await page.evaluate(() => { document.querySelector('[data-transfer-status]').textContent = ''; });
  }
  await context.close();
});

test('without JavaScript the controls are hidden; without storage they say why', async () => {
  let context = await browser.newContext({ javaScriptEnabled: false });
  let page = await context.newPage();
  await page.goto(server.url('progress.html'));
  assert.equal(await page.locator('[data-export]').isVisible(), false);
  assert.equal(await page.locator('[data-transfer-nojs]').isVisible(), true);
  await context.close();

  context = await browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  const rec = await record(context);
  page = await context.newPage();
  await page.goto(server.url('progress.html'));
  assert.equal(await page.locator('[data-export]').isVisible(), false);
  assert.match(await status(page), /does not let the guide keep anything/);
  assert.deepEqual(rec.pageErrors, []);
  await context.close();
});

test('export from file:// works too', async () => {
  const dir = tempDir('transfer');
  scratch.push(dir);
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(fileUrl('progress.html'));
  const { json } = await exportFile(page, dir);
  assert.equal(json.format, 'casebook-progress');
  assert.equal(json.site, await prefixOf(page));
  await context.close();
});

test('axe, light and dark, with a refusal showing', async () => {
  const dir = tempDir('transfer');
  scratch.push(dir);
  const f = path.join(dir, 'bad.json');
  fs.writeFileSync(f, 'not json');
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(server.url('progress.html'));
    await importFile(page, f);
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), [], colorScheme);
    await context.close();
  }
});
