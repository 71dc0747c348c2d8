// `casebook serve` in a real browser: the binary (CASEBOOK_BIN, else
// build/casebook; skipped without one) serves a temp copy of the golden
// content on a free port. An edit of the page's source reloads the open page
// by itself and leaves an unaffected page alone; a broken file brings the
// error panel (the diagnostic's text, readable and passing axe in light and
// dark, never taking focus, dismissable); the fix removes it and reloads;
// SIGTERM stops the server cleanly.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, record, AXE_PATH, tempDir } from './helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const CASEBOOK = process.env.CASEBOOK_BIN ? path.resolve(process.env.CASEBOOK_BIN) : path.join(REPO, 'build/casebook');
const SKIP = !fs.existsSync(CASEBOOK) && `no ${CASEBOOK}: build the project first`;
const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
  resultTypes: ['violations'],
};

let browser, serve, origin, dir;
let output = '';
let exited = null;

// Waits until the server's output matches `re` (from `from` on); bounded.
async function waitOutput(re, from = 0, timeout = 60000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const m = output.slice(from).match(re);
    if (m) return m;
    if (exited) throw new Error(`casebook serve exited (${exited.code ?? exited.signal}):\n${output}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${re} in casebook serve's output within ${timeout} ms:\n${output}`);
}

function edit(rel, from, to) {
  const file = path.join(dir, 'content', rel);
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${from} not in ${rel}`);
  fs.writeFileSync(file, text.replace(from, to));
}

// Started by the first test that needs it, not in a `before` hook: runs
// that select other tests by name (browser.guide) start nothing.
async function start() {
  if (serve) return;
  dir = tempDir('serve');
  fs.cpSync(path.join(REPO, 'tests/golden/basic/content'), path.join(dir, 'content'), { recursive: true });
  serve = spawn(CASEBOOK, ['serve', '--port', '0', '--jobs', '2', '--content', path.join(dir, 'content'),
    '--templates', path.join(REPO, 'templates')], { stdio: ['ignore', 'pipe', 'pipe'] });
  serve.stdout.on('data', (d) => { output += d; });
  serve.stderr.on('data', (d) => { output += d; });
  serve.on('exit', (code, signal) => { exited = { code, signal }; });
  origin = (await waitOutput(/serving (http:\/\/127\.0\.0\.1:\d+)\//))[1];
  browser = await launch();
}

after(async () => {
  await browser?.close();
  if (serve && !exited) serve.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

// Opens `rel` and waits until its live-reload stream is connected; marks the
// window so that a reload (which drops the mark) can be told apart.
async function open(context, rel) {
  const page = await context.newPage();
  const connected = page.waitForResponse((r) => r.url().endsWith('/__casebook/events'), { timeout: 15000 });
  await page.goto(`${origin}/${rel}`);
  await connected;
  await page.evaluate(() => { window.__notReloaded = true; });
  return page;
}
const reloaded = (page) => page.evaluate(() => window.__notReloaded !== true);

test('serve: an edit reloads its page only; a broken file shows the error panel; the fix reloads', { skip: SKIP }, async () => {
  await start();
  const context = await browser.newContext({ colorScheme: 'light' });
  const rec = await record(context);
  const about = await open(context, 'about.html');
  const other = await open(context, 'framework/clarify.html');

  // An edit: the page shows the new text without anybody reloading it.
  let mark = output.length;
  edit('pages/about.md', 'This page links to', 'Serve test edit. This page links to');
  await about.waitForFunction(() => document.body.textContent.includes('Serve test edit.'), null, { timeout: 15000 });
  assert.ok(await reloaded(about));
  await waitOutput(/rebuilt in [0-9.]+ ms \(\d+ of \d+ pages rendered/, mark);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await reloaded(other), false, 'a page the edit did not change did not reload');
  await about.evaluate(() => { window.__notReloaded = true; });

  // A YAML error: the panel, with the diagnostic as the build prints it.
  await about.focus('body');
  mark = output.length;
  edit('pages/about.md', 'title: About', 'title: [About <img src=x onerror=alert(1)>');
  for (const page of [about, other]) {
    await page.waitForSelector('#casebook-serve-errors', { timeout: 15000 });
    const text = await page.textContent('#casebook-serve-errors pre');
    assert.match(text, /about\.md:\d+:\d+: error: /);
    assert.equal(await page.locator('#casebook-serve-errors img').count(), 0, 'diagnostics are text, not HTML');
    assert.equal(await page.evaluate(() => document.activeElement === document.body), true, 'the panel took no focus');
  }
  await waitOutput(/about\.md:\d+:\d+: error: [^]*rebuild failed/, mark);
  assert.equal(await reloaded(about), false, 'an error does not reload: the last good page stays');
  assert.ok((await about.textContent('body')).includes('Serve test edit.'));

  for (const colorScheme of ['light', 'dark']) {
    await about.emulateMedia({ colorScheme });
    await about.addScriptTag({ path: AXE_PATH });
    const result = await about.evaluate((o) => window.axe.run(document, o), AXE_OPTIONS);
    const problems = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    assert.deepEqual(problems, [], `axe with the error panel (${colorScheme})`);
  }

  // Dismiss by keyboard on one page: focus goes back where it came from.
  await other.focus('main a');
  const before = await other.evaluate(() => document.activeElement.outerHTML);
  await other.focus('#casebook-serve-errors button');
  await other.keyboard.press('Enter');
  assert.equal(await other.locator('#casebook-serve-errors').count(), 0);
  assert.equal(await other.evaluate(() => document.activeElement.outerHTML), before, 'focus is back on the link');

  // The fix: the panel goes away and the pages reload.
  edit('pages/about.md', 'title: [About <img src=x onerror=alert(1)>', 'title: About');
  await about.waitForFunction(() => window.__notReloaded !== true && !document.getElementById('casebook-serve-errors'), null, { timeout: 15000 });
  await other.waitForFunction(() => window.__notReloaded !== true, null, { timeout: 15000 });
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.external(), []);
  await context.close();
});

test('serve: SIGTERM stops it within two seconds, exit 0', { skip: SKIP }, async () => {
  await start();
  const begin = Date.now();
  serve.kill('SIGTERM');
  while (!exited && Date.now() - begin < 5000) await new Promise((r) => setTimeout(r, 20));
  assert.ok(exited, 'still running 5 s after SIGTERM');
  assert.equal(exited.code, 0, output);
  assert.ok(Date.now() - begin < 2000, `took ${Date.now() - begin} ms`);
});
