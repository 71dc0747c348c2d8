#include "writer.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace casebook {

namespace {

constexpr const char* kManifestHeader = "# casebook output: files written by casebook\n";

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

struct Manifest {
  bool present = false;
  bool safe = true;
  std::string bad_entry;
  std::set<std::string> files;
};

// The manifest in `dir`: which files casebook wrote there.
Manifest ReadManifest(const std::string& dir) {
  Manifest m;
  std::ifstream in(dir + "/" + kManifestName);
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

// Every file, link and folder under `dir`, relative to it.
std::vector<std::string> EntriesUnder(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator();
       it.increment(ec))
    out.push_back(fs::relative(it->path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

// Entries of `dir` the manifest does not account for: files it does not
// list, and folders that hold none of its files.
std::vector<std::string> Foreign(const std::string& dir, const Manifest& m) {
  std::set<std::string> folders;
  for (const std::string& f : m.files)
    for (fs::path p = fs::path(f).parent_path(); !p.empty(); p = p.parent_path())
      folders.insert(p.string());
  std::vector<std::string> out;
  for (const std::string& e : EntriesUnder(dir)) {
    fs::path full = fs::path(dir) / e;
    bool is_dir = fs::is_directory(fs::symlink_status(full));
    if (e == kManifestName || (is_dir ? folders.count(e) : m.files.count(e))) continue;
    out.push_back(e);
  }
  return out;
}

bool WriteFile(const std::string& path, const std::string& content, Diagnostics& diags) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    diags.Error({path}, std::string("cannot write: ") + std::strerror(errno));
    return false;
  }
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      diags.Error({path}, std::string("cannot write: ") + std::strerror(errno));
      close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (close(fd) != 0) {
    diags.Error({path}, std::string("cannot write: ") + std::strerror(errno));
    return false;
  }
  return true;
}

// Removes exactly the listed files of a tree casebook wrote, then the
// folders they leave empty. Anything else stays.
// REQUIRES: every entry passed SafeEntry.
void RemoveOwned(const std::string& dir, const std::set<std::string>& files) {
  std::set<std::string, std::greater<>> folders;
  for (const std::string& f : files) {
    fs::path p = fs::path(dir) / f;
    unlink(p.c_str());
    for (fs::path parent = fs::path(f).parent_path(); !parent.empty() && parent != parent.root_path();
         parent = parent.parent_path())
      folders.insert(parent.string());
  }
  for (const std::string& f : folders) rmdir((fs::path(dir) / f).c_str());  // fails if not empty
  rmdir(dir.c_str());
}

bool Contains(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end(); ++o, ++i)
    if (i == inner.end() || *o != *i) return false;
  return true;
}

}  // namespace

bool CheckOutputFolder(const std::string& out_dir, const std::vector<std::string>& inputs,
                       Diagnostics& diags) {
  if (out_dir.empty()) {
    diags.Error({}, "--out must name a folder");
    return false;
  }
  std::error_code ec;
  fs::path out = fs::weakly_canonical(fs::absolute(out_dir), ec);
  for (const std::string& in : inputs) {
    fs::path input = fs::weakly_canonical(fs::absolute(in), ec);
    if (Contains(out, input) || Contains(input, out)) {
      diags.Error({out_dir}, "refusing to write the site into '" + out_dir +
                                 "': it overlaps the input folder '" + in + "'");
      return false;
    }
  }
  struct stat st;
  if (lstat(out_dir.c_str(), &st) != 0) return true;  // will be created
  if (!S_ISDIR(st.st_mode)) {
    diags.Error({out_dir}, "refusing to write: '" + out_dir + "' exists and is not a folder");
    return false;
  }
  if (EntriesUnder(out_dir).empty()) return true;
  Manifest manifest = ReadManifest(out_dir);
  if (!manifest.present) {
    diags.Error({out_dir}, "refusing to write into '" + out_dir +
                               "': it is not empty and casebook did not create it "
                               "(no " + kManifestName + "); choose another --out");
    return false;
  }
  if (!manifest.safe) {
    diags.Error({out_dir + "/" + kManifestName},
                "refusing to write: the manifest lists '" + manifest.bad_entry +
                    "', which casebook never writes (was it edited?)");
    return false;
  }
  bool ok = true;
  for (const std::string& f : Foreign(out_dir, manifest)) {
    diags.Error({out_dir + "/" + f}, "not written by casebook; move it out of '" + out_dir +
                                         "' (casebook never deletes files it did not create)");
    ok = false;
  }
  return ok;
}

bool WriteSite(const std::string& out_dir, std::vector<OutputFile> files, Diagnostics& diags) {
  std::sort(files.begin(), files.end(),
            [](const OutputFile& a, const OutputFile& b) { return a.path < b.path; });
  fs::path out = fs::absolute(out_dir).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();
  std::string staging =
      (out.parent_path() / ("." + out.filename().string() + ".staging-" + std::to_string(getpid())))
          .string();
  std::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  if (mkdir(staging.c_str(), 0755) != 0) {
    diags.Error({staging}, std::string("cannot create staging folder: ") + std::strerror(errno));
    return false;
  }
  std::set<std::string> written;
  std::string manifest = kManifestHeader;
  bool ok = true;
  for (const OutputFile& f : files) {
    if (!(ok = WriteFile(staging + "/" + f.path, f.content, diags))) break;
    written.insert(f.path);
    manifest += f.path + "\n";
  }
  if (ok) ok = WriteFile(staging + "/" + kManifestName, manifest, diags);
  written.insert(kManifestName);
  if (!ok) {
    RemoveOwned(staging, written);
    return false;
  }
  // Swap atomically where the kernel can (RENAME_EXCHANGE); otherwise move
  // the old site aside first. Either way the old tree ends up in `staging`.
  struct stat st;
  bool had_old = lstat(out.c_str(), &st) == 0;
  // The folder was checked before the build; check again now, so that a
  // file someone added meanwhile is not swapped away with the old site.
  if (had_old && !CheckOutputFolder(out.string(), {}, diags)) {
    RemoveOwned(staging, written);
    return false;
  }
  Manifest old_manifest = had_old ? ReadManifest(out.string()) : Manifest{};
  if (!had_old) {
    if (rename(staging.c_str(), out.c_str()) != 0) {
      diags.Error({out_dir}, std::string("cannot move the new site in place: ") + std::strerror(errno));
      RemoveOwned(staging, written);
      return false;
    }
    return true;
  }
  if (renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) != 0) {
    std::string aside = staging + ".old";
    if (rename(out.c_str(), aside.c_str()) != 0) {
      diags.Error({out_dir}, std::string("cannot move the old site aside: ") + std::strerror(errno));
      RemoveOwned(staging, written);
      return false;
    }
    if (rename(staging.c_str(), out.c_str()) != 0) {
      diags.Error({out_dir}, std::string("cannot move the new site in place: ") + std::strerror(errno));
      rename(aside.c_str(), out.c_str());  // put the old site back
      RemoveOwned(staging, written);
      return false;
    }
    staging = aside;
  }
  std::set<std::string> old = old_manifest.files;
  old.insert(kManifestName);
  RemoveOwned(staging, old);
  return true;
}

}  // namespace casebook
