// `casebook serve` for real: a Server on a free loopback port over a copy of
// the golden content, fetched over TCP, edited on disk (the watcher must see
// it), attacked with traversal, foreign Hosts and other methods; and a load
// test with live-reload clients open. Every wait is bounded.
#include "serve.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "test_util.h"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kSecret = "TOP-SECRET-7d2f9a-not-for-the-web";

// One HTTP exchange on a fresh socket with exactly these bytes (httplib's
// client would normalize the odd paths these tests need), read to EOF.
std::string RawRequest(int port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buf[16384];
    for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, n);
  }
  close(fd);
  return response;
}

int StatusOf(const std::string& response) {
  // "HTTP/1.1 200 OK"
  if (response.size() < 12 || response.compare(0, 5, "HTTP/") != 0) return 0;
  return std::atoi(response.c_str() + 9);
}

std::string Get(int port, const std::string& target, const std::string& host) {
  return RawRequest(port, "GET " + target + " HTTP/1.1\r\nHost: " + host +
                              "\r\nConnection: close\r\n\r\n");
}

// A live-reload client on its own thread: collects the stream until
// Close(). The server's comment every second lets it notice Close() soon.
class SseClient {
 public:
  explicit SseClient(int port) {
    thread_ = std::thread([this, port] {
      httplib::Client cli("127.0.0.1", port);
      cli.set_read_timeout(5, 0);
      auto res = cli.Get("/__casebook/events", [this](const char* data, size_t len) {
        std::lock_guard<std::mutex> lock(mu_);
        text_.append(data, len);
        cv_.notify_all();
        return !closing_;
      });
      std::lock_guard<std::mutex> lock(mu_);
      ended_ = true;
      status_ = res ? res->status : 0;
      cv_.notify_all();
    });
  }
  ~SseClient() { Close(); }

  // Waits until `needle` occurs after `from` (a byte offset in the stream);
  // returns its offset, or npos after `timeout`.
  size_t WaitFor(const std::string& needle, size_t from = 0,
                 std::chrono::milliseconds timeout = 15000ms) {
    std::unique_lock<std::mutex> lock(mu_);
    size_t at = std::string::npos;
    cv_.wait_for(lock, timeout, [&] {
      at = text_.size() > from ? text_.find(needle, from) : std::string::npos;
      return at != std::string::npos || ended_;
    });
    return at;
  }
  std::string text() {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }
  size_t size() {
    std::lock_guard<std::mutex> lock(mu_);
    return text_.size();
  }
  // Asks the stream to end at its next chunk (at most a second away), so
  // that many clients can be closed at once and then joined.
  void RequestClose() {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  void Close() {
    RequestClose();
    if (thread_.joinable()) thread_.join();
  }
  int status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string text_;
  bool closing_ = false, ended_ = false;
  int status_ = 0;
  std::thread thread_;
};

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path();
    fs::copy(std::string(CASEBOOK_SOURCE_DIR) + "/tests/golden/basic/content", root_ / "content",
             fs::copy_options::recursive);
    fs::copy(std::string(CASEBOOK_SOURCE_DIR) + "/templates", root_ / "templates",
             fs::copy_options::recursive);
    // Beside the content: what traversal would reach. And links to it from
    // inside the content, which the build must not publish.
    test::WriteFile(root_ / "secret.txt", kSecret);
    fs::create_symlink(root_ / "secret.txt", root_ / "content/pages/leak.txt");
    fs::create_symlink(root_ / "secret.txt", root_ / "content/pages/leak.svg");
    fs::create_directories(root_ / "outside");
    test::WriteFile(root_ / "outside/index.md", std::string("---\ntitle: Leak\n---\n") + kSecret);
    fs::create_directory_symlink(root_ / "outside", root_ / "content/pages/linked");
    options_.build.content_dir = root_ / "content";
    options_.build.templates_dir = root_ / "templates";
    options_.build.jobs = 2;
    options_.port = 0;
    options_.log = [this](const std::string& line, bool) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_ += line + "\n";
    };
  }

  void StartServer() {
    server_ = std::make_unique<Server>(options_);
    ASSERT_EQ(server_->Start(), 0) << log();
    port_ = server_->port();
    ASSERT_GT(port_, 0);
    host_ = "127.0.0.1:" + std::to_string(port_);
  }

  std::string log() {
    std::lock_guard<std::mutex> lock(log_mu_);
    return log_;
  }

  // Whether the log holds `needle` within 5 s.
  bool WaitForLog(const std::string& needle) {
    for (int i = 0; i < 500; ++i) {
      if (log().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  httplib::Client Client() {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_read_timeout(10, 0);
    return cli;
  }

  void Replace(const std::string& rel, const std::string& from, const std::string& to) {
    test::ReplaceInFile((root_ / rel).string(), from, to);
  }

  test::TempDir dir_;
  fs::path root_;
  ServeOptions options_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::string host_;
  std::mutex log_mu_;
  std::string log_;
};

TEST(ServePaths, SitePathOfDecodesOnceAndRefusesTraversal) {
  EXPECT_EQ(SitePathOf("/"), "index.html");
  EXPECT_EQ(SitePathOf("/about.html?x=1#y"), "about.html");
  EXPECT_EQ(SitePathOf("/framework/"), "framework/index.html");
  EXPECT_EQ(SitePathOf("/a%20b.html"), "a b.html");
  EXPECT_EQ(SitePathOf("/%252e%252e/x"), "%2e%2e/x");  // once: a name, not a parent
  for (const char* bad : {"", "x", "/../x", "/%2e%2e/x", "/%2E%2E%2Fx", "/a/../../b", "/./a",
                          "/a/..", "/..", "//etc/passwd", "/a\\b", "/a%5cb", "/a%00b", "/a%0ab",
                          "/a%7f", "/bad%zz", "/bad%2", "/bad%", "http://evil/x"})
    EXPECT_EQ(SitePathOf(bad), "") << bad;
}

TEST(ServePaths, LoopbackHostsWithThePortOnly) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1:8000", 8000));
  EXPECT_TRUE(IsLoopbackHost("LOCALHOST:8000", 8000));
  EXPECT_TRUE(IsLoopbackHost("[::1]:8000", 8000));
  EXPECT_TRUE(IsLoopbackHost("localhost", 80));
  EXPECT_FALSE(IsLoopbackHost("localhost", 8000));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1:8001", 8000));
  EXPECT_FALSE(IsLoopbackHost("evil.example:8000", 8000));
  EXPECT_FALSE(IsLoopbackHost("127.0.0.1.evil.example:8000", 8000));
  EXPECT_FALSE(IsLoopbackHost("localhost.:8000", 8000));
  EXPECT_FALSE(IsLoopbackHost("", 8000));
}

TEST(ServePaths, BindAddresses) {
  for (const char* ok : {"127.0.0.1", "127.0.0.2", "::1", "localhost"})
    EXPECT_EQ(CheckBindAddress(ok, false), "") << ok;
  for (const char* remote : {"0.0.0.0", "192.168.1.5", "::", "10.0.0.1"}) {
    EXPECT_NE(CheckBindAddress(remote, false).find("--allow-remote"), std::string::npos) << remote;
    EXPECT_EQ(CheckBindAddress(remote, true), "") << remote;
  }
  EXPECT_NE(CheckBindAddress("example.com", true), "");
}

TEST(ServePaths, ReloadTagBeforeTheLastBody) {
  EXPECT_EQ(WithReloadTag("<body>x</body></html>", "a.html"),
            "<body>x<script src=\"/__casebook/reload.js\" data-page=\"/a.html\" defer></script>"
            "</body></html>");
  EXPECT_EQ(WithReloadTag("x", "b\".html"),
            "x<script src=\"/__casebook/reload.js\" data-page=\"/b&quot;.html\" defer></script>");
}

TEST_F(ServeTest, NonLoopbackBindRefusedWithoutAllowRemote) {
  options_.bind = "0.0.0.0";
  Server server(options_);
  EXPECT_EQ(server.Start(), 2);
  EXPECT_NE(log().find("--allow-remote"), std::string::npos) << log();
}

TEST_F(ServeTest, ServesTheSiteFromMemoryWithTheTagInHtmlOnly) {
  StartServer();
  std::vector<OutputFile> built;
  BuildResult r = BuildFiles(options_.build, nullptr, built);
  ASSERT_FALSE(r.diags.has_errors());
  auto cli = Client();
  int html = 0;
  for (const OutputFile& f : built) {
    auto res = cli.Get("/" + f.path);
    ASSERT_TRUE(res) << f.path;
    ASSERT_EQ(res->status, 200) << f.path;
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
    bool is_html = f.path.ends_with(".html");
    if (is_html) {
      ++html;
      EXPECT_EQ(res->body, WithReloadTag(f.content, f.path)) << f.path;
      EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
    } else {
      EXPECT_EQ(res->body, f.content) << f.path;
    }
    // The built site itself never has the script.
    EXPECT_EQ(f.content.find("__casebook"), std::string::npos) << f.path;
  }
  EXPECT_EQ(html, r.pages);
  EXPECT_EQ(cli.Get("/assets/casebook.css")->get_header_value("Content-Type"),
            "text/css; charset=utf-8");

  auto index = cli.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->body.find("data-page=\"/index.html\""), std::string::npos);
  auto folder = cli.Get("/framework");
  ASSERT_TRUE(folder);
  EXPECT_EQ(folder->status, 301);
  EXPECT_EQ(folder->get_header_value("Location"), "/framework/");
  EXPECT_EQ(cli.Get("/framework/")->status, 200);

  auto missing = cli.Get("/no/such/page.html");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto not_found = std::find_if(built.begin(), built.end(),
                                [](const OutputFile& f) { return f.path == "404.html"; });
  ASSERT_NE(not_found, built.end());
  EXPECT_EQ(missing->body, WithReloadTag(not_found->content, "404.html"));

  auto head = cli.Head("/about.html");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");

  auto script = cli.Get("/__casebook/reload.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_NE(script->body.find("EventSource"), std::string::npos);
  EXPECT_EQ(script->body.find("innerHTML"), std::string::npos);

  // Memory only: nothing was written beside the inputs.
  std::set<std::string> entries;
  for (const auto& e : fs::directory_iterator(root_)) entries.insert(e.path().filename().string());
  EXPECT_EQ(entries, (std::set<std::string>{"content", "templates", "secret.txt", "outside"}));
}

TEST_F(ServeTest, EditReloadsABrokenFileShowsItsErrorAndAFixRecovers) {
  StartServer();
  SseClient sse(port_);
  ASSERT_NE(sse.WaitFor("event: hello"), std::string::npos) << sse.text();
  size_t mark = sse.size();

  uint64_t builds = server_->builds();
  Replace("content/pages/about.md", "This page links to", "Edited live by a test. This page links to");
  size_t reload = sse.WaitFor("event: reload", mark);
  ASSERT_NE(reload, std::string::npos) << sse.text() << log();
  ASSERT_TRUE(server_->WaitForBuild(builds, 5000ms));
  std::string event = sse.text().substr(reload);
  EXPECT_NE(event.find("\"/about.html\""), std::string::npos) << event;
  // An unrelated page did not change, so it is not named.
  EXPECT_EQ(event.substr(0, event.find("\n\n")).find("\"/framework/"), std::string::npos) << event;
  auto cli = Client();
  auto page = cli.Get("/about.html");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("Edited live by a test."), std::string::npos);
  // The line is printed just after the swap that the page above shows.
  EXPECT_TRUE(WaitForLog("casebook: rebuilt in ")) << log();
  EXPECT_NE(log().find("pages rendered"), std::string::npos) << log();

  mark = sse.size();
  Replace("content/pages/about.md", "title: About", "title: [About");
  size_t error = sse.WaitFor("event: error", mark);
  ASSERT_NE(error, std::string::npos) << sse.text() << log();
  event = sse.text().substr(error);
  EXPECT_NE(event.find("about.md:"), std::string::npos) << event;
  EXPECT_NE(event.find(": error: "), std::string::npos) << event;
  EXPECT_NE(log().find("rebuild failed"), std::string::npos) << log();
  page = cli.Get("/about.html");  // the last good site, still
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Edited live by a test."), std::string::npos);

  // A page opened now learns of the failure at once.
  SseClient late(port_);
  EXPECT_NE(late.WaitFor("event: error"), std::string::npos) << late.text();

  mark = sse.size();
  Replace("content/pages/about.md", "title: [About", "title: About");
  ASSERT_NE(sse.WaitFor("event: reload", mark), std::string::npos) << sse.text() << log();
  EXPECT_EQ(cli.Get("/about.html")->status, 200);
}

TEST_F(ServeTest, NothingOutsideTheSiteIsServed) {
  StartServer();
  for (const std::string& target : std::vector<std::string>{
           "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/a/../../secret.txt",
        "/%252e%252e/secret.txt", "/%252e%252e%252fsecret.txt", "/..%5csecret.txt",
        "/pages/..\\..\\secret.txt", "/about.html%00.txt", "/%00", "/pages/leak.txt",
        "/leak.txt", "/leak.svg", "/media/leak.svg", "/pages/linked/index.html",
        "/linked/index.html", "/linked.html", "//secret.txt", "/.%2e/secret.txt",
        "/%2e%2e%2f%2e%2e%2fetc/passwd", "/../../../../etc/passwd"}) {
    std::string response = Get(port_, target, host_);
    int status = StatusOf(response);
    EXPECT_TRUE(status == 400 || status == 404) << target << " -> " << status;
    EXPECT_EQ(response.find(kSecret), std::string::npos) << target;
    EXPECT_EQ(response.find("root:x:0:0"), std::string::npos) << target;
  }
  // And not through any file the build made either.
  std::vector<OutputFile> built;
  BuildFiles(options_.build, nullptr, built);
  ASSERT_FALSE(built.empty());
  for (const OutputFile& f : built)
    EXPECT_EQ(f.content.find(kSecret), std::string::npos) << f.path;
}

TEST_F(ServeTest, ForeignHostsAndOtherMethodsAreRefused) {
  StartServer();
  std::string port = std::to_string(port_);
  EXPECT_EQ(StatusOf(Get(port_, "/", "127.0.0.1:" + port)), 200);
  EXPECT_EQ(StatusOf(Get(port_, "/", "localhost:" + port)), 200);
  EXPECT_EQ(StatusOf(Get(port_, "/", "[::1]:" + port)), 200);
  for (const std::string& host : std::vector<std::string>{"evil.example", "evil.example:" + port,
                                 "127.0.0.1.evil.example:" + port, "127.0.0.1",
                                 "127.0.0.1:1", "localhost.:" + port}) {
    std::string response = Get(port_, "/", host);
    EXPECT_EQ(StatusOf(response), 403) << host;
    EXPECT_EQ(response.find("<html"), std::string::npos) << host;
  }
  EXPECT_EQ(StatusOf(RawRequest(port_, "GET / HTTP/1.0\r\n\r\n")), 403);  // no Host
  EXPECT_EQ(StatusOf(RawRequest(port_, "GET / HTTP/1.1\r\nHost: " + host_ +
                                           "\r\nHost: evil.example\r\nConnection: close\r\n\r\n")),
            403);
  // The live-reload stream is guarded as well.
  EXPECT_EQ(StatusOf(Get(port_, "/__casebook/events", "evil.example")), 403);

  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
    std::string response = RawRequest(
        port_, std::string(method) + " /index.html HTTP/1.1\r\nHost: " + host_ +
                   "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(StatusOf(response), 405) << method;
    EXPECT_NE(response.find("Allow: GET, HEAD"), std::string::npos) << response;
  }
  // Without Content-Length httplib may refuse before us; never a 200.
  int status = StatusOf(RawRequest(port_, "POST / HTTP/1.1\r\nHost: " + host_ +
                                              "\r\nConnection: close\r\n\r\n"));
  EXPECT_TRUE(status == 405 || status == 400) << status;
}

TEST_F(ServeTest, LiveReloadStreamsBeyondTheCapGet503) {
  options_.max_live_clients = 2;
  StartServer();
  SseClient a(port_), b(port_);
  ASSERT_NE(a.WaitFor("event: hello"), std::string::npos);
  ASSERT_NE(b.WaitFor("event: hello"), std::string::npos);
  EXPECT_EQ(StatusOf(Get(port_, "/__casebook/events", host_)), 503);
  EXPECT_EQ(StatusOf(Get(port_, "/", host_)), 200) << "pages are still served";
  a.Close();
  for (int i = 0; i < 50 && server_->live_clients() > 1; ++i) std::this_thread::sleep_for(100ms);
  SseClient c(port_);
  EXPECT_NE(c.WaitFor("event: hello"), std::string::npos) << "a freed place is taken again";
}

// --- Load --------------------------------------------------------------------

int OpenFds() {
  int n = 0;
  for (const auto& e : fs::directory_iterator("/proc/self/fd")) {
    (void)e;
    ++n;
  }
  return n;
}

long RssKiB() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// 64 live-reload streams open, then 10,000 GETs from 4 keep-alive clients:
// every answer complete and right, then the streams closed, and the fds and
// memory back where they were. Bounded: each request times out at 10 s and
// the whole test must finish within 60 s.
TEST_F(ServeTest, LoadTenThousandRequestsWith64LiveClients) {
  auto started = std::chrono::steady_clock::now();
  StartServer();
  std::vector<std::pair<std::string, size_t>> pages;
  {
    std::vector<OutputFile> built;
    BuildFiles(options_.build, nullptr, built);
    for (const OutputFile& f : built)
      pages.push_back({"/" + f.path, f.path.ends_with(".html")
                                         ? WithReloadTag(f.content, f.path).size()
                                         : f.content.size()});
  }
  {
    auto warm = Client();
    for (const auto& [path, size] : pages) ASSERT_TRUE(warm.Get(path));
  }
  int fds_before = OpenFds();
  long rss_before = RssKiB();

  constexpr int kLiveClients = 64, kThreads = 4, kRequests = 10000;
  std::vector<std::unique_ptr<SseClient>> live;
  // One after another: Debian's libcpp-httplib listens with a backlog of 5
  // (CPPHTTPLIB_LISTEN_BACKLOG, compiled in), so 64 connections opened at
  // once can wait out TCP's SYN retries on a busy machine.
  for (int i = 0; i < kLiveClients; ++i) {
    live.push_back(std::make_unique<SseClient>(port_));
    ASSERT_NE(live.back()->WaitFor("event: hello"), std::string::npos) << "client " << i;
  }
  EXPECT_EQ(server_->live_clients(), kLiveClients);

  std::atomic<int> ok{0}, wrong{0};
  std::vector<std::vector<double>> latencies(kThreads);
  auto load_start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      httplib::Client cli("127.0.0.1", port_);
      cli.set_keep_alive(true);
      cli.set_read_timeout(10, 0);
      for (int i = t; i < kRequests; i += kThreads) {
        const auto& [path, size] = pages[static_cast<size_t>(i) % pages.size()];
        auto t0 = std::chrono::steady_clock::now();
        auto res = cli.Get(path);
        latencies[t].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
        if (res && res->status == 200 && res->body.size() == size)
          ++ok;
        else
          ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  EXPECT_EQ(ok.load(), kRequests);
  EXPECT_EQ(wrong.load(), 0);
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  double p50 = all[all.size() / 2], p99 = all[all.size() * 99 / 100];
  std::printf("serve load: %d requests in %.2f s (%.0f/s), p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
              kRequests, seconds, kRequests / seconds, p50, p99, all.back());

  // Every stream still open and still served.
  EXPECT_EQ(server_->live_clients(), kLiveClients);
  for (auto& c : live) c->RequestClose();
  live.clear();  // joins them
  for (int i = 0; i < 100 && server_->live_clients() > 0; ++i) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(server_->live_clients(), 0);
  // Server-side sockets close as the server notices each client left.
  int fds_after = OpenFds();
  for (int i = 0; i < 100 && fds_after > fds_before + 2; ++i) {
    std::this_thread::sleep_for(100ms);
    fds_after = OpenFds();
  }
  long rss_after = RssKiB();
  std::printf("serve load: fds %d -> %d, RSS %ld -> %ld KiB\n", fds_before, fds_after, rss_before,
              rss_after);
  EXPECT_LE(fds_after, fds_before + 2);
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer keeps freed memory in quarantine (256 MiB by default),
  // so RSS says nothing about leaks here; LeakSanitizer checks at exit.
#else
  EXPECT_LT(rss_after - rss_before, 32 * 1024);
#endif
  EXPECT_LT(std::chrono::steady_clock::now() - started, 60s);
}

}  // namespace
}  // namespace casebook
