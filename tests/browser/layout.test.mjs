// The layout reads well on a phone: no page scrolls sideways at a phone's
// width (wide tables and formulas scroll inside their own box), the table
// of contents starts folded there and unfolded on a wide screen, and every
// page has the skip link and the landmarks a screen reader jumps between.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, htmlPages } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const PHONE = { width: 360, height: 740 };

test('no page is wider than a phone screen', async () => {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const wide = [];
  for (const rel of htmlPages().filter((p) => p !== '404.html')) {
    await page.goto(server.url(rel));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > PHONE.width) wide.push(`${rel}: ${width}px`);
  }
  assert.deepEqual(wide, []);
  await context.close();
});

test('the check above can fail: a wide element makes the page scroll', async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await page.goto(server.url('about.html'));
  await page.evaluate(() => {
    const div = document.createElement('div');
    div.style.width = '900px';
    div.textContent = 'wide';
    document.querySelector('main').append(div);
  });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) > PHONE.width);
  await context.close();
});

test('the table of contents is folded on a phone and open on a wide screen', async () => {
  for (const [viewport, open] of [[PHONE, false], [{ width: 1280, height: 800 }, true]]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(server.url('cases/ranking.html'));
    await page.waitForFunction(() => document.readyState === 'complete');
    assert.equal(await page.evaluate(() => document.querySelector('details[data-toc]').open), open,
      `toc open at ${viewport.width}px`);
    await context.close();
  }
});

test('every page has a skip link to main, a banner, navigation and one h1', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const rel of htmlPages()) {
    await page.goto(server.url(rel));
    const facts = await page.evaluate(() => ({
      skip: document.querySelector('a.skip')?.getAttribute('href'),
      main: document.querySelectorAll('main#main').length,
      header: document.querySelectorAll('header').length,
      nav: document.querySelectorAll('nav[aria-label]').length,
      // print.html holds many pages: one h1 in each, none outside them.
      h1: document.querySelectorAll('h1').length,
      printPages: document.querySelectorAll('main > section.print-page').length,
      printPagesWithOneH1: [...document.querySelectorAll('main > section.print-page')]
        .filter((s) => s.querySelectorAll('h1').length === 1).length,
      lang: document.documentElement.lang,
    }));
    assert.equal(facts.skip, '#main', rel);
    assert.equal(facts.main, 1, rel);
    assert.equal(facts.header, 1, rel);
    assert.ok(facts.nav >= 1, rel);
    if (rel === 'print.html') {
      assert.ok(facts.printPages > 1, rel);
      assert.equal(facts.printPagesWithOneH1, facts.printPages, rel);
      assert.equal(facts.h1, facts.printPages, rel);
    } else {
      assert.equal(facts.h1, 1, rel);
    }
    assert.ok(facts.lang, rel);
  }
  await context.close();
});
