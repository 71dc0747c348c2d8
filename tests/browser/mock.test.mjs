// The practice page's mock interview (partials/practice-mock.html,
// assets/mock.js): hidden without JavaScript; a run started, a prompt
// ticked, a step advanced and the page reloaded resumes on the same step
// with its time (Playwright's clock, not sleeps); the overrun warning shows
// once the budget is spent and is announced once; End sums each step up
// (time against budget, covered and missed items, a link to the case
// study's section); pause holds the clock across a reload; time runs on
// while the page is closed; storage refused; a keyboard-only run; axe with the run and the
// result showing, light and dark. Budgets, cases and items are read from the
// page, so the file runs against the golden site and the guide alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, record, AXE_PATH } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const START = new Date('2026-03-02T09:00:00Z');
const MIN = 60_000;
const text = async (loc) => ((await loc.innerText()) ?? '').replace(/\s+/g, ' ').trim();

// What the page offers: its steps (id, title, budgets) and cases.
async function offer(page) {
  return page.evaluate(() => ({
    steps: [...document.querySelectorAll('[data-mock-step]')].map((el) => ({
      id: el.dataset.mockStep,
      title: el.dataset.title,
      budget: Object.fromEntries(el.dataset.budget.split(' ').map((p) => p.split(':').map(Number))),
      items: [...el.querySelectorAll('[data-mock-item]')].map((b) => ({
        key: b.dataset.mockItem, text: b.parentElement.textContent.replace(/\s+/g, ' ').trim(),
      })),
    })),
    cases: [...document.querySelectorAll('[data-mock-case] option')].filter((o) => o.value).map((o) => ({
      id: o.value, title: o.textContent, url: o.dataset.url, sections: o.dataset.sections.split(' ').filter(Boolean),
    })),
    lengths: [...document.querySelectorAll('input[name="mock-length"]')].map((r) => Number(r.value)),
    prefix: document.documentElement.dataset.storage,
  }));
}

// exact: time stands still but for runFor, so every shown time is exact;
// else it flows (axe waits on timers).
async function open(context, exact = true) {
  const rec = await record(context);
  const page = await context.newPage();
  await page.clock.install({ time: START });
  if (exact) await page.clock.pauseAt(START.getTime() + 1000);
  await page.goto(server.url('practice.html'));
  return { page, rec, data: await offer(page) };
}

function clock(ms) {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const mock = (page) => page.locator('#practice-mock');
const current = (page) => page.locator('[data-mock-step]:not([hidden])');

test('hidden without JavaScript; the questions are all there', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url('practice.html'));
  assert.equal(await page.locator('#practice-mock').count(), 1, 'the section is in the page');
  assert.equal(await page.locator('#practice-mock').isVisible(), false, 'but hidden');
  assert.ok(await page.locator('.question details').count() > 0, 'the questions are listed');
  await context.close();
});

test('a run: tick, advance, reload resumes with its time, overrun warned once, End sums up', async () => {
  const context = await browser.newContext();
  const { page, rec, data } = await open(context);
  assert.ok(data.steps.length >= 2 && data.cases.length >= 1 && data.lengths.length >= 1);
  const [first, second] = data.steps;
  const kase = data.cases[0];
  const length = data.lengths[0];
  assert.equal(await mock(page).isVisible(), true, 'shown with JavaScript');

  // Setup: the lengths say how many minutes the steps take.
  const sum = data.steps.reduce((t, s) => t + s.budget[length], 0);
  const hint = await text(page.locator(`#mock-length-${length}-hint`));
  assert.match(hint, new RegExp(`^${sum} minutes for the \\w+ steps; the rest is introductions and your questions$`));
  if (data.steps.length === 2) assert.match(hint, /for the two steps/);
  assert.equal(await page.locator(`input[name="mock-length"][value="${length}"]`).isChecked(), true, 'the first length is chosen');
  await page.locator('[data-mock-case]').selectOption(kase.id);
  await page.locator('[data-mock-start]').click();

  // The run: the prompt, step 1 with its budget, its items, focus on its heading.
  assert.equal(await text(page.locator('[data-mock-case-title]')), kase.title);
  assert.equal(await current(page).getAttribute('data-mock-step'), first.id);
  assert.equal(await page.evaluate(() => document.activeElement.id), `mock-step-${first.id}-title`, 'focus on the step');
  assert.match(await text(current(page).locator('h3')), new RegExp(`${first.title} · ${first.budget[length]} minutes`));
  assert.equal(await text(page.locator('[data-mock-step-budget]')), clock(first.budget[length] * MIN));
  assert.equal(await text(page.locator('[data-mock-total-budget]')), clock(sum * MIN));
  assert.equal(await current(page).locator('[data-mock-item]').count(), first.items.length);
  assert.equal(await page.locator('[data-mock-prev]').isDisabled(), true, 'no step before the first');
  // The run's boxes are its own: not the step page's ticks.
  assert.equal(await current(page).locator('input[data-key]').count(), 0);

  await current(page).locator('[data-mock-item]').first().check();
  await page.clock.runFor(3 * MIN);
  assert.equal(await text(page.locator('[data-mock-step-time]')), '3:00');
  await page.locator('[data-mock-next]').click();
  assert.equal(await current(page).getAttribute('data-mock-step'), second.id);
  assert.equal(await page.evaluate(() => document.activeElement.id), `mock-step-${second.id}-title`);
  await page.clock.runFor(2 * MIN);
  assert.equal(await text(page.locator('[data-mock-step-time]')), '2:00');
  assert.equal(await text(page.locator('[data-mock-total-time]')), '5:00');
  const stored = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), data.prefix + 'practice/mock');
  assert.equal(stored.run.step, 1);
  assert.deepEqual(stored.run.ticks, { [first.items[0].key]: true });

  // Reload: the same step, the same times (the clock went on: 2:00 + 1:00).
  await page.evaluate(() => { window.__old = true; });
  await page.reload();
  assert.equal(await page.evaluate(() => window.__old), undefined, 'reloaded');
  await page.clock.runFor(1 * MIN);
  assert.equal(await current(page).getAttribute('data-mock-step'), second.id, 'same step after reload');
  assert.equal(await text(page.locator('[data-mock-step-time]')), '3:00', 'step time kept');
  assert.equal(await text(page.locator('[data-mock-total-time]')), '6:00', 'run time kept');
  assert.equal(await text(page.locator('[data-mock-case-title]')), kase.title);

  // Over budget: visible, announced once (not every second or minute).
  const budget2 = second.budget[length];
  const warning = page.locator('[data-mock-warning]');
  assert.equal(await warning.isVisible(), false, 'no warning within budget');
  await page.clock.runFor((budget2 - 3) * MIN + 10_000);
  assert.equal(await warning.isVisible(), true, 'warned after the budget');
  const first_warning = `Over budget on ${second.title} by 1 minute`;
  assert.equal(await text(warning), first_warning);
  assert.equal(await text(page.locator('[data-mock-status]')), first_warning, 'announced');
  const announced = [];
  await page.exposeFunction('__heard', (t) => announced.push(t));
  await page.evaluate(() => new MutationObserver(() => window.__heard(document.querySelector('[data-mock-status]').textContent))
    .observe(document.querySelector('[data-mock-status]'), { childList: true, characterData: true, subtree: true }));
  await page.clock.runFor(2 * MIN);
  assert.equal(await text(warning), `Over budget on ${second.title} by 3 minutes`, 'the warning counts on');
  assert.deepEqual(announced, [], 'announced once only');
  await page.reload();
  await page.clock.runFor(1000);
  assert.equal(await warning.isVisible(), true, 'still warned after a reload');
  assert.equal(await text(page.locator('[data-mock-status]')), '', 'but not announced again');

  // The first step's tick survived too.
  await page.locator('[data-mock-prev]').click();
  assert.equal(await current(page).locator('[data-mock-item]').first().isChecked(), true, 'tick kept');
  assert.equal(await text(page.locator('[data-mock-step-time]')), '3:00');
  await page.locator('[data-mock-next]').click();

  // End: per step, time against budget, covered and missed, the case's section.
  await page.locator('[data-mock-end]').click();
  const result = page.locator('[data-mock-result]');
  assert.equal(await result.isVisible(), true);
  assert.equal(await page.locator('[data-mock-run]').isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'practice-mock-result-title');
  const rows = result.locator('[data-mock-summary] > li');
  assert.equal(await rows.count(), data.steps.length);
  const row1 = rows.nth(0), row2 = rows.nth(1);
  assert.match(await text(row1), new RegExp(`^${first.title} 3:00 of ${first.budget[length]} minutes`));
  assert.deepEqual((await row1.locator('.mock-covered li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()), [first.items[0].text]);
  assert.deepEqual((await row1.locator('.mock-missed li').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim()),
    first.items.slice(1).map((i) => i.text));
  assert.match(await text(row2), /over by 3 minutes/);
  assert.equal(await row2.locator('.mock-covered').count(), 0, 'nothing ticked on step 2');
  for (let i = 0; i < data.steps.length; i++) {
    const links = rows.nth(i).locator('a[href*="#"]');
    const want = kase.sections.includes(data.steps[i].id) ? [`${kase.url}#${data.steps[i].id}`] : [];
    assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))), want, data.steps[i].id);
  }
  // The link reaches the case study's section.
  if (kase.sections.includes(first.id)) {
    await row1.locator('a[href*="#"]').click();
    await page.waitForURL(/#/);
    assert.equal(await page.locator(`[id="${first.id}"]`).count(), 1, 'the section exists');
    await page.goBack();
  }

  // Kept until a new run starts.
  await page.reload();
  assert.equal(await page.locator('[data-mock-result]').isVisible(), true, 'result kept');
  await page.locator('[data-mock-again]').click();
  assert.equal(await page.locator('[data-mock-setup]').isVisible(), true);
  assert.equal(await page.evaluate(() => document.activeElement.matches('[data-mock-case]')), true, 'focus on the case choice');
  await page.locator('[data-mock-start]').click();
  const after = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), data.prefix + 'practice/mock');
  assert.equal(after.result, null, 'a new run replaces the result');
  assert.equal(await current(page).getAttribute('data-mock-step'), first.id);
  assert.equal(await current(page).locator('[data-mock-item]:checked').count(), 0, 'with no ticks');

  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.external(), []);
  await context.close();
});

test('pause holds the clock across a reload; unpaused, time runs while the page is closed', async () => {
  const context = await browser.newContext();
  const { page, data } = await open(context);
  await page.locator('[data-mock-start]').click();
  const picked = await text(page.locator('[data-mock-case-title]'));
  assert.ok(data.cases.some((c) => c.title === picked), 'Random picks one of the cases');
  await page.clock.runFor(MIN);
  await page.locator('[data-mock-pause]').click();
  assert.equal(await text(page.locator('[data-mock-pause]')), 'Resume');
  assert.equal(await text(page.locator('[data-mock-status]')), 'Paused');
  await page.clock.runFor(10 * MIN);
  assert.equal(await text(page.locator('[data-mock-step-time]')), '1:00', 'paused: no time passes');
  await page.reload();
  await page.clock.runFor(5 * MIN);
  assert.equal(await text(page.locator('[data-mock-step-time]')), '1:00', 'still paused after reload');
  assert.equal(await text(page.locator('[data-mock-pause]')), 'Resume');
  await page.locator('[data-mock-pause]').click();
  await page.clock.runFor(MIN);
  assert.equal(await text(page.locator('[data-mock-step-time]')), '2:00', 'resumed');

  // Closed for ten minutes: the page is gone; the stored timestamps move
  // back ten minutes, as if the clock had run while nobody looked (the
  // context's clock stays where it is).
  const key = data.prefix + 'practice/mock';
  await page.evaluate((k) => {
    const d = JSON.parse(localStorage.getItem(k));
    d.run.since -= 10 * 60000;
    d.run.started -= 10 * 60000;
    localStorage.setItem(k, JSON.stringify(d));
  }, key);
  const again = await context.newPage();
  await page.close();
  await again.goto(server.url('practice.html'));
  assert.equal(await text(again.locator('[data-mock-step-time]')), '12:00', 'the time ran on while closed');
  await context.close();
});

test('keyboard only: choose, start, tick, step, end, start another', async () => {
  const context = await browser.newContext();
  const { page, data } = await open(context);
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el.id || el.getAttribute('name') || [...el.attributes].map((a) => a.name).find((n) => n.startsWith('data-mock')) || el.tagName;
  });
  // Tab from the top of the page to the case choice.
  for (let i = 0; i < 60 && (await focused()) !== 'data-mock-case'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'data-mock-case');
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'solid', 'visible focus');
  await page.keyboard.press('ArrowDown'); // Random -> the first case
  assert.equal(await page.locator('[data-mock-case]').inputValue(), data.cases[0].id);
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'mock-length');
  if (data.lengths.length > 1) {
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator(`input[name="mock-length"][value="${data.lengths[1]}"]`).isChecked(), true);
  }
  const length = data.lengths[Math.min(1, data.lengths.length - 1)];
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'data-mock-start');
  await page.keyboard.press('Enter');
  const [first, second] = data.steps;
  assert.equal(await focused(), `mock-step-${first.id}-title`, 'focus on the first step');
  assert.equal(await text(page.locator('[data-mock-step-budget]')), clock(first.budget[length] * MIN));
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'data-mock-item');
  await page.keyboard.press('Space');
  assert.equal(await current(page).locator('[data-mock-item]').first().isChecked(), true, 'Space ticks');
  // "n" on a checkbox is typing into a control: no step change.
  await page.keyboard.press('n');
  assert.equal(await current(page).getAttribute('data-mock-step'), first.id);
  // Through the items (and their links) to Next; the disabled Previous is skipped.
  const passed = [];
  for (let i = 0; i < 60 && (await focused()) !== 'data-mock-next'; i++) {
    await page.keyboard.press('Tab');
    passed.push(await focused());
  }
  assert.equal(await focused(), 'data-mock-next');
  assert.equal(passed.includes('data-mock-prev'), false, 'the disabled Previous is skipped');
  await page.keyboard.press('Enter');
  assert.equal(await focused(), `mock-step-${second.id}-title`, 'focus follows the step');
  // Shortcuts off a control: p back, n on.
  await page.keyboard.press('p');
  assert.equal(await current(page).getAttribute('data-mock-step'), first.id, 'p: previous');
  await page.keyboard.press('n');
  assert.equal(await current(page).getAttribute('data-mock-step'), second.id, 'n: next');
  await page.clock.runFor(MIN);
  // Through the items and the buttons to End.
  for (let i = 0; i < 100 && (await focused()) !== 'data-mock-end'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'data-mock-end');
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'practice-mock-result-title');
  const row1 = page.locator('[data-mock-summary] > li').first();
  assert.equal(await row1.locator('.mock-covered li').count(), 1);
  for (let i = 0; i < 200 && (await focused()) !== 'data-mock-again'; i++) await page.keyboard.press('Tab');
  assert.equal(await focused(), 'data-mock-again');
  await page.keyboard.press('Enter');
  assert.equal(await focused(), 'data-mock-case', 'back to the setup');
  // No trap: Tab leaves the section.
  for (let i = 0; i < 10; i++) await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.querySelector('#practice-mock').contains(document.activeElement)), false);
  await context.close();
});

test('storage refused: the page says so, the run works for the visit', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('refused', 'SecurityError'); } });
  });
  const { page, rec } = await open(context);
  assert.equal(await page.locator('[data-mock-nostore]').isVisible(), true, 'says it cannot keep the run');
  await page.locator('[data-mock-start]').click();
  await page.clock.runFor(MIN);
  assert.equal(await text(page.locator('[data-mock-step-time]')), '1:00');
  await page.locator('[data-mock-next]').click();
  assert.equal(await page.locator('[data-mock-step]:not([hidden])').count(), 1);
  await page.locator('[data-mock-end]').click();
  assert.equal(await page.locator('[data-mock-result]').isVisible(), true);
  await page.reload();
  assert.equal(await page.locator('[data-mock-setup]').isVisible(), true, 'forgotten after a reload');
  assert.deepEqual(rec.pageErrors, []);
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe clean with the run and the result showing (${colorScheme})`, async () => {
    const context = await browser.newContext({ colorScheme });
    const { page, data } = await open(context, false);
    await page.addScriptTag({ path: AXE_PATH });
    const audit = async (what) => {
      const r = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] }, resultTypes: ['violations'],
      }));
      return r.violations.map((v) => `${what} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    };
    const problems = [...await audit('setup')];
    await page.locator('[data-mock-start]').click();
    await current(page).locator('[data-mock-item]').first().check();
    const budget = Math.max(...data.steps[0].budget ? Object.values(data.steps[0].budget) : [0]);
    await page.clock.runFor((budget + 1) * MIN); // over budget: the warning shows
    assert.equal(await page.locator('[data-mock-warning]').isVisible(), true);
    problems.push(...await audit('run'));
    await page.locator('[data-mock-pause]').click();
    problems.push(...await audit('paused'));
    await page.locator('[data-mock-end]').click();
    problems.push(...await audit('result'));
    assert.deepEqual(problems, []);
    await context.close();
  });
}
