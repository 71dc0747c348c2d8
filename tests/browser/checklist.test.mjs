// Checklist ticks survive a reload, from disk (file://) and from a server,
// and the progress page adds them up and clears them. A case page's
// checklists are folded, their summary counting the ticks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, record, notOk, fileUrl } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const prefixOf = (page) => page.evaluate(() => document.documentElement.getAttribute('data-storage'));
const storedKeys = (page, prefix) => page.evaluate((p) => Object.keys(localStorage).filter((k) => k.startsWith(p)).sort(), prefix);

async function tickSurvivesReload(url, expectOrigin) {
  const context = await browser.newContext();
  const rec = await record(context);
  const page = await context.newPage();
  await page.goto(url);
  assert.equal(new URL(page.url()).protocol, expectOrigin);

  const list = page.locator('section.checklist[data-checklist="step/clarify"]');
  const boxes = list.locator('input[type=checkbox][data-key]');
  assert.equal(await boxes.count(), 2, 'framework/clarify.html has a two-item checklist');
  const keys = await boxes.evaluateAll((els) => els.map((e) => e.dataset.key));
  assert.match(keys[0], /^step\/clarify\/objective\/[0-9a-f]{8}$/);
  assert.match(keys[1], /^step\/clarify\/scale\/[0-9a-f]{8}$/);
  const prefix = await prefixOf(page);
  assert.ok(prefix, '<html data-storage> names the storage prefix');

  const count = list.locator('[data-done]');
  assert.equal((await count.textContent()).trim(), '0');
  await boxes.nth(0).check();
  assert.equal((await count.textContent()).trim(), '1', 'count updates on tick');

  // A marker proves the reload really replaced the document.
  await page.evaluate(() => { window.__beforeReload = true; });
  await page.reload();
  assert.equal(await page.evaluate(() => window.__beforeReload), undefined, 'page was reloaded');
  assert.equal(await boxes.nth(0).isChecked(), true, 'ticked item is still ticked after reload');
  assert.equal(await boxes.nth(1).isChecked(), false, 'other item is still unticked');
  assert.equal((await count.textContent()).trim(), '1', 'count reads 1 after reload');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), prefix + keys[0]), '1', 'localStorage key exists');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), prefix + keys[1]), null);

  // A fresh navigation (not a reload) sees the same tick.
  const again = await context.newPage();
  await again.goto(url);
  assert.equal(await again.locator(`input[data-key="${keys[0]}"]`).isChecked(), true);

  // Unticking forgets it.
  await again.locator(`input[data-key="${keys[0]}"]`).uncheck();
  assert.deepEqual(await storedKeys(again, prefix), []);

  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.external(), []);
  await context.close();
}

test('checklist tick persists across reload over file://', async () => {
  await tickSurvivesReload(fileUrl('framework/clarify.html'), 'file:');
});

test('checklist tick persists across reload over http://127.0.0.1', async () => {
  const from = server.log.length;
  await tickSurvivesReload(server.url('framework/clarify.html'), 'http:');
  assert.deepEqual(notOk(server.log, from), [], 'every request answered 200');
});

// Opens a case page's folded checklist the way a reader does: a click on its summary.
async function unfold(page, scope) {
  const details = page.locator(`[data-checklist="${scope}"] details`);
  if (!(await details.evaluate((d) => d.open))) await details.locator('> summary').click();
}

test('a case page shows each checklist folded, its progress in the summary, ticks kept', async () => {
  const context = await browser.newContext();
  const rec = await record(context);
  const page = await context.newPage();

  // The step page's keys: the case page's differ only by scope.
  await page.goto(server.url('framework/clarify.html'));
  const stepKeys = await page.locator('[data-checklist="step/clarify"] input[data-key]')
    .evaluateAll((els) => els.map((e) => e.dataset.key));

  await page.goto(server.url('cases/ranking.html'));
  const scope = 'case/ranking/clarify';
  const list = page.locator(`[data-checklist="${scope}"]`);
  const details = list.locator('details');
  const summary = details.locator('> summary');
  const boxes = list.locator('input[type=checkbox][data-key]');
  assert.equal(await list.getAttribute('aria-label'), 'Checklist: Clarify', 'a named region');
  assert.equal(await details.evaluate((d) => d.open), false, 'folded at first');
  assert.equal(await boxes.first().isVisible(), false, 'its boxes are folded away');
  assert.match((await summary.textContent()).replace(/\s+/g, ' '), /Checklist: Clarify .*0 of 2 done/);
  const keys = await boxes.evaluateAll((els) => els.map((e) => e.dataset.key));
  assert.deepEqual(keys, stepKeys.map((k) => k.replace(/^step\/clarify\//, scope + '/')));

  // Short form: the item's `short` where it has one, its text otherwise; no why.
  const labels = await list.locator('label').allTextContents();
  assert.deepEqual(labels.map((t) => t.trim()), ['State the business objective in one sentence.', 'Peak QPS, with the arithmetic']);
  assert.equal(await page.locator('.why').count(), 0, 'no "why" on a case page');
  assert.equal(await list.locator('a[href="../framework/clarify.html#checklist"]').count(), 1, 'links to the full checklist');

  // A click on the label ticks the box (the key is written once, on the box).
  await summary.click();
  assert.equal(await details.evaluate((d) => d.open), true, 'the summary unfolds it');
  await list.locator('label').nth(1).click();
  assert.equal(await boxes.nth(1).isChecked(), true, 'the label ticks its box');
  assert.match(await summary.textContent(), /1 of 2 done/, 'the summary counts the tick');

  // After a reload the list is folded again, and its summary still says 1.
  await page.reload();
  assert.equal(await details.evaluate((d) => d.open), false);
  assert.match(await summary.textContent(), /1 of 2 done/, 'the count survives a reload while folded');
  assert.equal(await boxes.nth(1).isChecked(), true, 'the tick survives a reload');
  assert.equal(await boxes.nth(0).isChecked(), false);
  const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');

  // The browser's print opens every checklist (its boxes print empty: theme.test.mjs).
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  assert.equal(await page.locator('[data-checklist] details:not([open])').count(), 0, 'print unfolds them all');

  await page.evaluate(() => localStorage.clear());
  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.external(), []);
  await context.close();
});

test('progress page counts ticks from step and case pages and clears them all', async () => {
  const context = await browser.newContext();
  const rec = await record(context);
  const page = await context.newPage();

  await page.goto(server.url('framework/clarify.html'));
  const stepKey = await page.locator('input[data-key^="step/clarify/objective/"]').getAttribute('data-key');
  await page.locator('input[data-key^="step/clarify/objective/"]').check();

  await page.goto(server.url('cases/ranking.html'));
  await unfold(page, 'case/ranking/clarify');
  await unfold(page, 'case/ranking/evaluate');
  await page.locator('input[data-key^="case/ranking/clarify/objective/"]').check();
  await page.locator('input[data-key^="case/ranking/evaluate/offline/"]').check();
  assert.equal((await page.locator('[data-checklist="case/ranking/clarify"] [data-done]').textContent()).trim(), '1');
  assert.equal((await page.locator('[data-checklist="case/ranking/evaluate"] [data-done]').textContent()).trim(), '1');

  await page.goto(server.url('progress.html'));
  const prefix = await prefixOf(page);
  const row = (href) => page.locator(`li[data-keys]:has(> a[href="${href}"]) [data-done]`);
  const counts = async () => ({
    clarify: (await row('framework/clarify.html').textContent()).trim(),
    evaluate: (await row('framework/evaluate.html').textContent()).trim(),
    ranking: (await row('cases/ranking.html').textContent()).trim(),
    total: (await page.locator('[data-total-done]').textContent()).trim(),
  });
  assert.ok((await page.locator('li[data-keys]').first().getAttribute('data-keys')).split(' ').includes(stepKey));
  assert.deepEqual(await counts(), { clarify: '1', evaluate: '0', ranking: '2', total: '3' });
  assert.equal((await storedKeys(page, prefix)).length, 3);

  const reset = page.locator('button.reset[data-reset=""]');
  assert.equal(await reset.isVisible(), true, 'script un-hides the reset button');

  // Cancelling the confirm keeps everything.
  const messages = [];
  page.once('dialog', (d) => { messages.push(d.type() + ': ' + d.message()); d.dismiss(); });
  await reset.click();
  assert.deepEqual(await counts(), { clarify: '1', evaluate: '0', ranking: '2', total: '3' });
  assert.equal((await storedKeys(page, prefix)).length, 3);

  // Accepting clears every tick.
  page.once('dialog', (d) => { messages.push(d.type() + ': ' + d.message()); d.accept(); });
  await reset.click();
  assert.equal(messages.length, 2, 'reset asks through window.confirm each time');
  assert.match(messages[1], /^confirm: /);
  assert.deepEqual(await counts(), { clarify: '0', evaluate: '0', ranking: '0', total: '0' });
  assert.deepEqual(await storedKeys(page, prefix), []);

  await page.reload();
  assert.deepEqual(await counts(), { clarify: '0', evaluate: '0', ranking: '0', total: '0' });
  await page.goto(server.url('cases/ranking.html'));
  assert.equal(await page.locator('input[data-key]:checked').count(), 0, 'case page shows no ticks after reset');

  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.external(), []);
  await context.close();
});
