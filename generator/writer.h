// Phase 7, write: puts the rendered files on disk without ever losing a
// file. The site is written into a staging folder beside the output folder
// and swapped in only when complete, so a failed or interrupted build leaves
// the previous site as it was. A manifest in the output folder lists what
// casebook wrote; casebook refuses a non-empty folder without one, refuses
// one that holds anything else (a symbolic link is never casebook's, even
// at a listed name), and deletes nothing else. Ownership is decided on the
// entries themselves (their listed type or lstat, lexical paths), never by
// following links.
//
// The staging folder, ".<out>.casebook-staging-<pid>-<run>" (<run> random,
// so no later process can collide with it), starts with a journal of
// everything written into it: a failed write removes exactly that, and the
// next build removes what a killed one left (when its pid is gone or is
// the next build's own), by that journal or by the manifest of a finished
// tree.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"
#include "output_folder.h"

namespace casebook {

// One file of the site, as the earlier phases produce it.
struct OutputFile {
  std::string path;  // relative to the output folder
  std::string content;
};

// Checks that `out_dir` may be written: reports why not (a usage error).
// `inputs` are folders the output must neither be nor contain nor sit in.
bool CheckOutputFolder(const std::string& out_dir, const std::vector<std::string>& inputs,
                       Diagnostics& diags);

// Writes a site file by file as its files come, into the staging folder,
// then swaps it in: a build need not hold every page in memory. Open, then
// Add from any number of threads, then Commit once; a writer destroyed
// without a successful Commit removes what it staged, leaving out_dir as
// it was. REQUIRES: CheckOutputFolder with the same `inputs`, which Commit
// checks again just before the swap.
class SiteWriter {
 public:
  // `jobs`: workers for removing the previous site after the swap.
  SiteWriter(const std::string& out_dir, const std::vector<std::string>& inputs, int jobs = 1);
  ~SiteWriter();
  SiteWriter(const SiteWriter&) = delete;
  SiteWriter& operator=(const SiteWriter&) = delete;

  bool Open(Diagnostics& diags);
  // Thread-safe. A failure is kept and reported by Commit, which then fails;
  // later files are ignored.
  void Add(const std::string& path, const std::string& content);
  // Add() of the file that is `pieces` joined, without joining them.
  void AddPieces(const std::string& path, const std::vector<std::string_view>& pieces);

  // A file written piece by piece as its pieces come, so that a large one
  // (print.html) is never whole in memory. Append from one thread at a
  // time; the file is done when the stream is destroyed (or Close()d). A
  // failure is kept and reported by Commit, as for Add.
  class Stream {
   public:
    ~Stream() { Close(); }
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    void Append(std::string_view piece);
    void Close();

   private:
    friend class SiteWriter;
    Stream(SiteWriter& writer, std::string path, int fd)
        : writer_(writer), path_(std::move(path)), fd_(fd) {}
    SiteWriter& writer_;
    std::string path_;
    int fd_;          // -1 once closed, or when the file could not be made
    int error_ = 0;   // the first failed write's errno
  };
  // Thread-safe, like Add; the stream must end before Commit.
  std::unique_ptr<Stream> OpenStream(const std::string& path);

  bool Commit(Diagnostics& diags);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Writes `files` as the new contents of out_dir (a SiteWriter). REQUIRES: CheckOutputFolder
// with the same `inputs`, which WriteSite checks again just before the swap.
// Both resolve out_dir the same way, once each: the folder checked is the
// folder written.
bool WriteSite(const std::string& out_dir, const std::vector<std::string>& inputs,
               std::vector<OutputFile> files, Diagnostics& diags);

}  // namespace casebook
