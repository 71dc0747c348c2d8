// Glossary tooltips at phone width: every tip of every case page stays
// inside a 390 px viewport (no sideways scroll), Esc hides a shown tip and
// leaves focus where it was, and on touch the first tap shows the tip and
// the second follows the link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, record, htmlPages } from './helpers.mjs';

const WIDTH = 390;
let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

// Case pages: under cases/, except the index and the comparison table.
const casePages = () => htmlPages().filter((p) => /^cases\/(?!index\.html$|compare\.html$)/.test(p));

async function phone(extra = {}) {
  const context = await browser.newContext({ viewport: { width: WIDTH, height: 800 }, ...extra });
  const rec = await record(context);
  return { context, rec, page: await context.newPage() };
}

// Folded answers hold term links too: unfold them so every link is shown.
const unfold = (page) => page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));

// Where a term's tip is when shown: its box, and the document's width (in
// the page, given the term's link).
function measure(a) {
  const tip = a.parentElement.querySelector('.tip');
  const r = tip.getBoundingClientRect();
  return { left: r.left, right: r.right, width: r.width, scroll: document.documentElement.scrollWidth };
}
const measureTip = (link) => link.evaluate(measure);

test('every tooltip of a case page stays inside a 390 px viewport on focus and hover', async () => {
  const pages = casePages();
  assert.ok(pages.length > 0, 'the site has case pages');
  let checked = 0;
  for (const rel of pages) {
    const { context, rec, page } = await phone();
    await page.goto(server.url(rel));
    await unfold(page);
    const links = page.locator('.term > a');
    const n = await links.count();
    const bad = [];
    // Focus: every link in one round trip. The script places a tip in its
    // `focusin` handler, which runs inside focus(), so the tip is where it
    // goes before it is measured, as after a Playwright focus().
    const focused = await links.evaluateAll((as, src) => {
      const measureIn = (0, eval)(`(${src})`);
      return as.map((a) => {
        a.focus();
        const m = measureIn(a);
        a.blur();
        return m;
      });
    }, measure.toString());
    assert.equal(focused.length, n, `${rel}: every link focused`);
    // Hover needs the real pointer (Playwright's hover: scrolled to, not
    // covered): one link at a time.
    for (let i = 0; i < n; i++) {
      const link = links.nth(i);
      let m = focused[i];
      if (!(m.width > 0 && m.left >= 0 && m.right <= WIDTH && m.scroll <= WIDTH)) bad.push(`focus #${i} ${JSON.stringify(m)}`);
      await link.hover();
      m = await measureTip(link);
      if (!(m.width > 0 && m.left >= 0 && m.right <= WIDTH && m.scroll <= WIDTH)) bad.push(`hover #${i} ${JSON.stringify(m)}`);
      checked++;
    }
    assert.deepEqual(bad, [], `${rel}: tips outside the viewport`);
    assert.deepEqual(rec.pageErrors, []);
    await context.close();
  }
  assert.ok(checked > 0, 'some term links were checked');
});

test('tooltips stay inside the viewport at 1280 px and at 700 px too', async () => {
  for (const width of [1280, 700]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url(casePages()[0]));
    await unfold(page);
    const links = page.locator('.term > a');
    const n = await links.count();
    for (let i = 0; i < n; i++) {
      await links.nth(i).focus();
      const m = await measureTip(links.nth(i));
      assert.ok(m.width > 0 && m.left >= 0 && m.right <= width && m.scroll <= width,
        `width ${width}, term #${i}: ${JSON.stringify(m)}`);
    }
    await context.close();
  }
});

test('Esc closes a shown tooltip and focus stays on its link', async () => {
  const { context, page } = await phone({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url(casePages()[0]));
  const term = page.locator('.term').first();
  const link = term.locator('> a');
  const tip = term.locator('> .tip');
  await link.focus();
  assert.equal(await tip.isVisible(), true, 'tip shown on focus');
  await page.keyboard.press('Escape');
  assert.equal(await tip.isVisible(), false, 'tip hidden by Esc');
  assert.equal(await link.evaluate((a) => a === document.activeElement), true, 'focus stays on the link');
  // Hover: Esc hides it while the pointer is still on the term.
  await page.keyboard.press('Tab');
  await link.hover();
  assert.equal(await tip.isVisible(), true, 'tip shown on hover');
  await page.keyboard.press('Escape');
  assert.equal(await tip.isVisible(), false, 'hovered tip hidden by Esc');
  // The pointer can move onto the tip without it closing (hoverable).
  await page.mouse.move(1, 1);
  await link.hover();
  // Straight down from the link's middle onto the tip, as a reader would.
  const box = await tip.boundingBox();
  const from = await link.boundingBox();
  const x = Math.min(Math.max(from.x + from.width / 2, box.x + 2), box.x + box.width - 2);
  await page.mouse.move(x, from.y + from.height / 2);
  await page.mouse.move(x, box.y + 4, { steps: 4 });
  assert.equal(await tip.isVisible(), true, 'tip stays shown with the pointer on it');
  await context.close();
});

test('on touch, a first tap shows the tooltip and a second tap follows the link', async () => {
  const { context, rec, page } = await phone({ hasTouch: true, isMobile: true });
  const start = server.url(casePages()[0]);
  await page.goto(start);
  const term = page.locator('.term').first();
  const link = term.locator('> a');
  const tip = term.locator('> .tip');
  const href = await link.evaluate((a) => a.href);
  await link.scrollIntoViewIfNeeded();
  await link.tap();
  await page.waitForTimeout(300);
  assert.equal(page.url(), start, 'first tap does not navigate');
  assert.equal(await tip.isVisible(), true, 'first tap shows the tip');
  const m = await measureTip(link);
  assert.ok(m.left >= 0 && m.right <= WIDTH && m.scroll <= WIDTH, JSON.stringify(m));
  await Promise.all([page.waitForURL(href), link.tap()]);
  assert.equal(page.url(), href, 'second tap follows the link');
  assert.deepEqual(rec.pageErrors, []);
  await context.close();
});

test('without JavaScript, every tooltip of a case page still fits a 390 px viewport', async () => {
  const { context, page } = await phone({ javaScriptEnabled: false });
  await page.goto(server.url(casePages()[0]));
  await unfold(page);
  const links = page.locator('.term > a');
  const n = await links.count();
  assert.ok(n > 0);
  for (let i = 0; i < n; i++) {
    await links.nth(i).focus();
    const m = await measureTip(links.nth(i));
    assert.ok(m.width > 0 && m.left >= 0 && m.right <= WIDTH && m.scroll <= WIDTH, `term #${i}: ${JSON.stringify(m)}`);
  }
  await context.close();
});
