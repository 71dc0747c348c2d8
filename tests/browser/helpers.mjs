// Shared plumbing for the browser tests: where the site and Chromium are, an
// in-process static server that logs every request it answers, the browser
// launch, and recorders for console errors, page errors and network requests.
//
// Environment:
//   CASEBOOK_SITE  folder of a generated site (default: ../golden/basic/expected
//                  relative to this file; a relative value is taken from the cwd)
//   CHROMIUM       browser executable (default: /usr/bin/chromium)
//   CASEBOOK_SERVER_LOG  when set, the test servers print each request to stderr
import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export const SITE = process.env.CASEBOOK_SITE
  ? path.resolve(process.env.CASEBOOK_SITE)
  : path.resolve(HERE, '../golden/basic/expected');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const CHROME_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

if (!fs.existsSync(path.join(SITE, 'index.html'))) {
  throw new Error(`CASEBOOK_SITE: no index.html in ${SITE}`);
}

// Every .html file of a site folder, as forward-slash paths relative to it.
export function htmlPages(root = SITE) {
  const out = [];
  (function walk(dir) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.endsWith('.html')) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  })(root);
  return out.sort();
}

export function fileUrl(rel, root = SITE) {
  return pathToFileURL(path.join(root, rel)).href;
}

// The path the site is published under (GitHub project pages: "/repo/"), read
// from the canonical link of index.html. 404.html uses root-absolute links
// below it, so the test server mounts the site there, as the host would.
export function basePath(root = SITE) {
  const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
  const m = html.match(/<link rel="canonical" href="([^"]+)"/);
  if (!m) return '/';
  let p = new URL(m[1]).pathname;
  p = p.replace(/[^/]*$/, ''); // drop a file name, keep the folder
  return p.endsWith('/') ? p : p + '/';
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

// Static server bound to 127.0.0.1 on an ephemeral port. `log` gets one
// {method, path, status} entry per request, whatever asked for it (the page,
// or the browser itself, like a favicon fetch that Playwright never reports).
// Unknown paths answer 404 with the site's 404.html, like GitHub Pages.
export async function startServer(root = SITE, mount = basePath(root)) {
  const log = [];
  const rootAbs = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    const entry = { method: req.method, path: req.url, status: 0 };
    log.push(entry);
    const send = (status, body, type) => {
      entry.status = status;
      if (process.env.CASEBOOK_SERVER_LOG) process.stderr.write(`server: ${status} ${req.method} ${req.url}\n`);
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      const pathname = decodeURIComponent(url.pathname);
      let file = null;
      if (pathname.startsWith(mount)) {
        file = path.resolve(rootAbs, '.' + path.posix.join('/', pathname.slice(mount.length)));
        if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) file = null;
      }
      if (file) {
        const st = await fsp.stat(file).catch(() => null);
        if (st && st.isDirectory()) file = path.join(file, 'index.html');
        const body = await fsp.readFile(file).catch(() => null);
        if (body) return send(200, body, TYPES[path.extname(file)] || 'application/octet-stream');
      }
      const notFound = await fsp.readFile(path.join(rootAbs, '404.html')).catch(() => 'not found');
      send(404, notFound, 'text/html; charset=utf-8');
    } catch (e) {
      send(500, String(e), 'text/plain');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    base: origin + mount,
    log,
    url: (rel) => origin + mount + rel,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS, headless: true });
}

// Local means: the test server's host, or no network at all.
export function isLocal(u) {
  const url = new URL(u);
  if (['data:', 'blob:', 'about:', 'file:'].includes(url.protocol)) return true;
  return url.hostname === '127.0.0.1';
}

// Attach recorders to a fresh context before any page is opened. Pages the
// context opens get console and pageerror listeners through the 'page' event
// (which also fires for context.newPage(), so nobody adds them twice).
// Requests to other hosts are recorded and then aborted, so a test never
// waits on, or talks to, the outside world.
export async function record(context) {
  const rec = { requests: [], failed: [], badResponses: [], consoleErrors: [], pageErrors: [] };
  const pending = new Set();
  context.on('request', (r) => { rec.requests.push(r.url()); pending.add(r); });
  context.on('requestfinished', (r) => pending.delete(r));
  context.on('requestfailed', (r) => { pending.delete(r); rec.failed.push(`${r.url()} ${r.failure()?.errorText}`); });
  context.on('response', (r) => { if (r.status() >= 400) rec.badResponses.push(`${r.status()} ${r.url()}`); });
  context.on('page', (p) => {
    p.on('console', (m) => { if (m.type() === 'error') rec.consoleErrors.push(m.text()); });
    p.on('pageerror', (e) => rec.pageErrors.push(String(e)));
  });
  await context.route((u) => !isLocal(u.href), (route) => route.abort('blockedbyclient'));
  rec.external = () => rec.requests.filter((u) => !isLocal(u));
  // Wait until the page's icon has been asked for (browsers fetch it after
  // `load`) and no request is in flight, for at most `timeout` ms. Faster
  // than 'networkidle', which always idles 500 ms. Never throws: callers
  // assert on the requests and the server log. (After an icon fails once,
  // Chromium stops asking for it, so a missing icon shows up only once.)
  rec.settle = async (page, timeout = 1500) => {
    const icon = await page.evaluate(() => document.querySelector('link[rel~="icon"]')?.href ?? null);
    const end = Date.now() + timeout;
    while (Date.now() < end) {
      if ((icon === null || rec.requests.includes(icon)) && pending.size === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    return { icon, inFlight: [...pending].map((r) => r.url()) };
  };
  return rec;
}

// Entries of a server log from index `from` on that did not answer 200.
export function notOk(log, from = 0) {
  return log.slice(from).filter((e) => e.status !== 200);
}

// A scratch folder outside the repository, removed by the caller.
export function tempDir(tag) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `casebook-${tag}-`));
}
