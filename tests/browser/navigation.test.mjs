// Moving around a page and between pages: the table of contents names every
// section of the page in order and every entry leads to its section; it
// marks the section being read; on a long case page it scrolls on its own
// and ends inside the window; long pages have a working "Back to top"; the
// arrow keys follow the previous / next links, except while the reader
// types or holds a modifier.
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

const DESKTOP = { width: 1280, height: 800 };

// The case page whose contents are longest.
const casePages = () =>
  htmlPages().filter((p) => /^cases\/(?!index|compare)[^/]+\.html$/.test(p));

// One page's contents checked against its headings, in the browser.
function checkToc() {
  const problems = [];
  const nav = document.querySelector('nav.toc');
  const main = document.querySelector('main');
  const headings = [...main.querySelectorAll('h2, h3')];
  if (!nav) return { problems, entries: 0, headings: headings.length, hasToc: false };
  const ids = [...nav.querySelectorAll('a')].map((a) => {
    const href = a.getAttribute('href');
    if (!href.startsWith('#')) problems.push(`entry ${href} is not an anchor of the page`);
    return decodeURIComponent(href.slice(1));
  });
  const targets = ids.map((id) => document.getElementById(id));
  ids.forEach((id, i) => {
    if (!targets[i]) problems.push(`entry #${id} leads nowhere`);
    else if (!main.contains(targets[i])) problems.push(`entry #${id} is outside main`);
  });
  // Entries in page order.
  for (let i = 1; i < targets.length; i++) {
    if (!targets[i - 1] || !targets[i]) continue;
    const pos = targets[i - 1].compareDocumentPosition(targets[i]);
    if (!(pos & Node.DOCUMENT_POSITION_FOLLOWING) || pos & Node.DOCUMENT_POSITION_CONTAINED_BY)
      problems.push(`entry #${ids[i]} comes before #${ids[i - 1]} on the page`);
  }
  // Every heading has an id and an entry: its own, or that of the section
  // it opens. Their entries come in the order of the headings.
  let last = -1;
  for (const h of headings) {
    const text = h.textContent.trim();
    if (!h.id) {
      problems.push(`heading "${text}" has no id`);
      continue;
    }
    let at = ids.indexOf(h.id);
    if (at < 0) {
      const section = h.parentElement.closest('[id]');
      if (section && section !== main && section.querySelector('h2, h3') === h)
        at = ids.indexOf(section.id);
    }
    if (at < 0) problems.push(`heading "${text}" (#${h.id}) has no entry`);
    else if (at <= last) problems.push(`heading "${text}" is out of order in the contents`);
    else last = at;
  }
  return { problems, entries: ids.length, headings: headings.length, hasToc: true };
}

test('TOC completeness: every heading of every page has an entry, in order, that resolves',
  async (t) => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const problems = [];
    let pagesWithToc = 0, entries = 0;
    for (const rel of htmlPages().filter((p) => p !== '404.html')) {
      await page.goto(server.url(rel));
      const r = await page.evaluate(checkToc);
      for (const p of r.problems) problems.push(`${rel}: ${p}`);
      // Pages of sections must have contents; the others have at most a
      // few short sections, named in the page's first screen.
      const mustHave = /^(cases|glossary|framework)\/(?!compare|index\.html$)/.test(rel) &&
        !rel.startsWith('framework/index') && !/sheet|cheat/.test(rel);
      if (r.hasToc) {
        pagesWithToc++;
        entries += r.entries;
      } else if (mustHave) problems.push(`${rel}: no table of contents`);
    }
    t.diagnostic(`${pagesWithToc} pages with contents, ${entries} entries`);
    assert.ok(pagesWithToc > 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

test('TOC completeness check can fail: a heading without an entry is reported', async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(server.url(casePages()[0]));
  const r = await page.evaluate((src) => {
    const h = document.createElement('h2');
    h.id = 'not-listed';
    h.textContent = 'Not listed';
    document.querySelector('main article').append(h);
    return (0, eval)(`(${src})`)();
  }, checkToc.toString());
  assert.deepEqual(r.problems, ['heading "Not listed" (#not-listed) has no entry']);
  await context.close();
});

test('TOC of a case page lists its generated sections', async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(server.url(casePages()[0]));
  const hrefs = await page.$$eval('nav.toc a', (as) => as.map((a) => a.getAttribute('href')));
  for (const id of ['#metrics', '#questions'])
    assert.ok(hrefs.includes(id), `${id} in ${hrefs.join(' ')}`);
  assert.ok(hrefs.some((h) => /^#case\/.*-title$/.test(h)), 'a step checklist is listed');
  await context.close();
});

test('TOC highlight follows scrolling', async (t) => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(server.url(casePages()[0]));
  // The entries whose section can be scrolled to the top of the window (the
  // last few of a short page cannot: the page ends first) and that start
  // more than a line of text before the next.
  const reachable = () => page.$$eval('nav.toc a', (as) => {
    const top = (a) => document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))
      .getBoundingClientRect().top + window.scrollY;
    const tops = as.map(top);
    return as.filter((a, i) =>
      tops[i] - 10 + window.innerHeight < document.documentElement.scrollHeight - 4 &&
      (i + 1 === as.length || tops[i + 1] - tops[i] > 120)).map((a) => a.getAttribute('href'));
  });
  let hrefs = await reachable();
  if (hrefs.length < 3) {
    t.diagnostic('a short case page: checked in a 1280x300 window');
    await page.setViewportSize({ width: 1280, height: 300 });
    hrefs = await reachable();
  }
  assert.ok(hrefs.length >= 3, `${hrefs.length} sections can reach the top`);
  const picks = [1, Math.floor(hrefs.length / 2), hrefs.length - 1];
  for (const i of picks) {
    await page.evaluate((href) => {
      const el = document.getElementById(decodeURIComponent(href.slice(1)));
      window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 10);
    }, hrefs[i]);
    await page.waitForFunction((href) => {
      const cur = document.querySelectorAll('nav.toc a[aria-current="true"]');
      return cur.length === 1 && cur[0].getAttribute('href') === href;
    }, hrefs[i], { timeout: 3000 });
    // The marked entry is visible inside the contents' own scroll.
    const inside = await page.evaluate(() => {
      const nav = document.querySelector('nav.toc');
      const a = nav.querySelector('a[aria-current="true"]').getBoundingClientRect();
      const box = nav.getBoundingClientRect();
      return a.top >= box.top - 1 && a.bottom <= box.bottom + 1;
    });
    assert.ok(inside, `entry ${hrefs[i]} is scrolled into the contents' view`);
  }
  await context.close();
});

test('TOC scrolls on its own on the case page and is not cut off', async (t) => {
  let longest = null, most = -1;
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  for (const rel of casePages()) {
    await page.goto(server.url(rel));
    const n = await page.$$eval('nav.toc a', (as) => as.length);
    if (n > most) [longest, most] = [rel, n];
  }
  await page.goto(server.url(longest));
  let fits = await page.evaluate(() => {
    const nav = document.querySelector('nav.toc');
    return nav.scrollHeight <= nav.clientHeight;
  });
  if (fits) {
    // A small site's case page: a shorter window makes the same point.
    const height = 300;
    t.diagnostic(`${longest}: contents fit at 1280x800; checked at 1280x${height}`);
    await page.setViewportSize({ width: 1280, height });
  }
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  await page.waitForTimeout(100);
  const m = await page.evaluate(() => {
    const nav = document.querySelector('nav.toc');
    const r = nav.getBoundingClientRect();
    return { sh: nav.scrollHeight, ch: nav.clientHeight, top: r.top, bottom: r.bottom,
      vh: window.innerHeight, overflow: getComputedStyle(nav).overflowY };
  });
  t.diagnostic(`${longest}: ${most} entries, ${JSON.stringify(m)}`);
  assert.ok(m.sh > m.ch, 'the contents are taller than their box and scroll');
  assert.equal(m.overflow, 'auto');
  assert.ok(m.top >= 0 && m.bottom <= m.vh, 'the whole box is inside the window');
  // Its end can be scrolled into view.
  await page.evaluate(() => {
    const nav = document.querySelector('nav.toc');
    nav.scrollTop = nav.scrollHeight;
  });
  const lastVisible = await page.evaluate(() => {
    const nav = document.querySelector('nav.toc');
    const links = nav.querySelectorAll('a');
    const r = links[links.length - 1].getBoundingClientRect();
    return r.bottom <= Math.min(window.innerHeight, nav.getBoundingClientRect().bottom) + 1;
  });
  assert.ok(lastVisible, 'the last entry can be reached');
  await context.close();
});

// A page with both a previous and a next page.
async function middlePage(page) {
  for (const rel of htmlPages().filter((p) => p.startsWith('framework/'))) {
    await page.goto(server.url(rel));
    if (await page.$('a[rel="prev"]') && await page.$('a[rel="next"]')) return rel;
  }
  throw new Error('no page has both previous and next');
}

test('arrow keys go to the previous and next pages', async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const rel = await middlePage(page);
  const start = page.url();
  const next = await page.$eval('a[rel="next"]', (a) => a.href);
  const prev = await page.$eval('a[rel="prev"]', (a) => a.href);
  await Promise.all([page.waitForURL(next), page.keyboard.press('ArrowRight')]);
  await page.goto(start);
  await Promise.all([page.waitForURL(prev), page.keyboard.press('ArrowLeft')]);
  assert.ok(rel);
  await context.close();
});

test('arrow keys do nothing while typing or with a modifier held', async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await middlePage(page);
  const start = page.url();
  await page.evaluate(() => {
    const box = document.createElement('div');
    box.innerHTML = '<input id="t-input" value="abc"><textarea id="t-area">abc</textarea>' +
      '<select id="t-select"><option>a</option><option>b</option></select>' +
      '<div id="t-edit" contenteditable="true">abc</div>';
    document.querySelector('main').prepend(box);
  });
  const controls = ['#t-input', '#t-area', '#t-select', '#t-edit'];
  if (await page.$('main input[type="checkbox"]')) controls.push('main input[type="checkbox"]');
  for (const sel of controls) {
    await page.focus(sel);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
  }
  await page.locator('main h1').click();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Control+ArrowLeft');
  await page.waitForTimeout(300);
  assert.equal(page.url(), start);
  // The same page does turn on a plain arrow: the checks above mean something.
  const next = await page.$eval('a[rel="next"]', (a) => a.href);
  await Promise.all([page.waitForURL(next), page.keyboard.press('ArrowRight')]);
  await context.close();
});

test('back to top is on long pages, hidden on short ones, and works', async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(server.url(casePages()[0]));
  assert.ok(await page.evaluate(() => document.documentElement.scrollHeight > 2 * innerHeight));
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const control = page.locator('[data-to-top]');
  await control.waitFor({ state: 'visible' });
  const box = await control.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= DESKTOP.height, 'it is on screen');
  const next = await page.$('a[rel="next"]');
  if (next) {
    const n = await next.boundingBox();
    const overlap = box.x < n.x + n.width && n.x < box.x + box.width &&
      box.y < n.y + n.height && n.y < box.y + box.height;
    assert.ok(!overlap, 'it does not cover the Next link');
  }
  await control.click();
  await page.waitForFunction(() => window.scrollY === 0, null, { timeout: 3000 });
  assert.ok(page.url().endsWith('#top'));
  // A short page does without it.
  let short = null;
  for (const rel of htmlPages().filter((p) => p !== '404.html')) {
    await page.goto(server.url(rel));
    if (await page.evaluate(() => document.documentElement.scrollHeight <= 2 * innerHeight)) {
      short = rel;
      break;
    }
  }
  assert.ok(short, 'some page fits two screens');
  assert.equal(await control.isVisible(), false);
  await context.close();
});

test('back to top and the contents never reach paper', async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(server.url(casePages()[0]));
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() =>
    ['nav.toc', '.to-top'].map((s) => getComputedStyle(document.querySelector(s)).display));
  assert.deepEqual(shown, ['none', 'none']);
  await context.close();
});
