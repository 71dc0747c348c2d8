// The practice page's review: flash cards scheduled with SM-2, in real
// Chromium. Days pass with Playwright's clock (setFixedTime moves Date, not
// the timers), never by sleeping. Without JavaScript the page is the list of
// every question with its answer folded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, launch, record, fileUrl, tempDir, SITE, AXE_PATH } from './helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
// The generator, for the rebuild test (CASEBOOK_BIN overrides; without it the test is skipped).
const CASEBOOK = process.env.CASEBOOK_BIN ? path.resolve(process.env.CASEBOOK_BIN) : path.join(REPO, 'build/casebook');

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

// Noon, local time, on a given day: far from midnight whatever the zone.
const at = (day) => new Date(`${day}T12:00:00`);
const DAY0 = '2026-12-02';
const plusDays = (day, n) => {
  const d = at(day);
  d.setDate(d.getDate() + n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

async function open(context, day, url = server.url('practice.html')) {
  const page = await context.newPage();
  await page.clock.setFixedTime(at(day));
  await page.goto(url);
  await page.locator('[data-review]:not([hidden])').waitFor();
  return page;
}
const stats = (page) => page.locator('[data-stats]').textContent();
const prefixOf = (page) => page.evaluate(() => document.documentElement.getAttribute('data-storage'));
const stored = (page, key) => page.evaluate((k) => {
  const v = localStorage.getItem(document.documentElement.getAttribute('data-storage') + k);
  return v === null ? null : JSON.parse(v);
}, key);
const pageKeys = (page) => page.locator('.question[data-card]').evaluateAll((els) => els.map((e) => e.dataset.card));
const shownQuestion = (page) => page.locator('[data-q]').innerText();
const questionOf = (page, key) => page.locator(`.question[data-card="${key}"] .q`).innerText();
async function shownKey(page) {
  const q = await shownQuestion(page);
  for (const key of await pageKeys(page)) if ((await questionOf(page, key)) === q) return key;
  return null;
}
// Grades a shown card with the keyboard, as a reader does: Space, then 1-4.
async function gradeWithKeys(page, digit) {
  await page.keyboard.press('Space');
  await page.locator('[data-a]:not([hidden])').waitFor();
  await page.keyboard.press(String(digit));
}

function noErrors(rec) {
  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.external(), []);
}

test('without JavaScript: every question with its answer in a closed <details>, no review controls', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url('practice.html'));
  const total = Number((await page.locator('.lead').textContent()).match(/^(\d+) questions/)[1]);
  const questions = page.locator('#practice-questions .question');
  assert.equal(await questions.count(), total, 'every question is listed');
  assert.ok(total > 0);
  for (let i = 0; i < total; i++) {
    const q = questions.nth(i);
    assert.ok((await q.locator('.q').innerText()).trim().length > 0);
    assert.equal(await q.locator('details').evaluate((d) => d.open), false, 'answer folded');
    assert.ok((await q.locator('details .answer').textContent()).trim().length > 0, 'answer present');
  }
  assert.equal(await page.locator('#practice-review').isHidden(), true, 'review hidden');
  assert.equal(await page.locator('[data-reveal], [data-grade], [data-deck]').evaluateAll((els) => els.filter((e) => e.offsetParent !== null).length), 0);
  assert.ok(await page.locator('a[href$="anki.txt"]').isVisible(), 'the Anki deck link works without JS');
  assert.ok(await page.locator('#practice-transfer a[href*="progress.html"]').isVisible());
  await context.close();
});

test('reveal and grade a card; after a reload it is scheduled, and due again 1 and then 6 days on', async () => {
  const context = await browser.newContext();
  const rec = await record(context);
  let page = await open(context, DAY0);
  const total = (await pageKeys(page)).length;
  assert.equal(await stats(page), `0 due today · ${total} new · streak 0 days`);
  assert.match(await page.locator('[data-empty-text]').textContent(), /Nothing is due today/);
  assert.equal(await page.locator('[data-ahead]').isHidden(), true, 'nothing to review ahead');

  await page.locator('[data-new]').click();
  assert.equal(await page.evaluate(() => document.activeElement.hasAttribute('data-reveal')), true, 'focus on "Show the answer"');
  const key = await shownKey(page);
  assert.ok(key, 'the card shows a question of the page');
  assert.equal(await page.locator('[data-a]').isHidden(), true, 'answer hidden at first');
  assert.equal(await page.locator('[data-grades]').isHidden(), true, 'grades hidden at first');
  assert.equal(await page.locator('[data-empty]').isHidden(), true);
  await page.keyboard.press('Space');
  assert.equal(await page.locator('[data-a]').isVisible(), true, 'Space reveals');
  assert.equal(await page.evaluate(() => document.activeElement.hasAttribute('data-a')), true, 'focus moves to the answer');
  assert.equal(await page.locator('[data-a]').textContent(), await page.locator(`.question[data-card="${key}"] .answer`).textContent(), 'its answer');
  const labels = await page.locator('[data-grade]').allInnerTexts();
  assert.deepEqual(labels.map((s) => s.replace(/\s+/g, ' ').trim()), ['1 Again · 1 d', '2 Hard · 1 d', '3 Good · 1 d', '4 Easy · 1 d']);
  await page.keyboard.press('3');
  assert.deepEqual(await stored(page, key), { n: 1, ef: 2.5, i: 1, due: plusDays(DAY0, 1), last: DAY0 });
  assert.notEqual(await shownKey(page), key, 'the next card');
  await page.waitForFunction(() => /left/.test(document.querySelector('[data-live]').textContent));
  assert.match(await page.locator('[data-live]').textContent(), new RegExp(`^${total - 1} cards? left\\. `), 'announced politely');
  assert.equal(await page.locator('[data-live]').getAttribute('aria-live'), 'polite');
  assert.deepEqual(await stored(page, 'practice/days'), [DAY0]);

  await page.reload();
  assert.equal(await stats(page), `0 due today · ${total - 1} new · streak 1 day`, 'not due, one fewer new');

  // A day on, it is due, and shown first.
  await page.close();
  page = await open(context, plusDays(DAY0, 1));
  assert.equal(await stats(page), `1 due today · ${total - 1} new · streak 1 day`);
  assert.equal(await shownKey(page), key, 'the due card is shown');
  await page.locator('[data-reveal]').click();
  assert.equal((await page.locator('[data-grade="4"]').innerText()).replace(/\s+/g, ' ').trim(), '3 Good · 6 d');
  assert.equal(await page.getByRole('button', { name: 'Good · 6 d: next in 6 days', exact: true }).count(), 1, 'the name says the interval in full');
  assert.equal(await page.getByRole('button', { name: 'Again · 1 d: next in 1 day, and again in this session', exact: true }).count(), 1);
  await page.locator('[data-grade="4"]').click();
  assert.deepEqual(await stored(page, key), { n: 2, ef: 2.5, i: 6, due: plusDays(DAY0, 7), last: plusDays(DAY0, 1) });
  assert.equal(await stats(page), `0 due today · ${total - 1} new · streak 2 days`);
  assert.match(await page.locator('[data-empty-text]').textContent(), /The next card is due in 6 days/);

  // Five days later still not due; six days later due again.
  await page.close();
  page = await open(context, plusDays(DAY0, 6));
  assert.match(await stats(page), /^0 due today/);
  assert.equal(await page.locator('[data-ahead]').isVisible(), true, 'it can be reviewed ahead');
  await page.close();
  page = await open(context, plusDays(DAY0, 7));
  assert.match(await stats(page), /^1 due today · .* · streak 0 days$/, 'due again; the streak broke');
  assert.equal(await shownKey(page), key);
  assert.equal((await page.locator('[data-grade="5"]').evaluate((b) => b.querySelector('[data-interval]').textContent)), '', 'labels filled on reveal');
  await page.locator('[data-reveal]').click();
  // I(3) = round(I(2) * EF) with the E-Factor before this grade: round(6 * 2.5) = 15.
  assert.equal((await page.locator('[data-grade="5"]').innerText()).replace(/\s+/g, ' ').trim(), '4 Easy · 15 d');
  assert.equal((await page.locator('[data-grade="4"]').innerText()).replace(/\s+/g, ' ').trim(), '3 Good · 15 d');
  noErrors(rec);
  await context.close();
});

test('Again and Hard: the card comes back in the session; the repeat moves no schedule', async () => {
  const context = await browser.newContext();
  const rec = await record(context);
  const page = await open(context, DAY0);
  const total = (await pageKeys(page)).length;
  await page.locator('[data-new]').click();
  const first = await shownKey(page);
  await gradeWithKeys(page, 1); // Again: q = 1
  assert.deepEqual(await stored(page, first), { n: 0, ef: 1.96, i: 1, due: plusDays(DAY0, 1), last: DAY0 });
  const second = await shownKey(page);
  await gradeWithKeys(page, 2); // Hard: q = 3
  assert.deepEqual(await stored(page, second), { n: 1, ef: 2.36, i: 1, due: plusDays(DAY0, 1), last: DAY0 });
  for (let i = 2; i < total; i++) await gradeWithKeys(page, 4); // Easy
  // Then the two come back, in order.
  assert.equal(await shownKey(page), first, 'Again comes back after the others');
  await page.keyboard.press('Space');
  assert.deepEqual((await page.locator('[data-grade]').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim()),
    ['1 Again · again', '2 Hard · again', '3 Good · done', '4 Easy · done']);
  await page.keyboard.press('1'); // still not known: back again
  assert.equal(await shownKey(page), second);
  await gradeWithKeys(page, 3);
  assert.equal(await shownKey(page), first);
  await gradeWithKeys(page, 3);
  assert.equal(await page.locator('[data-card-view]').isHidden(), true, 'session over');
  assert.equal(await page.evaluate(() => document.activeElement.hasAttribute('data-empty-text')), true, 'focus on the message');
  assert.deepEqual(await stored(page, first), { n: 0, ef: 1.96, i: 1, due: plusDays(DAY0, 1), last: DAY0 }, 'repeats move nothing');
  assert.deepEqual(await stored(page, second), { n: 1, ef: 2.36, i: 1, due: plusDays(DAY0, 1), last: DAY0 });
  assert.equal(await stats(page), '0 due today · 0 new · streak 1 day');
  assert.match(await page.locator('[data-empty-text]').textContent(), /next card is due tomorrow/);
  assert.equal(await page.locator('[data-new]').isHidden(), true);
  assert.equal(await page.locator('[data-ahead]').isHidden(), true, 'cards graded today are not reviewed ahead');
  noErrors(rec);
  await context.close();
});

test('keys: digits do nothing before the answer shows or while a control takes keys', async () => {
  const context = await browser.newContext();
  const page = await open(context, DAY0);
  await page.locator('[data-new]').click();
  const key = await shownKey(page);
  await page.keyboard.press('3');
  assert.equal(await stored(page, key), null, 'no grade before the answer');
  await page.keyboard.press('Enter'); // on the focused button: its own click
  assert.equal(await page.locator('[data-a]').isVisible(), true, 'Enter reveals');
  await page.locator('[data-deck]').focus();
  await page.keyboard.press('4');
  assert.equal(await stored(page, key), null, 'the select took the key');
  await page.locator('[data-a]').focus();
  await page.keyboard.press('4');
  assert.equal((await stored(page, key)).ef, 2.6, 'graded Easy');
  await context.close();
});

test('decks: one case study or category, with its counts', async () => {
  const context = await browser.newContext();
  const page = await open(context, DAY0);
  const options = await page.locator('[data-deck] option').evaluateAll((els) => els.map((o) => [o.value, o.textContent]));
  assert.match(options[0][1], /^Whole guide \(\d+\)$/);
  const kinds = new Set(options.slice(1).map(([v]) => v.split(':')[0]));
  assert.ok(kinds.size > 0, 'decks besides the whole guide');
  if (SITE.endsWith(path.join('golden', 'basic', 'expected'))) assert.deepEqual([...kinds].sort(), ['case', 'category', 'step']);
  assert.equal(await page.locator('[data-deck] optgroup:empty').count(), 0, 'no empty group');
  for (const [value, label] of options.slice(1)) {
    const n = Number(label.match(/\((\d+)\)$/)[1]);
    assert.equal(await page.locator(`.question[data-decks~="${value}"]`).count(), n, `${value}: count in its label`);
    await page.locator('[data-deck]').selectOption(value);
    assert.equal(await stats(page), `0 due today · ${n} new · streak 0 days`);
    await page.locator('[data-new]').click();
    const key = await shownKey(page);
    assert.match(await page.locator(`.question[data-card="${key}"]`).getAttribute('data-decks'), new RegExp(`(^| )${value}( |$)`));
    assert.match(await page.locator('[data-where]').textContent(), new RegExp(`${n} cards? left`));
  }
  await context.close();
});

test('streak: consecutive days ending today, or yesterday when none yet today', async () => {
  const context = await browser.newContext();
  const page = await open(context, DAY0);
  const prefix = await prefixOf(page);
  const cases = [
    [[plusDays(DAY0, -2), plusDays(DAY0, -1)], 2],
    [[plusDays(DAY0, -3), plusDays(DAY0, -1), DAY0], 2],
    [[plusDays(DAY0, -3), plusDays(DAY0, -2)], 0],
    [[DAY0], 1],
    [['not a day', 7], 0],
  ];
  for (const [log, want] of cases) {
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [prefix + 'practice/days', JSON.stringify(log)]);
    await page.reload();
    assert.match(await stats(page), new RegExp(`streak ${want} days?$`), JSON.stringify(log));
  }
  // The log stays bounded: 400 days.
  const long = Array.from({ length: 450 }, (_, i) => plusDays(DAY0, i - 450));
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [prefix + 'practice/days', JSON.stringify(long)]);
  await page.reload();
  assert.match(await stats(page), /streak 450 days$/);
  await page.locator('[data-new]').click();
  await gradeWithKeys(page, 3);
  const days = await stored(page, 'practice/days');
  assert.equal(days.length, 400);
  assert.equal(days[399], DAY0);
  await context.close();
});

test('a schedule for a key not on the page leaves the other cards alone', async () => {
  const context = await browser.newContext();
  const page = await open(context, DAY0);
  const prefix = await prefixOf(page);
  const [kept, reworded] = await pageKeys(page);
  // The reworded question's old key (another hash) and a present card's schedule.
  const oldKey = reworded.replace(/[0-9a-f]{8}$/, '00000000');
  const s = { n: 1, ef: 2.5, i: 1, due: DAY0, last: plusDays(DAY0, -1) };
  await page.evaluate(([p, a, b, v]) => { localStorage.setItem(p + a, v); localStorage.setItem(p + b, v); }, [prefix, kept, oldKey, JSON.stringify(s)]);
  await page.reload();
  const total = (await pageKeys(page)).length;
  assert.equal(await stats(page), `1 due today · ${total - 1} new · streak 0 days`, 'one due, the rest (the reworded one too) new');
  assert.equal(await shownKey(page), kept);
  await context.close();
});

test('a reworded question (real rebuild) becomes a new card alone', { skip: !fs.existsSync(CASEBOOK) && `no ${CASEBOOK}: build the project first` }, async () => {
  const dir = tempDir('practice');
  scratch.push(dir);
  const content = path.join(dir, 'content');
  fs.cpSync(path.join(REPO, 'tests/golden/basic/content'), content, { recursive: true });
  const step = path.join(content, 'framework/01-clarify.md');
  const text = fs.readFileSync(step, 'utf8');
  assert.ok(text.includes('Which number do you ask for first?'));
  fs.writeFileSync(step, text.replace('Which number do you ask for first?', 'Which number do you ask for before any other?'));
  // Built before and after the change, from the same templates, whatever CASEBOOK_SITE is.
  const build = (from, out) => execFileSync(CASEBOOK, ['build', '--content', from, '--templates', path.join(REPO, 'templates'), '--out', out], { stdio: 'pipe' });
  build(path.join(REPO, 'tests/golden/basic/content'), path.join(dir, 'before'));
  build(content, path.join(dir, 'site'));
  const original = await startServer(path.join(dir, 'before'));
  const rebuilt = await startServer(path.join(dir, 'site'));
  try {
    const context = await browser.newContext();
    let page = await open(context, DAY0, original.url('practice.html'));
    const before = await pageKeys(page);
    // Every card graded Good today.
    await page.locator('[data-new]').click();
    for (let i = 0; i < before.length; i++) await gradeWithKeys(page, 3);
    const saved = await page.evaluate(() => JSON.stringify(localStorage));
    await page.close();
    // The rebuilt site, a day later, with what this browser stored.
    page = await context.newPage();
    await page.clock.setFixedTime(at(plusDays(DAY0, 1)));
    await page.goto(rebuilt.url('practice.html'));
    await page.evaluate((s) => { for (const [k, v] of Object.entries(JSON.parse(s))) localStorage.setItem(k, v); }, saved);
    await page.reload();
    const after = await pageKeys(page);
    const gone = before.filter((k) => !after.includes(k));
    const added = after.filter((k) => !before.includes(k));
    assert.equal(gone.length, 1, 'one key changed');
    assert.equal(added.length, 1);
    assert.match(gone[0], /^practice\/step\/clarify\//);
    assert.equal(await stats(page), `${before.length - 1} due today · 1 new · streak 1 day`);
    assert.equal(await stored(page, added[0]), null, 'the reworded question is a new card');
    for (const k of after.filter((k) => k !== added[0])) assert.equal((await stored(page, k)).n, 1, `${k} keeps its schedule`);
    await context.close();
  } finally {
    await rebuilt.close();
    await original.close();
  }
});

test('storage disabled: the review works for the visit and says it cannot keep progress', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  const rec = await record(context);
  const page = await open(context, DAY0);
  assert.equal(await page.locator('[data-storage-note]').isVisible(), true);
  const total = (await pageKeys(page)).length;
  await page.locator('[data-new]').click();
  await gradeWithKeys(page, 3);
  assert.equal(await stats(page), `0 due today · ${total - 1} new · streak 1 day`, 'kept for the visit');
  await page.reload();
  assert.equal(await stats(page), `0 due today · ${total} new · streak 0 days`, 'forgotten after');
  noErrors(rec);
  await context.close();
});

test('from file:// too', async () => {
  const context = await browser.newContext();
  const rec = await record(context);
  const page = await open(context, DAY0, fileUrl('practice.html'));
  await page.locator('[data-new]').click();
  await gradeWithKeys(page, 3);
  await page.reload();
  assert.match(await stats(page), /streak 1 day$/);
  noErrors(rec);
  await context.close();
});

test('axe, light and dark, with a card and its answer showing', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme });
    const page = await open(context, DAY0);
    await page.locator('[data-new]').click();
    await page.locator('[data-reveal]').click();
    await page.addScriptTag({ path: AXE_PATH });
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'best-practice'] }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`), [], colorScheme);
    await context.close();
  }
});
