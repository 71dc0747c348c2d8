// What an output folder is, as casebook sees it: the manifest casebook
// writes there (its format, reading it, which entries it may list), what in
// a folder is casebook's by that manifest, and removing exactly what
// casebook wrote and nothing else. The write phase (writer.h) decides when
// to check, write and remove; this module answers what is ours.
//
// Never follows a link: every decision is made on the entries themselves
// (their type as the folder listing gives it, lstat where the file system
// gives none, and lexical paths), a symbolic link is never casebook's, and
// nothing is removed through a folder that is a link. Thread-safety: none needed;
// only the single-threaded write phase calls it (removal may use `jobs`
// workers of its own: unlinking thousands of files is mostly the kernel
// freeing their pages, which it does in parallel).
#pragma once

#include <set>
#include <string>
#include <vector>

namespace casebook {

constexpr const char* kManifestName = ".casebook-manifest";
constexpr const char* kManifestHeader = "# casebook output: files written by casebook\n";

// A manifest entry casebook could have written: a relative path of plain
// names. Anything else ("../x", "/etc/x", "a//b") means the manifest was
// edited, and trusting it could delete files outside the folder.
bool SafeEntry(const std::string& entry);

struct Manifest {
  bool present = false;
  bool safe = true;
  std::string bad_entry;
  std::set<std::string> files;
};

// The manifest in `dir`: which files casebook wrote there.
Manifest ReadManifest(const std::string& dir);

// Every file, link and folder under `dir`, relative to it, sorted. A link
// is listed as itself and never entered: resolving it, a link to a file
// casebook wrote would pass for that file.
std::vector<std::string> EntriesUnder(const std::string& dir);

struct ForeignEntry {
  std::string path;  // relative to the folder
  bool link = false;
};

// Entries of `dir` the manifest does not account for: anything but a
// regular file it lists or a real folder that holds one. A symbolic link is
// never casebook's, whatever it points to and whatever its name.
std::vector<ForeignEntry> Foreign(const std::string& dir, const Manifest& m);

// Removes the regular files `files` and then the folders `folders` (deepest
// first, and only when empty) of `dir`, then `dir` itself if empty.
// Anything else stays. Returns whether `dir` is gone.
// REQUIRES: every entry passed SafeEntry.
bool RemoveListed(const std::string& dir, const std::set<std::string>& files,
                  std::set<std::string> folders, int jobs = 1);

// Removes exactly the listed files of a tree casebook wrote, then the
// folders they leave empty. Anything else stays.
// REQUIRES: every entry passed SafeEntry.
bool RemoveOwned(const std::string& dir, const std::set<std::string>& files, int jobs = 1);

}  // namespace casebook
