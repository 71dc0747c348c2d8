#include "output_folder.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <string_view>

#include "parallel.h"

namespace casebook {

namespace {

// Whether every folder on the way from `dir` to `rel` is a real folder, so
// that removing `rel` cannot reach through a link to somewhere else.
bool PlainPath(const std::string& dir, const std::string& rel) {
  for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', slash + 1)) {
    struct stat st;
    if (lstat((dir + "/" + rel.substr(0, slash)).c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      return false;
  }
  return true;
}

// The folders that hold `files`, relative paths of plain names: "a/b/c"
// gives "a" and "a/b".
std::set<std::string> FoldersOf(const std::set<std::string>& files) {
  std::set<std::string> folders;
  for (const std::string& f : files)
    for (size_t slash = f.find('/'); slash != std::string::npos; slash = f.find('/', slash + 1))
      folders.insert(f.substr(0, slash));
  return folders;
}

}  // namespace

// A manifest entry casebook could have written: a relative path of plain
// names. Anything else ("../x", "/etc/x", "a//b") means the manifest was
// edited, and trusting it could delete files outside the folder.
bool SafeEntry(const std::string& entry) {
  if (entry.empty() || entry.front() == '/' || entry.back() == '/') return false;
  for (char c : entry)
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\') return false;
  size_t start = 0;
  while (start <= entry.size()) {
    size_t end = entry.find('/', start);
    if (end == std::string::npos) end = entry.size();
    std::string part = entry.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

// The manifest in `dir`: which files casebook wrote there.
Manifest ReadManifest(const std::string& dir) {
  Manifest m;
  std::string path = dir + "/" + kManifestName;
  struct stat st;
  if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return m;  // not a link to one
  std::ifstream in(path);
  if (!in) return m;
  std::string line;
  std::getline(in, line);
  if (line + "\n" != kManifestHeader) return m;
  m.present = true;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (!SafeEntry(line)) {
      m.safe = false;
      m.bad_entry = line;
      continue;
    }
    m.files.insert(line);
  }
  return m;
}

namespace {

// An entry under a folder and what readdir said it is (DT_REG, DT_DIR,
// DT_LNK, ...; never DT_UNKNOWN: such an entry is lstat'ed).
struct Listed {
  std::string path;  // relative to the folder
  unsigned char type;
  bool operator<(const Listed& o) const { return path < o.path; }
};

// Every entry under `dir`, sorted, built from the names readdir gives
// (fs::relative would resolve a link to the file it points at, and a link
// to a file casebook wrote would pass for that file). Only real folders
// are entered. A folder that cannot be read is listed without its entries
// (the directory iterator's error used to end the whole listing there);
// removal never deletes a folder that is not empty.
std::vector<Listed> ListUnder(const std::string& dir) {
  std::vector<Listed> out;
  std::vector<std::string> folders = {""};  // to read, relative to dir
  while (!folders.empty()) {
    const std::string rel = std::move(folders.back());
    folders.pop_back();
    const std::string path = rel.empty() ? dir : dir + "/" + rel;
    DIR* d = opendir(path.c_str());
    if (!d) continue;
    while (const dirent* e = readdir(d)) {
      const std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      Listed entry{rel.empty() ? std::string(name) : rel + "/" + std::string(name), e->d_type};
      if (entry.type == DT_UNKNOWN) {  // some file systems do not say
        struct stat st;
        if (lstat((path + "/" + std::string(name)).c_str(), &st) != 0) continue;  // gone
        entry.type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG
                     : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
      }
      if (entry.type == DT_DIR) folders.push_back(entry.path);
      out.push_back(std::move(entry));
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::string> EntriesUnder(const std::string& dir) {
  std::vector<std::string> out;
  for (Listed& e : ListUnder(dir)) out.push_back(std::move(e.path));
  return out;
}

// Entries of `dir` the manifest does not account for: anything but a
// regular file it lists or a real folder that holds one. A symbolic link is
// never casebook's, whatever it points to and whatever its name.
std::vector<ForeignEntry> Foreign(const std::string& dir, const Manifest& m) {
  const std::set<std::string> folders = FoldersOf(m.files);
  std::vector<ForeignEntry> out;
  // What each entry is comes from the listing: an lstat apiece was most of
  // a large site's check.
  for (const Listed& e : ListUnder(dir)) {
    bool ours = e.type == DT_DIR   ? folders.count(e.path) > 0
                : e.type == DT_REG ? e.path == kManifestName || m.files.count(e.path) > 0
                                   : false;
    if (!ours) out.push_back({e.path, e.type == DT_LNK});
  }
  return out;
}

// Removes the regular files `files` and then the folders `folders` (deepest
// first, and only when empty) of `dir`, then `dir` itself if empty.
// Anything else stays. Returns whether `dir` is gone.
// REQUIRES: every entry passed SafeEntry.
bool RemoveListed(const std::string& dir, const std::set<std::string>& files,
                  std::set<std::string> folders, int jobs) {
  const std::vector<const std::string*> listed = [&] {
    std::vector<const std::string*> v;
    for (const std::string& f : files) v.push_back(&f);
    return v;
  }();
  ParallelFor(listed.size(), jobs, [&](size_t i) {
    const std::string& f = *listed[i];
    const std::string p = dir + "/" + f;
    struct stat st;
    if (PlainPath(dir, f) && lstat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode)) unlink(p.c_str());
  });
  std::vector<std::string> deepest_first(folders.begin(), folders.end());
  std::sort(deepest_first.begin(), deepest_first.end(), std::greater<>());
  for (const std::string& f : deepest_first)
    if (PlainPath(dir, f)) rmdir((dir + "/" + f).c_str());  // fails if not empty
  return rmdir(dir.c_str()) == 0;
}

// Removes exactly the listed files of a tree casebook wrote, then the
// folders they leave empty. Anything else stays.
// REQUIRES: every entry passed SafeEntry.
bool RemoveOwned(const std::string& dir, const std::set<std::string>& files, int jobs) {
  return RemoveListed(dir, files, FoldersOf(files), jobs);
}

}  // namespace casebook
