// Landmarks, names and the 404 page, on every page of the site: axe-core
// with the WCAG 2 A/AA rules and the best-practice ones (landmark-unique,
// region, heading-order...) in the light and the dark theme; a non-empty meta
// description; and a 404.html that keeps its styles and its way home when
// the host serves it under the site's path for any unknown URL, and when it
// is opened from a folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, record, htmlPages, fileUrl, basePath, AXE_PATH } from './helpers.mjs';

const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
  resultTypes: ['violations'],
};
let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe wcag2a, wcag2aa and best-practice: no violation on any page (${colorScheme})`, async () => {
    const context = await browser.newContext({ colorScheme });
    const rec = await record(context);
    // axe-core (half a megabyte) is handed to the browser once and runs in
    // every page the context opens, before the page's own scripts: a script
    // tag per page sent it over the protocol 173 times, a third of the time.
    await context.addInitScript({ path: AXE_PATH });
    const page = await context.newPage();
    const problems = [];
    const pages = htmlPages();
    for (const rel of pages) {
      await page.goto(server.url(rel));
      assert.equal(await page.evaluate(() => typeof window.axe?.run), 'function', `${rel}: axe loaded`);
      const result = await page.evaluate((o) => window.axe.run(document, o), AXE_OPTIONS);
      for (const v of result.violations) {
        const line = `${rel} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`;
        problems.push(line);
      }
    }
    assert.ok(pages.length > 1);
    assert.deepEqual(problems, [], `${problems.length} violations on ${pages.length} pages`);
    assert.deepEqual(rec.external(), []);
    await context.close();
  });
}
// print.html strings every page together: a step's checklist next to each
// case's checklist of that step, every term's "Formula"... Each landmark
// name starts with its page's title there, so none repeats; and the step
// pages' checklist heading is an H2, so no page of it skips a level.
test('axe: print.html has unique landmark names and no skipped heading level', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url('print.html'));
  await page.addScriptTag({ path: AXE_PATH });
  const only = { runOnly: { type: 'rule', values: ['landmark-unique', 'heading-order'] } };
  const result = await page.evaluate((o) => window.axe.run(document, o), only);
  const failed = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(failed, []);
  // The rules had something to check: many named regions, one per checklist at least.
  const checked = result.passes.find((v) => v.id === 'landmark-unique');
  const checklists = await page.locator('section.checklist').count();
  assert.ok(checklists >= 2 && checked?.nodes.length >= checklists, `${checked?.nodes.length} landmarks for ${checklists} checklists`);
  const names = await page.locator('section.checklist').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  const title = await page.locator('section.print-page', { has: page.locator('section.checklist') }).first().locator('h1').textContent();
  assert.ok(names[0].startsWith(title.trim() + ' \u2014 '), `named after its page: ${names[0]}`);
  await context.close();
});

test('every page has a non-empty meta description', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const missing = [];
  for (const rel of htmlPages()) {
    await page.goto(fileUrl(rel));
    const d = await page.evaluate(() => document.querySelector('meta[name="description"]')?.content ?? '');
    if (d.trim().length < 20) missing.push(`${rel}: "${d}"`);
  }
  assert.deepEqual(missing, []);
  await context.close();
});

// The 404 page is styled when its stylesheet's rules apply: the skip link,
// moved off screen by the site's CSS, is a good witness.
const styled = (page) => page.evaluate(() => getComputedStyle(document.querySelector('.skip')).position === 'absolute');

async function homeLinkWorks(page) {
  const home = page.locator('main a', { hasText: 'home page' });
  const href = await home.evaluate((a) => a.href);
  const response = await page.goto(href);
  return { href, ok: response === null ? null : response.ok(), title: await page.title() };
}

test('404.html keeps its styles and its link home for unknown URLs under the site path', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const missing of ['no-such-page.html', 'a/b/c/deep.html']) {
    const response = await page.goto(server.url(missing));
    assert.equal(response.status(), 404, `${missing} answers 404`);
    assert.match(await page.title(), /^Page not found/);
    assert.equal(await styled(page), true, `${missing}: styles apply`);
    const home = await homeLinkWorks(page);
    assert.ok(home.href.startsWith(server.origin + basePath()), `home link under ${basePath()}: ${home.href}`);
    assert.equal(home.ok, true, `home link ${home.href} answers`);
    assert.doesNotMatch(home.title, /^Page not found/, 'the home page opened');
  }
  await context.close();
});

test('404.html keeps its styles and its link home from file://', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(fileUrl('404.html'));
  assert.equal(await styled(page), true, 'styles apply');
  const links = await page.evaluate(() => [...document.querySelectorAll('main a')].map((a) => a.href));
  assert.ok(links.length >= 3);
  for (const href of links) {
    assert.ok(href.startsWith(fileUrl('')), `${href} stays inside the site folder`);
  }
  await page.goto(links[0]);
  assert.equal(new URL(page.url()).pathname, new URL(fileUrl('index.html')).pathname);
  assert.equal(await page.locator('h1').count() > 0, true, 'the home page opened');
  await context.close();
});
