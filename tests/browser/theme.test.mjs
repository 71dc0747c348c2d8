// The theme follows the system's colour scheme on screen, and paper is black
// on white without navigation, with empty boxes to tick by hand.
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

const bodyColors = (page) => page.evaluate(() => {
  const s = getComputedStyle(document.body);
  return { bg: s.backgroundColor, fg: s.color };
});

// Relative luminance of "rgb(r, g, b)", 0 (black) to 1 (white).
function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
    c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

// Decode a PNG screenshot in the browser and count, inside a margin, the
// pixels that are not (near) white.
async function inkInside(context, png, margin) {
  const page = await context.newPage();
  try {
    return await page.evaluate(async ({ b64, margin }) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width; c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const w = img.width - 2 * margin, h = img.height - 2 * margin;
      const d = g.getImageData(margin, margin, w, h).data;
      let ink = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 230 || d[i + 1] < 230 || d[i + 2] < 230) ink++;
      return { ink, of: w * h, size: [img.width, img.height] };
    }, { b64: png.toString('base64'), margin });
  } finally {
    await page.close();
  }
}

test('body colours follow prefers-color-scheme', async () => {
  const seen = {};
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ colorScheme });
    const rec = await record(context);
    const page = await context.newPage();
    await page.goto(server.url('framework/clarify.html'));
    seen[colorScheme] = await bodyColors(page);
    assert.deepEqual(rec.consoleErrors, []);
    await context.close();
  }
  assert.notEqual(seen.light.bg, seen.dark.bg, 'background differs between light and dark');
  assert.notEqual(seen.light.fg, seen.dark.fg, 'text colour differs between light and dark');
  assert.ok(luminance(seen.light.bg) > 0.8 && luminance(seen.light.fg) < 0.2, `light is dark on light: ${JSON.stringify(seen.light)}`);
  assert.ok(luminance(seen.dark.bg) < 0.1 && luminance(seen.dark.fg) > 0.5, `dark is light on dark: ${JSON.stringify(seen.dark)}`);
});

test('print from a dark screen: black on white, no navigation, empty tick boxes', async () => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
  const rec = await record(context);
  const page = await context.newPage();
  await page.goto(server.url('framework/clarify.html'));

  const box = page.locator('.checklist input[type=checkbox]').first();
  await box.check();
  const chrome = ['.site-header', '.site-nav', '.breadcrumbs', '.toc', '.pager'];

  // On screen (dark): navigation shows, the ticked box is drawn with a tick.
  assert.ok(luminance((await bodyColors(page)).bg) < 0.1, 'screen is dark before printing');
  for (const sel of chrome) assert.equal(await page.locator(sel).first().isVisible(), true, `${sel} visible on screen`);
  const screenInk = await inkInside(context, await box.screenshot(), 3);
  assert.ok(screenInk.ink > screenInk.of / 4, `ticked box on screen is filled: ${JSON.stringify(screenInk)}`);

  await page.emulateMedia({ media: 'print' });
  assert.deepEqual(await bodyColors(page), { bg: 'rgb(255, 255, 255)', fg: 'rgb(0, 0, 0)' }, 'paper is black on white');
  for (const sel of chrome) assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} hidden in print`);
  assert.equal(await page.locator('main h1').isVisible(), true, 'content still prints');

  assert.equal(await box.isChecked(), true, 'box is still ticked in the DOM');
  const style = await box.evaluate((el) => {
    const s = getComputedStyle(el);
    return { appearance: s.appearance, bg: s.backgroundColor, border: s.borderTopStyle };
  });
  assert.deepEqual(style, { appearance: 'none', bg: 'rgb(255, 255, 255)', border: 'solid' }, 'box drawn by CSS as a plain square');
  const printInk = await inkInside(context, await box.screenshot(), 3);
  assert.equal(printInk.ink, 0, `ticked box prints empty inside its border: ${JSON.stringify(printInk)}`);

  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  await context.close();
});

test('paper: answers without their toggle, references with their address, notes no larger than the text', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url('cases/ranking.html'));
  await page.emulateMedia({ media: 'print' });
  const got = await page.evaluate(() => {
    const px = (el) => parseFloat(getComputedStyle(el).fontSize);
    const body = px(document.body);
    const link = document.querySelector('.references a[href^="http"]');
    return {
      summary: getComputedStyle(document.querySelector('.question summary')).display,
      after: getComputedStyle(link, '::after').content,
      href: link.getAttribute('href'),
      lead: px(document.querySelector('.lead')) / body,
      rowBreak: getComputedStyle(document.querySelector('[data-checklist] li')).breakInside,
      listBreak: getComputedStyle(document.querySelector('[data-checklist]')).breakInside,
      // A case page's checklist is in short form: the box prints as an empty square.
      box: (({ appearance, backgroundColor }) => ({ appearance, backgroundColor }))(
        getComputedStyle(document.querySelector('[data-checklist] input'))),
    };
  });
  // The "why" notes are on the step pages.
  await page.goto(server.url('framework/clarify.html'));
  got.why = await page.evaluate(() =>
    parseFloat(getComputedStyle(document.querySelector('.checklist .why')).fontSize) /
    parseFloat(getComputedStyle(document.body).fontSize));
  assert.equal(got.summary, 'none', '"Show the answer" is not printed');
  assert.ok(got.after.includes(got.href), `the reference prints its address: ${got.after}`);
  assert.ok(got.lead <= 1.15, `the lead prints at most a little larger than the text (${got.lead})`);
  assert.ok(got.why < 1, `a "why" note prints smaller than the text (${got.why})`);
  assert.equal(got.rowBreak, 'avoid', 'a checklist item stays whole');
  assert.equal(got.listBreak, 'auto', 'a checklist may break between its items');
  assert.deepEqual(got.box, { appearance: 'none', backgroundColor: 'rgb(255, 255, 255)' }, 'a case checklist prints empty boxes');
  await context.close();
});
