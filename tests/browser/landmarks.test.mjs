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
// Accepted for now, each with its reason; a `todo` test keeps reporting it.
// print.html strings every page of the guide together, so the sections each
// page repeats (a step's checklist beside a case's checklist of the same
// step, each term's "Formula", "Pitfalls"...) share names there; the print
// page would have to prefix them with their page's title.
// A step page whose body has no H2 (the golden site's framework/evaluate)
// goes from its H1 to the checklist's H3: the checklist partial's heading
// level is fixed at 3, right under a case page's H2s; print.html repeats it.
const KNOWN = [
  { page: 'print.html', id: 'landmark-unique' },
  { page: 'print.html', id: 'heading-order' },
  { page: 'framework/evaluate.html', id: 'heading-order' },
];
const isKnown = (rel, id) => KNOWN.some((k) => k.page === rel && k.id === id);

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const accepted = [];
for (const colorScheme of ['light', 'dark']) {
  test(`axe wcag2a, wcag2aa and best-practice: no violation on any page (${colorScheme})`, async () => {
    const context = await browser.newContext({ colorScheme });
    const rec = await record(context);
    const page = await context.newPage();
    const problems = [];
    const pages = htmlPages();
    for (const rel of pages) {
      await page.goto(server.url(rel));
      await page.addScriptTag({ path: AXE_PATH });
      const result = await page.evaluate((o) => window.axe.run(document, o), AXE_OPTIONS);
      for (const v of result.violations) {
        const line = `${rel} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`;
        (isKnown(rel, v.id) ? accepted : problems).push(line);
      }
    }
    assert.ok(pages.length > 1);
    assert.deepEqual(problems, [], `${problems.length} violations on ${pages.length} pages`);
    assert.deepEqual(rec.external(), []);
    await context.close();
  });
}
test('axe: accepted violations still present (todo)', { todo: true }, () => {
  assert.deepEqual(accepted, []);
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
