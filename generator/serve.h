// `casebook serve`: builds the site into memory, serves it on loopback,
// rebuilds when content/ or templates/ change and tells open pages to reload.
//
// Contract:
// - A Server owns the site store (the last good build, immutable, swapped
//   whole under a mutex), the BuildCache it rebuilds with, the HTTP server
//   with its worker pool, the live-reload clients and the watcher thread.
//   Nothing is written to disk; `casebook build` writes the site.
// - Only the in-memory site is served: a request path is a key into a map,
//   never a file-system path, so no `..`, encoding or symbolic link can reach
//   a file outside the site. Requests other than GET and HEAD are refused
//   (405), and so is a Host header that does not name the loopback address
//   and the port served (403; DNS rebinding).
// - Thread-safety: Start(), Stop() and the destructor from one thread (the
//   owner's); port(), RebuildNow(), builds() and WaitForBuild() from any.
//   Rebuilds run one at a time (the BuildCache allows no more).
// - Lifetime: Stop() (or the destructor) returns once every worker, handler
//   and the watcher have finished; live-reload streams notice within ~1 s.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "build.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace casebook {

class Watcher;

struct ServeOptions {
  BuildOptions build;
  std::string bind = "127.0.0.1";
  int port = 8000;  // 0: any free port (port() says which)
  bool allow_remote = false;  // needed for a --bind that is not loopback
  int max_live_clients = 128;  // more live-reload streams get 503
  // Where messages go: one complete line at a time, `error` for diagnostics
  // and failures (stderr), else progress (stdout). Called from the watcher
  // thread too; the default writes to stdout/stderr and flushes.
  std::function<void(const std::string& line, bool error)> log;
};

// "" when `bind` may be used, else the message for exit 2. A loopback
// address (127.0.0.0/8, ::1, "localhost") is always allowed; anything else
// only with allow_remote.
std::string CheckBindAddress(const std::string& bind, bool allow_remote);

// The site file a request target names ("/", "/a/" -> "a/index.html"),
// decoded once; "" for a target that is refused: not starting with '/', a
// bad %-escape, a ".." or "." segment, an empty segment, '\', NUL or any
// other control character after decoding.
std::string SitePathOf(std::string_view target);

// Whether a Host header names this server: 127.0.0.1, localhost or [::1]
// with `port` (the port may be left out only when it is 80, as browsers do).
bool IsLoopbackHost(std::string_view host, int port);

// Where the live-reload script is served; every HTML response serve sends
// (and no built file) gets `<script src="/__casebook/reload.js"
// data-page="/PAGE" defer></script>` before its last </body>, or at its end.
inline constexpr std::string_view kReloadScriptPath = "/__casebook/reload.js";
std::string WithReloadTag(const std::string& html, const std::string& page);

class Server {
 public:
  explicit Server(ServeOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Watches, builds, binds and starts serving. Returns 0, or the exit code
  // after logging why not (2: a bad bind address, a port in use, a usage
  // error of the build). A first build with content errors still serves
  // (an empty site whose pages show the errors) and waits for a fix.
  int Start();
  void Stop();
  int port() const { return port_; }

  // Rebuilds at once, as if the watcher had reported `changed` at `since`
  // (tests, and the watcher thread). True when the new site was swapped in.
  bool RebuildNow(const std::vector<std::string>& changed = {},
                  std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now());
  // Rebuilds finished so far (good or failed), and a bounded wait for more.
  uint64_t builds() const;
  bool WaitForBuild(uint64_t after, std::chrono::milliseconds timeout) const;
  int live_clients() const { return live_clients_.load(); }

 private:
  using Files = std::unordered_map<std::string, std::string>;
  struct Event {
    uint64_t id;
    std::string text;  // one complete server-sent event
  };

  void Log(const std::string& line, bool error) const;
  void Handle(const httplib::Request& req, httplib::Response& res);
  void ServeFile(const httplib::Request& req, httplib::Response& res);
  void ServeEvents(httplib::Response& res);
  bool SendEvents(uint64_t* seen, std::string* out);
  void Publish(std::string event);
  void WatchLoop();

  ServeOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<Watcher> watcher_;
  std::thread listen_thread_, watch_thread_;
  int port_ = 0;
  std::string instance_;  // changes when serve restarts: open pages reload

  std::mutex build_mu_;  // one rebuild at a time; guards cache_ and warnings_
  BuildCache cache_;
  std::string warnings_;  // last warnings printed, so unchanged ones are not repeated

  mutable std::mutex site_mu_;  // guards site_, failed_, events_, builds_, stopping_
  mutable std::condition_variable site_cv_;
  std::shared_ptr<const Files> site_ = std::make_shared<const Files>();
  std::string failed_;  // the error event of the last build when it failed, else ""
  std::deque<Event> events_;  // the last few, for streams that fell behind
  uint64_t next_event_ = 1;
  uint64_t builds_ = 0;
  bool stopping_ = false;
  std::atomic<int> live_clients_{0};
};

// The `serve` command: Start(), then wait for SIGINT or SIGTERM and Stop().
int Serve(const ServeOptions& options);

}  // namespace casebook
