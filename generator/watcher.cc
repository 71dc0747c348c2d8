#include "watcher.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace casebook {

namespace fs = std::filesystem;

namespace {

// What a save, a new file, a removal or a rename looks like. IN_MODIFY is
// left out on purpose: IN_CLOSE_WRITE follows it once the file is complete,
// so a rebuild never reads a half-written file.
constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                           IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR |
                           IN_DONT_FOLLOW | IN_EXCL_UNLINK;

bool EndsWith(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

int MillisLeft(std::chrono::steady_clock::time_point until) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<long long>(0, left.count()));
}

}  // namespace

bool IsEditorTemporary(const std::string& name) {
  // Hidden names cover vim's ".x.swp" and the ".x.tmp" that atomic saves
  // rename over the real file (the rename itself is reported under the real
  // name); the build ignores hidden files as well.
  return name.empty() || name[0] == '.' || name.back() == '~' || name == "4913" ||
         EndsWith(name, ".swp") || EndsWith(name, ".swx") || EndsWith(name, ".tmp");
}

std::unique_ptr<Watcher> Watcher::Create(const std::vector<std::string>& roots,
                                         std::string* error) {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    *error = std::string("cannot start inotify: ") + std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<Watcher> w(new Watcher(fd));
  w->roots_ = roots;
  for (const std::string& root : roots)
    if (!w->AddTree(root, error)) return nullptr;
  return w;
}

Watcher::~Watcher() { close(fd_); }

// Watches `dir` and every folder below it. A folder that vanishes meanwhile
// is skipped: its removal is an event of its own. Only a root that cannot be
// watched is an error (it is what the user asked for).
bool Watcher::AddTree(const std::string& dir, std::string* error) {
  int wd = inotify_add_watch(fd_, dir.c_str(), kMask);
  if (wd < 0) {
    if (error) {
      *error = dir + ": cannot watch: " + std::strerror(errno);
      if (errno == ENOSPC) *error += " (raise fs.inotify.max_user_watches)";
    }
    return error == nullptr;
  }
  dirs_[wd] = dir;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::error_code type_ec;
    if (name.empty() || name[0] == '.' || it->is_symlink(type_ec) ||
        !it->is_directory(type_ec))
      continue;
    AddTree(it->path().string(), nullptr);
  }
  return true;
}

void Watcher::Note(WatchBatch* batch, const std::string& path, bool temporary) {
  if (!temporary) batch->relevant = true;
  if (std::find(batch->paths.begin(), batch->paths.end(), path) == batch->paths.end())
    batch->paths.push_back(path);
}

// A root that was removed or moved away loses its watch; if it is back (a
// `git checkout` recreates folders), watch it again.
void Watcher::RewatchRoots(WatchBatch* batch) {
  for (const std::string& root : roots_) {
    bool watched = std::any_of(dirs_.begin(), dirs_.end(),
                               [&](const auto& d) { return d.second == root; });
    std::error_code ec;
    if (!watched && fs::is_directory(root, ec)) {
      AddTree(root, nullptr);
      batch->overflow = true;
    }
  }
}

bool Watcher::ReadEvents(WatchBatch* batch) {
  // Big enough for many events at once; aligned as the kernel's records are.
  alignas(inotify_event) char buf[64 * 1024];
  ssize_t n = read(fd_, buf, sizeof buf);
  if (n <= 0) return false;
  for (ssize_t at = 0; at + static_cast<ssize_t>(sizeof(inotify_event)) <= n;) {
    const auto* e = reinterpret_cast<const inotify_event*>(buf + at);
    at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
    if (at > n) break;  // a truncated record: never read past what we got
    if (e->mask & IN_Q_OVERFLOW) {
      batch->overflow = batch->relevant = true;
      continue;
    }
    auto dir = dirs_.find(e->wd);
    if (dir == dirs_.end()) continue;
    if (e->mask & IN_IGNORED) {  // the folder is gone, and so is its watch
      dirs_.erase(dir);
      continue;
    }
    if (e->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
      Note(batch, dir->second, false);
      continue;
    }
    // e->name is NUL-padded to e->len; strnlen keeps a name without a NUL
    // from running past the record.
    std::string name(e->name, strnlen(e->name, e->len));
    std::string path = dir->second + "/" + name;
    if ((e->mask & IN_ISDIR) && (e->mask & (IN_CREATE | IN_MOVED_TO)) && !name.empty() &&
        name[0] != '.')
      AddTree(path, nullptr);  // files written into it before the watch: the rebuild reads them
    Note(batch, path, IsEditorTemporary(name));
  }
  return true;
}

bool Watcher::Wait(std::chrono::milliseconds timeout, WatchBatch* batch,
                   std::chrono::milliseconds quiet, std::chrono::milliseconds limit) {
  *batch = WatchBatch{};
  // A root that came back has no watch to report it, so look each time.
  RewatchRoots(batch);
  if (batch->overflow) {
    batch->first = std::chrono::steady_clock::now();
    batch->relevant = true;
    return true;
  }
  pollfd p{fd_, POLLIN, 0};
  int r = poll(&p, 1, static_cast<int>(timeout.count()));
  if (r <= 0 || !ReadEvents(batch)) return false;
  batch->first = std::chrono::steady_clock::now();
  auto until = batch->first + limit;
  while (MillisLeft(until) > 0) {
    p.revents = 0;
    int wait = std::min<int>(static_cast<int>(quiet.count()), MillisLeft(until));
    if (poll(&p, 1, wait) <= 0 || !ReadEvents(batch)) break;
  }
  RewatchRoots(batch);
  if (batch->overflow) batch->relevant = true;
  return true;
}

}  // namespace casebook
