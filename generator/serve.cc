#include "serve.h"

#include <arpa/inet.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <random>

// Debian's httplib.h declares what libcpp-httplib.so implements; the .pc's
// defines (OpenSSL, zlib, brotli) come with the library through CMake, as the
// class layouts must match the ones it was built with.
#include <httplib.h>

#include "disk_cache.h"
#include "text.h"
#include "watcher.h"

namespace casebook {

namespace {

using Clock = std::chrono::steady_clock;

// Enough for every live-reload stream plus page requests on top: each
// stream holds a worker for as long as its page is open.
constexpr int kPageWorkers = 32;
// Streams that fell further behind than this many events reload outright.
constexpr size_t kKeptEvents = 16;
// How long a stream waits for news before checking that the server is
// still running and its client still there (srv.stop() waits for it).
constexpr auto kStreamWait = std::chrono::milliseconds(1000);

double Millis(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

std::string Fixed1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, out);
  return out;
}

std::string JsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + JsonString(items[i]);
  return out + "]";
}

std::string SseEvent(const char* name, const std::string& json) {
  return std::string("event: ") + name + "\ndata: " + json + "\n\n";
}

std::string ContentType(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"}, {".xml", "application/xml"},
      {".txt", "text/plain; charset=utf-8"}, {".json", "application/json"},
      {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
      {".gif", "image/gif"}, {".webp", "image/webp"}, {".ico", "image/x-icon"},
      {".woff2", "font/woff2"}, {".woff", "font/woff"}, {".pdf", "application/pdf"},
      {".apkg", "application/octet-stream"}, {".csv", "text/csv; charset=utf-8"},
  };
  size_t dot = path.rfind('.');
  if (dot != std::string::npos && path.find('/', dot) == std::string::npos) {
    std::string ext = path.substr(dot);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
      return static_cast<char>(std::tolower(c));
    });
    for (const auto& [e, type] : kTypes)
      if (ext == e) return type;
  }
  return "application/octet-stream";
}

bool IsHtml(const std::string& path) { return ContentType(path).rfind("text/html", 0) == 0; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Changed files, as the URL paths pages use ("/a/index.html"): what differs
// between two builds, added and removed files included.
std::vector<std::string> ChangedPaths(const std::unordered_map<std::string, std::string>& before,
                                      const std::unordered_map<std::string, std::string>& after) {
  std::vector<std::string> changed;
  for (const auto& [path, bytes] : after) {
    auto old = before.find(path);
    if (old == before.end() || old->second != bytes) changed.push_back("/" + path);
  }
  for (const auto& [path, bytes] : before)
    if (!after.count(path)) changed.push_back("/" + path);
  std::sort(changed.begin(), changed.end());
  return changed;
}

// "content/a.md", "content/a.md and 3 more", or what started the build.
std::string Describe(const std::vector<std::string>& changed) {
  if (changed.empty()) return "requested";
  std::string out = changed.front();
  if (changed.size() > 1) out += " and " + std::to_string(changed.size() - 1) + " more";
  return out;
}

std::string RandomInstance() {
  std::random_device rd;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

// The page script. Served at /__casebook/reload.js (same origin, so a
// Content-Security-Policy without 'unsafe-inline' still runs it) and only by
// serve: a built site never links it. Diagnostic text goes into the page as
// textContent only: content is untrusted.
constexpr std::string_view kReloadScript = R"js(// casebook serve: live reload and the build-error panel (never part of a built site).
(() => {
  'use strict';
  if (typeof EventSource !== 'function' || !/^https?:$/.test(location.protocol)) return;
  const script = document.currentScript;
  const norm = (p) => {
    try { p = decodeURIComponent(p); } catch (e) { /* keep it encoded */ }
    return p.endsWith('/') ? p + 'index.html' : p;
  };
  const self = (script && script.dataset.page) || norm(location.pathname);
  const parse = (s) => { try { return JSON.parse(s); } catch (e) { return null; } };
  let instance = null;
  let failed = false;
  let panel = null;
  let returnTo = null;

  // This page's file and the same-origin files it loads, as the server names them.
  function used() {
    const paths = new Set([self]);
    for (const el of document.querySelectorAll('link[href], script[src], img[src], object[data], source[src], iframe[src]')) {
      const raw = el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('data');
      try {
        const u = new URL(raw, location.href);
        if (u.origin === location.origin) paths.add(norm(u.pathname));
      } catch (e) { /* not a URL: nothing to watch */ }
    }
    return paths;
  }

  function hide() {
    if (!panel) return;
    const hadFocus = panel.contains(document.activeElement);
    panel.remove();
    panel = null;
    if (hadFocus && returnTo && returnTo.isConnected) returnTo.focus();
  }

  // A fixed panel with its own colours (readable whatever the page's theme);
  // it never takes focus, and Dismiss or Esc inside it gives focus back.
  function show(lines) {
    hide();
    panel = document.createElement('aside');
    panel.id = 'casebook-serve-errors';
    panel.setAttribute('aria-label', 'casebook serve: build errors');
    panel.style.cssText = 'position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:50vh;' +
      'overflow:auto;box-sizing:border-box;margin:0;padding:12px 16px;color-scheme:light;' +
      'background:#fffdf7;color:#1b1b1b;border-top:4px solid #b3261e;font:15px/1.4 system-ui,sans-serif;text-align:left';
    const title = document.createElement('p');
    title.setAttribute('role', 'alert');
    title.style.cssText = 'margin:0 0 8px;font-weight:bold;color:#1b1b1b';
    title.textContent = 'The rebuild failed; this page shows the last good build.';
    const pre = document.createElement('pre');
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', 'diagnostics');
    pre.style.cssText = 'margin:0 0 8px;padding:8px;white-space:pre-wrap;overflow-wrap:anywhere;' +
      'background:#f3f0e8;color:#1b1b1b;font:13px/1.45 ui-monospace,monospace;max-height:32vh;overflow:auto';
    pre.textContent = lines.join('\n');
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Dismiss';
    close.style.cssText = 'font:inherit;padding:4px 12px;background:#1b1b1b;color:#ffffff;border:2px solid #1b1b1b;border-radius:4px;cursor:pointer';
    close.addEventListener('click', hide);
    panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') hide(); });
    panel.addEventListener('focusin', (e) => {
      if (e.relatedTarget && !panel.contains(e.relatedTarget)) returnTo = e.relatedTarget;
    });
    panel.append(title, pre, close);
    document.body.append(panel);
  }

  const events = new EventSource('/__casebook/events');
  events.addEventListener('hello', (e) => {
    const d = parse(e.data) || {};
    // Another serve process: the site may have changed while none ran.
    if (instance !== null && d.instance !== instance) location.reload();
    instance = d.instance;
    if (failed && d.failed === false) location.reload();
  });
  events.addEventListener('reload', (e) => {
    const d = parse(e.data);
    const changed = d && Array.isArray(d.changed) ? d.changed : ['*'];
    const recovering = failed;
    failed = false;
    hide();
    const mine = used();
    if (recovering || changed.some((p) => p === '*' || mine.has(p))) location.reload();
  });
  // Named "error" by serve; EventSource also fires a plain "error" (no data)
  // when the connection drops, and then reconnects by itself.
  events.addEventListener('error', (e) => {
    if (typeof e.data !== 'string') return;
    const d = parse(e.data);
    failed = true;
    show(d && Array.isArray(d.diagnostics) ? d.diagnostics.map(String) : [e.data]);
  });
})();
)js";

// Shown for every path while no build has succeeded yet; the reload tag
// added to it brings the error panel.
constexpr std::string_view kNoSitePage =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>casebook serve</title></head>\n"
    "<body><main><h1>No site yet</h1><p>The first build failed. Fix the errors it printed; this "
    "page reloads when a build succeeds.</p></main></body></html>\n";

}  // namespace

std::string CheckBindAddress(const std::string& bind, bool allow_remote) {
  if (bind == "localhost") return "";
  in_addr v4{};
  in6_addr v6{};
  bool is_v4 = inet_pton(AF_INET, bind.c_str(), &v4) == 1;
  bool is_v6 = !is_v4 && inet_pton(AF_INET6, bind.c_str(), &v6) == 1;
  if (!is_v4 && !is_v6)
    return "--bind " + bind + ": not an IP address (use 127.0.0.1, ::1 or localhost)";
  bool loopback = is_v4 ? (ntohl(v4.s_addr) >> 24) == 127 : IN6_IS_ADDR_LOOPBACK(&v6);
  if (loopback || allow_remote) return "";
  return "--bind " + bind +
         ": not a loopback address; serve shows unpublished work and is meant for this "
         "machine only. Add --allow-remote to listen there anyway (requests must still say "
         "Host: localhost, 127.0.0.1 or [::1] with the port)";
}

std::string SitePathOf(std::string_view target) {
  target = target.substr(0, target.find_first_of("?#"));
  if (target.empty() || target[0] != '/') return "";
  std::string path;
  for (size_t i = 0; i < target.size(); ++i) {
    char c = target[i];
    if (c == '%') {
      int hi = i + 2 < target.size() ? HexValue(target[i + 1]) : -1;
      int lo = hi >= 0 ? HexValue(target[i + 2]) : -1;
      if (lo < 0) return "";
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    // Decoded once: "%252e" stays the three characters "%2e", a file name no
    // build makes, so it is simply not found.
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "";
    path += c;
  }
  std::string key;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    bool last = slash == std::string::npos;
    std::string seg = path.substr(start, last ? std::string::npos : slash - start);
    if (seg == "." || seg == "..") return "";
    if (seg.empty() && !last) return "";  // "//": no file has an empty folder name
    key += seg.empty() ? "index.html" : seg;
    if (last) break;
    key += '/';
    start = slash + 1;
  }
  return key;
}

bool IsLoopbackHost(std::string_view host, int port) {
  std::string lower(host);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string suffix = ":" + std::to_string(port);
  for (const char* name : {"127.0.0.1", "localhost", "[::1]"}) {
    if (lower == std::string(name) + suffix) return true;
    // Browsers leave out the default port.
    if (port == 80 && lower == name) return true;
  }
  return false;
}

std::string WithReloadTag(const std::string& html, const std::string& page) {
  // data-page: the file the response came from (404.html for an unknown
  // path), so the script knows which change is its own. Escaped although
  // built paths are plain: it is an attribute.
  std::string tag = "<script src=\"" + std::string(kReloadScriptPath) + "\" data-page=\"/";
  for (char c : page) {
    if (c == '"') tag += "&quot;";
    else if (c == '&') tag += "&amp;";
    else if (c == '<') tag += "&lt;";
    else tag += c;
  }
  tag += "\" defer></script>";
  size_t at = html.rfind("</body>");
  if (at == std::string::npos) return html + tag;
  std::string out;
  out.reserve(html.size() + tag.size());
  out.append(html, 0, at).append(tag).append(html, at, std::string::npos);
  return out;
}

Server::Server(ServeOptions options) : options_(std::move(options)), instance_(RandomInstance()) {
  if (!options_.log)
    options_.log = [](const std::string& line, bool error) {
      (error ? std::cerr : std::cout) << line << std::endl;
    };
}

Server::~Server() { Stop(); }

void Server::Log(const std::string& line, bool error) const {
  static std::mutex log_mu;  // lines from the watcher and the caller never interleave
  std::lock_guard<std::mutex> lock(log_mu);
  options_.log(line, error);
}

uint64_t Server::builds() const {
  std::lock_guard<std::mutex> lock(site_mu_);
  return builds_;
}

bool Server::WaitForBuild(uint64_t after, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(site_mu_);
  return site_cv_.wait_for(lock, timeout, [&] { return builds_ > after; });
}

void Server::Publish(std::string event) {
  // REQUIRES: site_mu_ held.
  events_.push_back({next_event_++, std::move(event)});
  if (events_.size() > kKeptEvents) events_.pop_front();
}

bool Server::RebuildNow(const std::vector<std::string>& changed, Clock::time_point since) {
  std::lock_guard<std::mutex> build_lock(build_mu_);
  Clock::time_point start = Clock::now();
  std::vector<OutputFile> files;
  BuildResult r = BuildFiles(options_.build, &cache_, files);
  Clock::time_point built = Clock::now();

  std::vector<std::string> lines;
  for (const Diagnostic& d : r.diags.all()) lines.push_back(Format(d));
  if (r.diags.has_errors() || files.empty()) {
    for (const std::string& line : lines) Log(line, true);
    warnings_.clear();  // print them again once the errors are fixed
    Log("casebook: rebuild failed (" + std::to_string(r.diags.errors()) +
            " errors); still serving the last good site: " + Describe(changed),
        true);
    std::lock_guard<std::mutex> lock(site_mu_);
    failed_ = SseEvent("error", "{\"diagnostics\":" + JsonList(lines) + "}");
    Publish(failed_);
    ++builds_;
    site_cv_.notify_all();
    return false;
  }

  auto next = std::make_shared<Files>();
  next->reserve(files.size());
  for (OutputFile& f : files) (*next)[f.path] = std::move(f.content);
  std::shared_ptr<const Files> before;
  {
    std::lock_guard<std::mutex> lock(site_mu_);
    before = site_;
  }
  // Only this thread swaps, so `before` is still current below.
  std::vector<std::string> paths = ChangedPaths(*before, *next);
  {
    std::lock_guard<std::mutex> lock(site_mu_);
    site_ = std::move(next);
    failed_.clear();
    Publish(SseEvent("reload", "{\"changed\":" + JsonList(paths) + "}"));
    ++builds_;
  }
  site_cv_.notify_all();
  Clock::time_point swapped = Clock::now();

  std::string warnings;
  for (const std::string& line : lines) warnings += line + "\n";
  if (warnings != warnings_) {
    for (const std::string& line : lines) Log(line, true);
    warnings_ = warnings;
  }
  Log("casebook: rebuilt in " + Fixed1(Millis(swapped - since)) + " ms (" +
          std::to_string(r.rendered) + " of " + std::to_string(r.pages) +
          " pages rendered; " + Fixed1(Millis(start - since)) + " ms settling, " +
          Fixed1(Millis(built - start)) + " ms building, " + Fixed1(Millis(swapped - built)) +
          " ms swapping): " + Describe(changed),
      false);
  return true;
}

bool Server::SendEvents(uint64_t* seen, std::string* out) {
  std::unique_lock<std::mutex> lock(site_mu_);
  site_cv_.wait_for(lock, kStreamWait, [&] { return stopping_ || next_event_ - 1 > *seen; });
  if (stopping_) return false;
  if (next_event_ - 1 <= *seen) return true;
  if (events_.empty() || events_.front().id > *seen + 1)
    *out += SseEvent("reload", "{\"changed\":[\"*\"]}");  // fell behind: reload to be sure
  for (const Event& e : events_)
    if (e.id > *seen) *out += e.text;
  *seen = next_event_ - 1;
  return true;
}

void Server::ServeEvents(httplib::Response& res) {
  if (live_clients_.fetch_add(1) >= options_.max_live_clients) {
    live_clients_.fetch_sub(1);
    res.status = 503;
    res.set_header("Retry-After", "5");
    res.set_content("casebook serve: too many live-reload connections\n", "text/plain");
    return;
  }
  auto seen = std::make_shared<uint64_t>(0);
  auto greeting = std::make_shared<std::string>();
  {
    std::lock_guard<std::mutex> lock(site_mu_);
    *seen = next_event_ - 1;
    // retry: reconnect quickly after a restart of serve.
    *greeting = "retry: 1000\n" +
                SseEvent("hello", "{\"instance\":" + JsonString(instance_) +
                                      ",\"failed\":" + (failed_.empty() ? "false" : "true") + "}") +
                failed_;
  }
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [this, seen, greeting](size_t, httplib::DataSink& sink) {
        std::string out;
        out.swap(*greeting);
        if (out.empty()) {
          if (!SendEvents(seen.get(), &out)) {
            sink.done();
            return true;
          }
          // A comment every wait: a client that left makes this write fail,
          // which ends the stream and frees its worker.
          if (out.empty()) out = ":\n\n";
        }
        return sink.write(out.data(), out.size());
      },
      [this](bool) { live_clients_.fetch_sub(1); });
}

void Server::ServeFile(const httplib::Request& req, httplib::Response& res) {
  std::string key = SitePathOf(req.target);
  if (key.empty()) {
    res.status = 400;
    res.set_header("Connection", "close");
    res.set_content("casebook serve: refused path\n", "text/plain; charset=utf-8");
    return;
  }
  std::shared_ptr<const Files> site;
  {
    std::lock_guard<std::mutex> lock(site_mu_);
    site = site_;
  }
  auto it = site->find(key);
  if (it == site->end() && site->count(key + "/index.html")) {
    // "/framework" -> "/framework/", so the page's relative links work.
    std::string path = req.target.substr(0, req.target.find_first_of("?#"));
    res.set_redirect(path + "/", 301);
    return;
  }
  if (it == site->end()) {
    res.status = 404;
    auto page = site->find("404.html");
    res.set_content(page == site->end() ? WithReloadTag(std::string(kNoSitePage), "404.html")
                                        : WithReloadTag(page->second, "404.html"),
                    "text/html; charset=utf-8");
    return;
  }
  std::string type = ContentType(key);
  res.set_content(IsHtml(key) ? WithReloadTag(it->second, key) : it->second, type.c_str());
}

void Server::Handle(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  if (req.method != "GET" && req.method != "HEAD") {
    res.status = 405;
    res.set_header("Allow", "GET, HEAD");
    // A body we did not read may follow: do not reuse the connection.
    res.set_header("Connection", "close");
    res.set_content("casebook serve: only GET and HEAD\n", "text/plain; charset=utf-8");
    return;
  }
  if (req.get_header_value_count("Host") != 1 ||
      !IsLoopbackHost(req.get_header_value("Host"), port_)) {
    res.status = 403;
    res.set_content(
        "casebook serve: the Host header must be 127.0.0.1, localhost or [::1] with the port\n",
        "text/plain; charset=utf-8");
    return;
  }
  std::string path = req.target.substr(0, req.target.find_first_of("?#"));
  if (path == "/__casebook/events") return ServeEvents(res);
  if (path == kReloadScriptPath)
    return res.set_content(std::string(kReloadScript), "text/javascript; charset=utf-8");
  ServeFile(req, res);
}

void Server::WatchLoop() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(site_mu_);
      if (stopping_) return;
    }
    WatchBatch batch;
    // Short waits: Stop() is noticed within one.
    if (!watcher_->Wait(std::chrono::milliseconds(200), &batch)) continue;
    if (!batch.relevant) continue;
    // An overflow lost the names, not the content: the build reads every
    // file anyway, and the cache only skips what is unchanged.
    if (batch.overflow) batch.paths.insert(batch.paths.begin(), "(inotify overflow: everything)");
    RebuildNow(batch.paths, batch.first);
  }
}

int Server::Start() {
  std::string bind_error = CheckBindAddress(options_.bind, options_.allow_remote);
  if (!bind_error.empty()) {
    Log("casebook: " + bind_error, true);
    return 2;
  }
  // A client that leaves mid-response must not kill the process.
  signal(SIGPIPE, SIG_IGN);

  // Watch before the first build, so that an edit made during it is seen.
  std::string watch_error;
  watcher_ = Watcher::Create({options_.build.content_dir, options_.build.templates_dir},
                             &watch_error);
  if (!watcher_) {
    Log("casebook: " + watch_error, true);
    return 2;
  }

  Clock::time_point start = Clock::now();
  {
    std::lock_guard<std::mutex> build_lock(build_mu_);
    // The first build starts from what `casebook build` kept on disk; serve
    // only reads that cache (it keeps its own in memory).
    if (options_.build.disk_cache)
      LoadDiskCache(DiskCachePath(options_.build.content_dir), cache_.math, cache_.diagrams,
                    &cache_.yaml);
    std::vector<OutputFile> files;
    BuildResult r = BuildFiles(options_.build, &cache_, files);
    for (const Diagnostic& d : r.diags.all()) Log(Format(d), true);
    if (r.usage_error) return 2;
    std::lock_guard<std::mutex> lock(site_mu_);
    if (r.diags.has_errors() || files.empty()) {
      std::vector<std::string> lines;
      for (const Diagnostic& d : r.diags.all()) lines.push_back(Format(d));
      failed_ = SseEvent("error", "{\"diagnostics\":" + JsonList(lines) + "}");
      Log("casebook: the first build failed; serving its errors until a fix builds", true);
    } else {
      auto site = std::make_shared<Files>();
      for (OutputFile& f : files) (*site)[f.path] = std::move(f.content);
      site_ = std::move(site);
      for (const Diagnostic& d : r.diags.all()) warnings_ += Format(d) + "\n";
      Log("casebook: built " + std::to_string(r.pages) + " pages (" + std::to_string(r.files) +
              " files) in memory in " + Fixed1(Millis(Clock::now() - start)) + " ms",
          false);
    }
  }

  http_ = std::make_unique<httplib::Server>();
  int workers = options_.max_live_clients + kPageWorkers;
  http_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  // A slow or idle client cannot hold a worker for long.
  http_->set_read_timeout(5, 0);
  http_->set_write_timeout(5, 0);
  http_->set_keep_alive_timeout(5);
  http_->set_keep_alive_max_count(1000);
  http_->set_payload_max_length(64 * 1024);  // GET and HEAD carry no body
  // httplib writes headers and body separately; with Nagle's algorithm the
  // body then waits for the client's delayed ACK (40 ms per request).
  http_->set_tcp_nodelay(true);
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    Handle(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });
  port_ = options_.port == 0 ? http_->bind_to_any_port(options_.bind)
                             : (http_->bind_to_port(options_.bind, options_.port)
                                    ? options_.port
                                    : -1);
  if (port_ <= 0) {
    Log("casebook: cannot listen on " + options_.bind + " port " +
            std::to_string(options_.port) + " (in use? try --port 0 for any free port)",
        true);
    http_.reset();
    return 2;
  }
  listen_thread_ = std::thread([this] { http_->listen_after_bind(); });
  watch_thread_ = std::thread([this] { WatchLoop(); });
  std::string host = options_.bind.find(':') != std::string::npos ? "[" + options_.bind + "]"
                                                                   : options_.bind;
  if (options_.bind == "localhost" || options_.bind == "0.0.0.0" || options_.bind == "::")
    host = "127.0.0.1";
  Log("casebook: serving http://" + host + ":" + std::to_string(port_) +
          "/ (Ctrl-C to stop)",
      false);
  return 0;
}

void Server::Stop() {
  {
    std::lock_guard<std::mutex> lock(site_mu_);
    stopping_ = true;
  }
  site_cv_.notify_all();
  if (http_) http_->stop();
  if (listen_thread_.joinable()) listen_thread_.join();
  if (watch_thread_.joinable()) watch_thread_.join();
  http_.reset();
}

int Serve(const ServeOptions& options) {
  // Signals are taken by sigwait() below, not by a handler in whatever
  // thread: block them before any thread starts, so all inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  Server server(options);
  int rc = server.Start();
  if (rc != 0) return rc;
  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cout << "casebook: stopping" << std::endl;
  server.Stop();
  return 0;
}

}  // namespace casebook
