// The theme follows the system's colour scheme on screen unless the reader
// chooses light or dark with the header's switch (kept per site, applied
// before the first paint, over http and file://, harmless without storage or
// JavaScript); paper is black on white whatever the screen shows, without
// navigation, with empty boxes to tick by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, launch, record, fileUrl, SITE, AXE_PATH } from './helpers.mjs';

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

// ---- The theme switch ----------------------------------------------------

// Where the switch keeps the choice: the site's storage prefix + "theme".
const PREFIX = fs.readFileSync(path.join(SITE, 'index.html'), 'utf8').match(/data-storage="([^"]+)"/)[1];
const THEME_KEY = PREFIX + 'theme';
const LIGHT = (c) => luminance(c.bg) > 0.8 && luminance(c.fg) < 0.2;
const DARK = (c) => luminance(c.bg) < 0.1 && luminance(c.fg) > 0.5;
const looks = { light: LIGHT, dark: DARK };

const themeSwitch = (page) => page.getByRole('button', { name: /^Theme: / });
const rootScheme = (page) => page.evaluate(() => getComputedStyle(document.documentElement).colorScheme);

// Clicks the switch until it names `want`; at most one round of choices.
async function choose(page, want) {
  const button = themeSwitch(page);
  for (let i = 0; i < 3 && (await button.textContent()) !== `Theme: ${want}`; i++) await button.click();
  assert.equal(await button.textContent(), `Theme: ${want}`);
}

// A context whose pages start with `theme` stored, as a previous visit left it.
async function contextWithStored(options, theme) {
  const context = await browser.newContext(options);
  await context.addInitScript(([k, t]) => { try { localStorage.setItem(k, t); } catch (e) {} }, [THEME_KEY, theme]);
  return context;
}

test('the theme switch cycles auto, light, dark, and its name says the choice', async () => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const rec = await record(context);
  const page = await context.newPage();
  await page.goto(server.url('framework/clarify.html'));
  const attr = () => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
  const stored = () => page.evaluate((k) => localStorage.getItem(k), THEME_KEY);
  const button = themeSwitch(page);
  assert.equal(await button.isVisible(), true, 'shown with JavaScript');
  assert.equal(await button.textContent(), 'Theme: auto');
  assert.deepEqual([await attr(), await stored()], [null, null], 'auto: nothing forced, nothing stored');
  await button.click();
  assert.equal(await button.textContent(), 'Theme: light');
  assert.deepEqual([await attr(), await stored()], ['light', 'light']);
  await button.click();
  assert.equal(await button.textContent(), 'Theme: dark');
  assert.deepEqual([await attr(), await stored()], ['dark', 'dark']);
  await button.click();
  assert.equal(await button.textContent(), 'Theme: auto');
  assert.deepEqual([await attr(), await stored()], [null, null], 'back to auto: the entry is gone');
  // Keys work as for any button.
  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await button.textContent(), 'Theme: light');
  assert.deepEqual(rec.consoleErrors, []);
  assert.deepEqual(rec.pageErrors, []);
  await context.close();
});

for (const via of ['http', 'file']) {
  for (const [system, forced] of [['light', 'dark'], ['dark', 'light']]) {
    test(`a ${system} system, ${forced} chosen: the page turns ${forced}, after a reload and on another page (${via})`, async () => {
      const context = await browser.newContext({ colorScheme: system });
      const rec = await record(context);
      const page = await context.newPage();
      const url = (rel) => (via === 'http' ? server.url(rel) : fileUrl(rel));
      await page.goto(url('framework/clarify.html'));
      assert.ok(looks[system](await bodyColors(page)), `auto follows the ${system} system`);
      await choose(page, forced);
      assert.ok(looks[forced](await bodyColors(page)), `${forced} at once: ${JSON.stringify(await bodyColors(page))}`);
      assert.equal(await rootScheme(page), forced, 'form controls and scrollbars follow: color-scheme');
      await page.reload();
      assert.ok(looks[forced](await bodyColors(page)), 'still after a reload');
      assert.equal(await themeSwitch(page).textContent(), `Theme: ${forced}`);
      await page.goto(url('cases/ranking.html'));
      assert.ok(looks[forced](await bodyColors(page)), 'and on another page');
      assert.equal(await rootScheme(page), forced);
      assert.deepEqual(rec.consoleErrors, []);
      assert.deepEqual(rec.pageErrors, []);
      assert.deepEqual(rec.external(), []);
      await context.close();
    });
  }
}

test('auto follows the system as it changes; a chosen theme does not', async () => {
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(server.url('glossary/ndcg.html'));
  for (const scheme of ['dark', 'light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.ok(looks[scheme](await bodyColors(page)), `auto under a ${scheme} system`);
  }
  await choose(page, 'light');
  assert.ok(LIGHT(await bodyColors(page)), 'light chosen under a dark system');
  await page.emulateMedia({ colorScheme: 'light' });
  await choose(page, 'dark');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.emulateMedia({ colorScheme: 'light' });
  assert.ok(DARK(await bodyColors(page)), 'dark chosen stays dark under a light system');
  await context.close();
});

// What the page looked like when <body> appeared and in its first frame
// (requestAnimationFrame runs before each paint), with dark stored.
async function firstLook(route) {
  const context = await contextWithStored({ colorScheme: 'light' }, 'dark');
  await context.addInitScript(() => {
    window.__seen = {};
    new MutationObserver((_, observer) => {
      if (!document.body) return;
      window.__seen.atBody = document.documentElement.getAttribute('data-theme');
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
    requestAnimationFrame(() => { window.__seen.firstFrame = getComputedStyle(document.body).backgroundColor; });
  });
  if (route) await context.route('**/framework/clarify.html', route);
  const page = await context.newPage();
  await page.goto(server.url('framework/clarify.html'));
  await page.waitForFunction(() => window.__seen.firstFrame !== undefined);
  const seen = await page.evaluate(() => window.__seen);
  await context.close();
  return seen;
}

test('no flash of the wrong theme: the stored theme is on <html> before <body>, and in the first frame', async () => {
  const seen = await firstLook(null);
  assert.equal(seen.atBody, 'dark', 'set before the body is parsed');
  assert.ok(luminance(seen.firstFrame) < 0.1, `first frame is dark: ${seen.firstFrame}`);
  // Control: without the head script (the switch alone, run after the
  // parse), the first frame is light, so the check above can fail.
  const late = await firstLook(async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/<script>\s*\/\/ The reader's theme[\s\S]*?<\/script>/, '');
    await route.fulfill({ response, body: html });
  });
  assert.equal(late.atBody, null, 'control page has no head script');
  assert.ok(luminance(late.firstFrame) > 0.8, `control's first frame is light: ${late.firstFrame}`);
});

test('storage disabled: the switch works on the page, the choice does not persist, no errors', async () => {
  const context = await browser.newContext({ colorScheme: 'light' });
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() { throw new DOMException('The operation is insecure.', 'SecurityError'); },
    });
  });
  const rec = await record(context);
  const page = await context.newPage();
  await page.goto(server.url('framework/clarify.html'));
  assert.equal(await page.evaluate(() => { try { localStorage; return 'storage'; } catch (e) { return e.name; } }), 'SecurityError');
  await choose(page, 'dark');
  assert.ok(DARK(await bodyColors(page)), 'dark for this page');
  await page.reload();
  assert.equal(await themeSwitch(page).textContent(), 'Theme: auto', 'nothing kept');
  assert.ok(LIGHT(await bodyColors(page)));
  assert.deepEqual(rec.pageErrors, []);
  assert.deepEqual(rec.consoleErrors, []);
  await context.close();
});

test('without JavaScript the switch is hidden and the system chooses', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const context = await contextWithStored({ colorScheme, javaScriptEnabled: false }, colorScheme === 'light' ? 'dark' : 'light');
    const page = await context.newPage();
    await page.goto(server.url('framework/clarify.html'));
    assert.equal(await page.locator('[data-theme-switch]').count(), 1, 'the switch is in the page');
    assert.equal(await page.locator('[data-theme-switch]').isVisible(), false, 'but hidden');
    assert.ok(looks[colorScheme](await bodyColors(page)), `${colorScheme}, as the system`);
    await context.close();
  }
});

test('"Clear all ticks" clears ticks, not the theme', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url('framework/clarify.html'));
  await page.locator('.checklist input[type=checkbox]').first().check();
  await choose(page, 'dark');
  await page.goto(server.url('progress.html'));
  page.once('dialog', (d) => d.accept());
  await page.locator('button[data-reset=""]').click();
  const left = await page.evaluate((p) => Object.keys(localStorage).filter((k) => k.startsWith(p)), PREFIX);
  assert.deepEqual(left, [THEME_KEY]);
  assert.ok(DARK(await bodyColors(page)));
  await context.close();
});

test('paper is black on white whatever theme is chosen', async () => {
  for (const [system, forced] of [['light', 'dark'], ['dark', 'dark'], ['dark', 'light']]) {
    const context = await contextWithStored({ colorScheme: system }, forced);
    const page = await context.newPage();
    await page.goto(server.url('cases/ranking.html'));
    assert.ok(looks[forced](await bodyColors(page)), `${forced} on screen`);
    await page.emulateMedia({ media: 'print' });
    assert.deepEqual(await bodyColors(page), { bg: 'rgb(255, 255, 255)', fg: 'rgb(0, 0, 0)' }, `${forced} chosen, ${system} system: paper`);
    const got = await page.evaluate(() => ({
      scheme: getComputedStyle(document.documentElement).colorScheme,
      checklist: getComputedStyle(document.querySelector('.case-checklist')).backgroundColor,
      diagram: getComputedStyle(document.querySelector('figure.diagram')).color,
      header: getComputedStyle(document.querySelector('.site-header')).display,
    }));
    assert.deepEqual(got, { scheme: 'light', checklist: 'rgb(255, 255, 255)', diagram: 'rgb(0, 0, 0)', header: 'none' });
    await context.close();
  }
});

test('diagrams, formulas and tooltips follow the chosen theme', async () => {
  for (const [system, forced] of [['light', 'dark'], ['dark', 'light']]) {
    const context = await contextWithStored({ colorScheme: system, viewport: { width: 1280, height: 900 } }, forced);
    const page = await context.newPage();
    await page.goto(server.url('cases/ranking.html'));
    const term = page.locator('.term > a').first();
    await term.focus();
    const got = await page.evaluate(() => {
      const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
      return {
        bg: css('body', 'backgroundColor'),
        diagram: css('figure.diagram', 'color'),
        tint: css('figure.diagram .tint', 'fill'),
        tipBg: css('.term .tip', 'backgroundColor'),
        tipFg: css('.term .tip', 'color'),
      };
    });
    await page.goto(server.url('glossary/ndcg.html'));
    got.math = await page.evaluate(() => getComputedStyle(document.querySelector('math')).color);
    const dark = forced === 'dark';
    const ok = (c, darkIsLow) => (darkIsLow === dark ? luminance(c) < 0.2 : luminance(c) > 0.5);
    assert.ok(ok(got.bg, true) && ok(got.tint, true), `${forced}: background and node tint ${JSON.stringify(got)}`);
    assert.ok(ok(got.diagram, false) && ok(got.math, false), `${forced}: diagram lines and formulas ${JSON.stringify(got)}`);
    // The tooltip is the other way round, and readable.
    assert.ok(ok(got.tipBg, false) && ok(got.tipFg, true), `${forced}: tooltip ${JSON.stringify(got)}`);
    await context.close();
  }
});

test('axe finds nothing in either chosen theme, with a tooltip open', async () => {
  const problems = [];
  for (const [system, forced] of [['light', 'dark'], ['dark', 'light']]) {
    const context = await contextWithStored({ colorScheme: system }, forced);
    const page = await context.newPage();
    for (const rel of ['index.html', 'framework/clarify.html', 'cases/ranking.html', 'glossary/ndcg.html']) {
      await page.goto(server.url(rel));
      assert.equal(await page.evaluate(() => document.documentElement.getAttribute('data-theme')), forced);
      const term = page.locator('.term > a').first();
      if (await term.count()) await term.focus();
      await page.addScriptTag({ path: AXE_PATH });
      const only = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] };
      const result = await page.evaluate((o) => window.axe.run(document, o), only);
      for (const v of result.violations) problems.push(`${forced} ${rel} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    }
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test('404.html takes the chosen theme too, and its switch works', async () => {
  const context = await contextWithStored({ colorScheme: 'light' }, 'dark');
  const rec = await record(context);
  const page = await context.newPage();
  const response = await page.goto(server.url('no/such/page.html'));
  assert.equal(response.status(), 404);
  assert.ok(DARK(await bodyColors(page)), '404 is dark');
  await choose(page, 'light');
  assert.ok(LIGHT(await bodyColors(page)));
  assert.deepEqual(rec.pageErrors, []);
  await context.close();
});
