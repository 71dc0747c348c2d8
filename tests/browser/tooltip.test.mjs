// Glossary tooltips are pure CSS: hidden until the term is hovered or its
// link has keyboard focus, with or without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, record } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const isFocused = (loc) => loc.evaluate((el) => el === document.activeElement);

async function tooltipShows(javaScriptEnabled) {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 800 } });
  const rec = await record(context);
  const page = await context.newPage();
  await page.goto(server.url('cases/ranking.html'));

  // The script un-hides reset buttons (a case page's are inside folded
  // checklists, so read the attribute): tells whether JavaScript really ran.
  assert.equal(await page.locator('button.reset').first().evaluate((b) => !b.hidden), javaScriptEnabled,
    `JavaScript is ${javaScriptEnabled ? 'on' : 'off'}`);

  const term = page.locator('.term').first();
  const link = term.locator('> a');
  const tip = term.locator('> .tip');
  const tipId = await tip.getAttribute('id');
  assert.ok(tipId, 'tip has an id');
  assert.equal(await link.getAttribute('aria-describedby'), tipId, 'link is described by its tip');
  assert.equal(await tip.getAttribute('role'), 'tooltip');
  assert.ok((await tip.textContent()).trim().length > 0, 'tip has a definition');

  assert.equal(await tip.isVisible(), false, 'tip hidden at first');

  await link.hover();
  assert.equal(await tip.isVisible(), true, 'tip visible on hover');
  const box = await tip.boundingBox();
  assert.ok(box.width > 20 && box.height > 10, `tip has a real box: ${JSON.stringify(box)}`);

  await page.mouse.move(1, 1);
  assert.equal(await tip.isVisible(), false, 'tip hidden again when the pointer leaves');

  // Keyboard: Tab from the top of the page until the link has focus.
  let presses = 0;
  while (!(await isFocused(link))) {
    assert.ok(presses < 80, 'Tab reached the term link');
    await page.keyboard.press('Tab');
    presses++;
  }
  assert.equal(await tip.isVisible(), true, `tip visible on keyboard focus (after ${presses} Tab presses)`);

  await page.keyboard.press('Tab');
  assert.equal(await isFocused(link), false);
  assert.equal(await tip.isVisible(), false, 'tip hidden again when focus moves on');

  await link.focus();
  assert.equal(await tip.isVisible(), true, 'tip visible on programmatic focus');

  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  await context.close();
}

test('glossary tooltip shows on hover and keyboard focus (JavaScript on)', async () => {
  await tooltipShows(true);
});

test('glossary tooltip shows on hover and keyboard focus (JavaScript off)', async () => {
  await tooltipShows(false);
});
