// Watcher: tells `casebook serve` that something under its input folders
// changed, as batches of inotify events.
//
// Contract:
// - Owns one inotify file descriptor (closed by the destructor) and one watch
//   per folder under the roots, added recursively; folders created later are
//   watched as they appear. Hidden folders (".git", editor state) and
//   symbolic links are not followed: the build ignores them too.
// - Not thread-safe: one thread creates it and calls Wait().
// - Never throws on what the file system does (any name, a folder removed
//   while it is being added, a queue overflow): problems become a batch that
//   asks for a full rebuild, or an error string from Create().
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace casebook {

// One rebuild's worth of events: everything that arrived from the first
// event until the folders were quiet for a few milliseconds.
struct WatchBatch {
  // When Wait() read the first event of the batch: the start of the
  // "rebuilt in N ms" that serve prints.
  std::chrono::steady_clock::time_point first;
  std::vector<std::string> paths;  // changed files and folders, in event order, no repeats
  // The kernel dropped events (IN_Q_OVERFLOW) or a root went away: the
  // batch does not say what changed, so rebuild everything.
  bool overflow = false;
  // False when every path is an editor's temporary file (".x.swp", "x~",
  // vim's "4913"): nothing the build reads changed.
  bool relevant = false;
};

class Watcher {
 public:
  // Watches every folder under `roots`. nullptr and `error` set when inotify
  // is unavailable or a root cannot be watched.
  static std::unique_ptr<Watcher> Create(const std::vector<std::string>& roots,
                                         std::string* error);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Waits up to `timeout` for a first event. Then keeps reading until no
  // event came for `quiet` or `limit` passed since the first, so that an
  // editor's save (write a temporary file, rename it over the old one) is one
  // batch. False when nothing happened within `timeout`.
  bool Wait(std::chrono::milliseconds timeout, WatchBatch* batch,
            std::chrono::milliseconds quiet = std::chrono::milliseconds(3),
            std::chrono::milliseconds limit = std::chrono::milliseconds(50));

  // Folders currently watched (tests).
  size_t watched() const { return dirs_.size(); }

 private:
  explicit Watcher(int fd) : fd_(fd) {}
  bool AddTree(const std::string& dir, std::string* error);
  bool ReadEvents(WatchBatch* batch);  // false when nothing was there to read
  void Note(WatchBatch* batch, const std::string& path, bool temporary);
  void RewatchRoots(WatchBatch* batch);

  int fd_;
  std::vector<std::string> roots_;
  std::map<int, std::string> dirs_;  // watch descriptor -> folder
};

// Names editors write beside the file they save; a batch of only these does
// not trigger a rebuild.
bool IsEditorTemporary(const std::string& name);

}  // namespace casebook
