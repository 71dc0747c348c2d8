// Every page loads cleanly: no console errors, no uncaught exceptions, no
// request leaving 127.0.0.1, and every request the server saw answered 200
// (the server log catches what Playwright may not report, like favicons).
// A negative control proves the recorders catch what they are meant to.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SITE, startServer, launch, record, notOk, fileUrl, htmlPages, tempDir } from './helpers.mjs';

const PAGES = htmlPages();
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

// Load one page in a fresh context and return what the recorders saw.
async function visit(url, expectStatus = 200) {
  const context = await browser.newContext();
  try {
    const rec = await record(context);
    const page = await context.newPage();
    const response = await page.goto(url, { waitUntil: 'load' });
    if (response) assert.equal(response.status(), expectStatus, url);
    // Let late requests (icon, deferred script work) land in the logs.
    const { inFlight } = await rec.settle(page);
    assert.deepEqual(inFlight, [], `${url}: requests still in flight`);
    const title = await page.title();
    const styled = await page.evaluate(() => getComputedStyle(document.body).margin === '0px');
    return { rec, title, styled };
  } finally {
    await context.close();
  }
}

function assertClean(what, rec, serverEntries) {
  assert.deepEqual(rec.external(), [], `${what}: requests to other hosts`);
  assert.deepEqual(rec.pageErrors, [], `${what}: page errors`);
  assert.deepEqual(rec.consoleErrors, [], `${what}: console errors`);
  assert.deepEqual(rec.failed, [], `${what}: failed requests`);
  assert.deepEqual(rec.badResponses, [], `${what}: error responses`);
  if (serverEntries) assert.deepEqual(notOk(serverEntries), [], `${what}: server answered non-200`);
}

test('site has the expected pages', () => {
  for (const p of ['index.html', 'progress.html', '404.html', 'framework/clarify.html', 'cases/ranking.html', 'glossary/ndcg.html']) {
    assert.ok(PAGES.includes(p), `${p} in ${SITE}`);
  }
});

test('every page over http://127.0.0.1 loads cleanly', async (t) => {
  for (const rel of PAGES) {
    await t.test(rel, async () => {
      const from = server.log.length;
      const { rec, title, styled } = await visit(server.url(rel));
      const seen = server.log.slice(from);
      assertClean(rel, rec, seen);
      assert.ok(title.length > 0, `${rel}: has a title`);
      assert.ok(styled, `${rel}: stylesheet applied`);
      const paths = seen.map((e) => e.path);
      // 404.html carries its stylesheet inline, so it keeps it at any URL.
      const assets = rel === '404.html' ? ['assets/casebook.js', 'assets/favicon.svg']
        : ['assets/casebook.css', 'assets/casebook.js', 'assets/favicon.svg'];
      for (const asset of assets) {
        assert.ok(paths.includes(new URL(server.url(asset)).pathname), `${rel}: server saw ${asset} (saw ${paths.join(', ')})`);
      }
      // Playwright and the server agree on what was fetched over http.
      const fromBrowser = rec.requests.filter((u) => u.startsWith(server.origin)).map((u) => new URL(u).pathname).sort();
      assert.deepEqual(fromBrowser, paths.map((p) => new URL(p, server.origin).pathname).sort(), `${rel}: request lists agree`);
    });
  }
});

// 404.html links below the site's published path; it is for the server only.
test('every page over file:// loads cleanly (except 404.html)', async (t) => {
  for (const rel of PAGES.filter((p) => p !== '404.html')) {
    await t.test(rel, async () => {
      const { rec, styled } = await visit(fileUrl(rel));
      assertClean(rel, rec);
      assert.ok(rec.requests.every((u) => u.startsWith('file:') || u.startsWith('data:')), `${rel}: only local files`);
      assert.ok(styled, `${rel}: stylesheet applied`);
    });
  }
});

test('an unknown URL deep in the site gets the 404 page with its assets', async () => {
  const from = server.log.length;
  const { rec, title, styled } = await visit(server.url('cases/no-such-case.html'), 404);
  const seen = server.log.slice(from);
  assert.equal(seen[0].status, 404);
  assert.match(title, /not found/i);
  assert.ok(styled, 'stylesheet of the 404 page loads from a deep URL');
  assert.deepEqual(notOk(seen.slice(1)), [], 'assets of the 404 page answered 200');
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.external(), []);
  // The only console error is the 404 of the document itself.
  assert.ok(rec.consoleErrors.every((m) => /404/.test(m)), rec.consoleErrors.join('\n'));
});

test('negative control: the recorders catch an external stylesheet, an exception and a 404', async () => {
  const dir = tempDir('negative');
  scratch.push(dir);
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bad</title>
<link rel="stylesheet" href="https://fonts.example.invalid/css?family=Roboto">
</head><body><main><h1>bad</h1><img src="missing.png" alt="missing">
<script>console.error('deliberate console error'); undefinedFunctionCall();</script>
</main></body></html>`);
  const bad = await startServer(dir, '/');
  try {
    const { rec } = await visit(bad.url('index.html'));
    assert.deepEqual(rec.external(), ['https://fonts.example.invalid/css?family=Roboto'], 'external request recorded');
    assert.equal(rec.pageErrors.length, 1, 'uncaught exception recorded');
    assert.match(rec.pageErrors[0], /undefinedFunctionCall/);
    assert.ok(rec.consoleErrors.includes('deliberate console error'), rec.consoleErrors.join('\n'));
    assert.ok(rec.failed.some((f) => f.startsWith('https://fonts.example.invalid/')), 'blocked request recorded as failed');
    assert.ok(rec.badResponses.some((r) => r.startsWith('404 ') && r.endsWith('/missing.png')), 'browser saw the 404');
    const missing = bad.log.find((e) => e.path === '/missing.png');
    assert.equal(missing?.status, 404, 'server log recorded the 404');
    assert.deepEqual(notOk(bad.log), [missing], 'notOk() reports exactly the 404');
    assert.throws(() => assertClean('negative', rec, bad.log), assert.AssertionError);

    // The same page from disk: the recorders work for file:// too.
    const fromDisk = (await visit(fileUrl('index.html', dir))).rec;
    assert.deepEqual(fromDisk.external(), ['https://fonts.example.invalid/css?family=Roboto']);
    assert.equal(fromDisk.pageErrors.length, 1);
    assert.ok(fromDisk.consoleErrors.includes('deliberate console error'));
    assert.ok(fromDisk.failed.some((f) => f.includes('/missing.png')), fromDisk.failed.join('\n'));
  } finally {
    await bad.close();
  }
});
