// axe-core audit (WCAG 2 A and AA rules) of one page of each kind, in the
// light and the dark theme, with a box ticked and a tooltip open so those
// states are audited too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, record, AXE_PATH, tempDir } from './helpers.mjs';

const PAGES = ['index.html', 'framework/clarify.html', 'cases/ranking.html', 'glossary/ndcg.html', 'progress.html'];
const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] };

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

async function audit(page) {
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate((o) => window.axe.run(document, o), AXE_OPTIONS);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')} :: ${n.failureSummary.replace(/\s+/g, ' ')}`),
  }));
}

// Violations found in the templates and waiting for a fix there. Each is
// matched by page, rule and target; every other violation fails at once, and
// a `todo` test per entry keeps reporting it until it is gone.
// Violations accepted for now, each with its reason; each also gets a `todo`
// test that reports it until it is fixed. Empty: there are none.
const KNOWN = [];
const isKnown = (rel, v, node) => KNOWN.some((k) => k.page === rel && k.id === v.id && node.startsWith(k.target + ' :: '));

async function auditPage(rel, colorScheme) {
  const context = await browser.newContext({ colorScheme });
  const rec = await record(context);
  const page = await context.newPage();
  await page.goto(server.url(rel));
  // A case page's checklists are folded: open the first to audit it too.
  await page.evaluate(() => { const d = document.querySelector('[data-checklist] details'); if (d) d.open = true; });
  const box = page.locator('[data-checklist] input[type=checkbox]').first();
  if (await box.count()) await box.check();
  const term = page.locator('.term > a').first();
  if (await term.count()) await term.focus();
  const violations = await audit(page);
  assert.deepEqual(rec.external(), [], 'axe itself fetches nothing');
  await context.close();
  return violations;
}

const found = new Map(); // "page|scheme" -> violations

for (const colorScheme of ['light', 'dark']) {
  test(`axe wcag2a/wcag2aa: no violations (${colorScheme})`, async (t) => {
    for (const rel of PAGES) {
      await t.test(rel, async () => {
        const violations = await auditPage(rel, colorScheme);
        found.set(`${rel}|${colorScheme}`, violations);
        const unknown = violations
          .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !isKnown(rel, v, n)) }))
          .filter((v) => v.nodes.length > 0);
        assert.deepEqual(unknown, [], `${rel} (${colorScheme}):\n${JSON.stringify(unknown, null, 2)}`);
      });
    }
  });
}

for (const k of KNOWN) {
  test(`axe: ${k.id} on ${k.page} (${k.target}) is fixed`, { todo: k.reason }, async () => {
    for (const colorScheme of ['light', 'dark']) {
      const violations = found.get(`${k.page}|${colorScheme}`) ?? (await auditPage(k.page, colorScheme));
      const still = violations.filter((v) => v.id === k.id).flatMap((v) => v.nodes).filter((n) => n.startsWith(k.target + ' :: '));
      assert.deepEqual(still, [], `${k.page} (${colorScheme}) still has ${k.id}`);
    }
  });
}

test('negative control: axe reports a page with known violations', async () => {
  const dir = tempDir('a11y');
  scratch.push(dir);
  fs.writeFileSync(path.join(dir, 'index.html'), `<!doctype html>
<html><head><meta charset="utf-8"></head><body>
<p style="color:#bbb;background:#fff">low contrast text</p>
<input type="checkbox"><a href="x.html"></a><img src="data:,">
</body></html>`);
  const bad = await startServer(dir, '/');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(bad.url('index.html'));
    const ids = (await audit(page)).map((v) => v.id).sort();
    for (const id of ['color-contrast', 'document-title', 'html-has-lang', 'image-alt', 'label', 'link-name']) {
      assert.ok(ids.includes(id), `axe found ${id} (found: ${ids.join(', ')})`);
    }
  } finally {
    await context.close();
    await bad.close();
  }
});
