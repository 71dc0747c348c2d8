#include "writer.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "output_folder.h"

namespace fs = std::filesystem;

namespace casebook {

namespace {

// A staging folder is "<parent>/.<name>.casebook-staging-<pid>-<run>" (and
// "….old" while an old site is moved aside where RENAME_EXCHANGE is
// missing); the repository's .gitignore matches the pattern. <run> is
// random, so a later process that reuses the pid (pid 1 in a container)
// cannot collide with what a killed one left.
constexpr const char* kStagingInfix = ".casebook-staging-";
constexpr const char* kStagingMarker = ".casebook-staging";
constexpr const char* kStagingIgnore = ".gitignore";

// A staging folder being written. Its first file is a journal
// (.casebook-staging) naming the pid and, before each is created, every
// folder and file casebook makes there, so that a failed write, and the next
// run after a killed one, can remove exactly those. A .gitignore of "*"
// keeps git from offering the folder for a commit while it exists.
class Staging {
 public:
  ~Staging() { CloseJournal(); }

  // The journal's first line, naming the folder's pid and run ("" for a
  // folder named by pid alone, as earlier versions did).
  static std::string Header(long pid, const std::string& run) {
    return "# casebook staging folder, pid " + std::to_string(pid) +
           (run.empty() ? "" : ", run " + run) + "\n";
  }

  // Creates "<prefix><pid>-<run>" with a fresh random run.
  bool Create(const std::string& prefix, Diagnostics& diags) {
    std::string run;
    for (int attempt = 0;; ++attempt) {
      run = NewRun();
      dir_ = prefix + std::to_string(getpid()) + "-" + run;
      if (mkdir(dir_.c_str(), 0755) == 0) break;
      if (errno != EEXIST || attempt == 7) {
        diags.Error(FolderAt(dir_),
                    std::string("cannot create staging folder: ") + std::strerror(errno));
        return false;
      }
    }
    MarkRunning(run);
    std::string journal = dir_ + "/" + kStagingMarker;
    journal_ = open(journal.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0644);
    std::string header = Header(getpid(), run);
    if (journal_ < 0 || !WriteAll(journal_, header)) {
      diags.Error(FolderAt(journal), std::string("cannot write: ") + std::strerror(errno));
      Discard();
      return false;
    }
    if (!Write(kStagingIgnore, "*\n", diags)) {
      Discard();
      return false;
    }
    return true;
  }

  // Writes one file (and the folders it needs), recording each first.
  bool Write(const std::string& rel, const std::string& content, Diagnostics& diags) {
    int fd = CreateFile(rel, diags);
    return fd >= 0 && FillFile(fd, rel, {std::string_view(content)}, diags);
  }

  // The bookkeeping half of Write: records and makes the folders the file
  // needs, then the file itself. Its fd, or -1 (reported). Not thread-safe.
  int CreateFile(const std::string& rel, Diagnostics& diags) {
    std::string path = dir_ + "/" + rel;
    auto fail = [&](int err) {
      diags.Error(FolderAt(path), std::string("cannot write: ") + std::strerror(err));
      return -1;
    };
    for (fs::path parent = fs::path(rel).parent_path(), p; const fs::path& part : parent) {
      p /= part;
      if (folders_.count(p.string())) continue;
      if (!Record('d', p.string())) return fail(errno);
      if (mkdir((dir_ + "/" + p.string()).c_str(), 0755) != 0) return fail(errno);
      folders_.insert(p.string());
    }
    if (!Record('f', rel)) return fail(errno);
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return fail(errno);
    files_.insert(rel);  // from here on it is ours, even if only part of it is written
    return fd;
  }

  // The bytes half: writes `pieces` in order to the fd CreateFile gave for
  // `rel`, and closes it. Touches no member, so files fill in parallel.
  bool FillFile(int fd, const std::string& rel, const std::vector<std::string_view>& pieces,
                Diagnostics& diags) const {
    int err = 0;
    for (std::string_view piece : pieces)
      if (!WriteAll(fd, piece)) {
        err = errno;
        break;
      }
    return CloseFile(fd, rel, err, diags);
  }

  // Closes what CreateFile gave for `rel` after its writes, the first of
  // which to fail set `err` (0: none); false (reported) on any failure.
  bool CloseFile(int fd, const std::string& rel, int err, Diagnostics& diags) const {
    if (close(fd) != 0 && err == 0) err = errno;
    if (err != 0)
      diags.Error(FolderAt(dir_ + "/" + rel), std::string("cannot write: ") + std::strerror(err));
    return err == 0;
  }

  // One more piece of a streamed file; errno is set when false.
  static bool Append(int fd, std::string_view piece) { return WriteAll(fd, piece); }

  // The journal and .gitignore are not part of the site: removed before
  // the swap. After this, the folder is casebook's by its manifest.
  void DropMarkers() {
    CloseJournal();
    unlink((dir_ + "/" + kStagingIgnore).c_str());
    unlink((dir_ + "/" + kStagingMarker).c_str());
    files_.erase(kStagingIgnore);
  }

  // Removes everything casebook wrote into the folder, then the folder.
  void Discard() {
    CloseJournal();
    std::set<std::string> files = files_;
    files.insert(kStagingMarker);
    RemoveListed(dir_, files, folders_);
  }

  const std::string& dir() const { return dir_; }

  // Whether this process created a staging folder with `run`: the only
  // folders with our own pid that are not stale.
  static bool Running(const std::string& run) {
    std::lock_guard<std::mutex> lock(RunsMutex());
    return Runs().count(run) > 0;
  }

 private:
  static std::string NewRun() {
    static std::mutex mutex;
    static std::random_device device;
    std::lock_guard<std::mutex> lock(mutex);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%08x%08x", device(), device());
    return hex;
  }

  static std::mutex& RunsMutex() {
    static std::mutex mutex;
    return mutex;
  }
  static std::set<std::string>& Runs() {
    static std::set<std::string> runs;
    return runs;
  }
  static void MarkRunning(const std::string& run) {
    std::lock_guard<std::mutex> lock(RunsMutex());
    Runs().insert(run);
  }

  static bool WriteAll(int fd, std::string_view bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      if (n == 0) {
        errno = EIO;
        return false;
      }
      done += static_cast<size_t>(n);
    }
    return true;
  }

  bool Record(char kind, const std::string& rel) {
    return WriteAll(journal_, std::string(1, kind) + " " + rel + "\n");
  }

  void CloseJournal() {
    if (journal_ >= 0) close(journal_);
    journal_ = -1;
  }

  std::string dir_;
  int journal_ = -1;
  std::set<std::string> files_;
  std::set<std::string> folders_;
};

// Who made a staging folder: its pid, and its run ("" in the names of
// earlier versions).
struct StagingOwner {
  long pid = 0;
  std::string run;
};

// "<dir>/.<name>.casebook-staging-<pid>[-<run>][.old]": the owner, or none
// if `entry` is not named like a staging folder of `name`.
std::optional<StagingOwner> StagingOwnerOf(const std::string& entry, const std::string& name) {
  std::string prefix = "." + name + kStagingInfix;
  if (entry.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  std::string rest = entry.substr(prefix.size());
  if (rest.size() > 4 && rest.compare(rest.size() - 4, 4, ".old") == 0) rest.resize(rest.size() - 4);
  size_t dash = rest.find('-');
  std::string digits = rest.substr(0, dash);
  StagingOwner owner;
  if (dash != std::string::npos) owner.run = rest.substr(dash + 1);
  if (digits.empty() || digits.size() > 9 || digits.front() == '0' ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  if (dash != std::string::npos &&
      (owner.run.empty() || owner.run.size() > 16 ||
       owner.run.find_first_not_of("0123456789abcdef") != std::string::npos))
    return std::nullopt;
  owner.pid = std::stol(digits);
  return owner;
}

// Whether the build that made a staging folder may still be writing it.
// A folder with our own pid is another process's that had the pid before
// us (pid 1 in a container, again and again), unless this process made it.
bool Alive(const StagingOwner& owner) {
  if (owner.pid == getpid()) return !owner.run.empty() && Staging::Running(owner.run);
  return kill(static_cast<pid_t>(owner.pid), 0) == 0 || errno == EPERM;
}

// A staging folder whose build is gone: removes what the folder proves is
// casebook's, by its journal (a build killed while writing) or by its
// manifest (killed around the swap: the new or the old site), and nothing
// else. Returns false when something has to stay.
bool RemoveStale(const std::string& dir, const StagingOwner& owner) {
  std::string journal = dir + "/" + kStagingMarker;
  struct stat st;
  bool has_journal = lstat(journal.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  std::ifstream in;
  if (has_journal) in.open(journal);
  std::string line;
  if (has_journal && in && std::getline(in, line) && line + "\n" == Staging::Header(owner.pid, owner.run)) {
    std::set<std::string> files = {kStagingMarker}, folders;
    // An entry is written whole before its file is created; a last line
    // cut short by the kill names nothing that exists.
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (size_t pos = 0, end; (end = text.find('\n', pos)) != std::string::npos; pos = end + 1) {
      std::string entry = text.substr(pos, end - pos);
      if (entry.size() < 3 || entry[1] != ' ' || !SafeEntry(entry.substr(2))) continue;
      (entry[0] == 'd' ? folders : files).insert(entry.substr(2));
    }
    return RemoveListed(dir, files, folders);
  }
  if (has_journal) return false;  // not a journal casebook wrote
  Manifest m = ReadManifest(dir);
  if (!m.present || !m.safe || !Foreign(dir, m).empty()) return false;
  std::set<std::string> files = m.files;
  files.insert(kManifestName);
  return RemoveOwned(dir, files);
}

// Removes the staging folders of `out` that builds killed earlier left.
void RemoveStaleStaging(const fs::path& out) {
  std::error_code ec;
  std::string name = out.filename().string();
  for (const auto& e : fs::directory_iterator(out.parent_path(), ec)) {
    std::optional<StagingOwner> owner = StagingOwnerOf(e.path().filename().string(), name);
    if (!owner || Alive(*owner)) continue;
    struct stat st;
    if (lstat(e.path().c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    RemoveStale(e.path().string(), *owner);
  }
}

bool Contains(const fs::path& outer, const fs::path& inner) {
  auto o = outer.begin(), i = inner.begin();
  for (; o != outer.end(); ++o, ++i)
    if (i == inner.end() || *o != *i) return false;
  return true;
}

// Where the site of `out_dir` really goes: the parent resolved through
// links, as the kernel resolves it, and the folder's own name kept, so that
// an output that is itself a link is seen as one. The check, the staging
// folder and the swap all use this one path.
fs::path ResolvedOut(const std::string& out_dir) {
  fs::path out = fs::absolute(out_dir);
  if (out.filename().empty()) out = out.parent_path();  // "site/"
  fs::path name = out.filename();
  std::error_code ec;
  fs::path resolved = name == "." || name == ".."
                          ? fs::weakly_canonical(out, ec)
                          : fs::weakly_canonical(out.parent_path(), ec) / name;
  return ec ? out.lexically_normal() : resolved;
}

// Refuses an output that is, holds or sits in one of `inputs`. The lexical
// reading of `out_dir` counts too: after a link, "link/../content" is
// "content" to the author (and to a shell's cd) but not to the kernel, and
// an output that could mean an input folder is not written either way.
bool OverlapsNoInput(const std::string& out_dir, const fs::path& out,
                     const std::vector<std::string>& inputs, Diagnostics& diags) {
  fs::path meant = fs::absolute(out_dir).lexically_normal();
  if (meant.filename().empty()) meant = meant.parent_path();
  std::error_code ec;
  for (const std::string& in : inputs) {
    fs::path input = fs::weakly_canonical(fs::absolute(in), ec);
    fs::path input_meant = fs::absolute(in).lexically_normal();
    if (Contains(out, input) || Contains(input, out) || Contains(meant, input_meant) ||
        Contains(input_meant, meant)) {
      diags.Error(FolderAt(out_dir), "refusing to write the site into '" + out_dir +
                                         "': it overlaps the input folder '" + in + "'");
      return false;
    }
  }
  return true;
}

// Whether the folder at `out` (resolved; `out_dir` names it in messages)
// is absent, empty, or casebook's by its manifest and nothing else.
bool OutputFolderIsOurs(const std::string& out_dir, const std::string& out, Diagnostics& diags) {
  struct stat st;
  if (lstat(out.c_str(), &st) != 0) return true;  // will be created
  if (!S_ISDIR(st.st_mode)) {
    diags.Error(FolderAt(out_dir), "refusing to write: '" + out_dir + "' exists and is not a folder");
    return false;
  }
  if (EntriesUnder(out).empty()) return true;
  std::string manifest_path = out_dir + "/" + kManifestName;
  if (lstat((out + "/" + kManifestName).c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    diags.Error(FolderAt(manifest_path), "refusing to write: casebook writes its manifest as a "
                                         "file, and this is not one (move it out)");
    return false;
  }
  Manifest manifest = ReadManifest(out);
  if (!manifest.present) {
    diags.Error(FolderAt(out_dir), "refusing to write into '" + out_dir +
                                       "': it is not empty and casebook did not create it "
                                       "(no " + kManifestName + "); choose another --out");
    return false;
  }
  if (!manifest.safe) {
    diags.Error(FolderAt(manifest_path),
                "refusing to write: the manifest lists '" + manifest.bad_entry +
                    "', which casebook never writes (was it edited?)");
    return false;
  }
  bool ok = true;
  for (const ForeignEntry& f : Foreign(out, manifest)) {
    diags.Error(FolderAt(out_dir + "/" + f.path),
                std::string("not written by casebook") + (f.link ? " (a symbolic link)" : "") +
                    "; move it out of '" + out_dir +
                    "' (casebook never deletes files it did not create)");
    ok = false;
  }
  return ok;
}

}  // namespace

bool CheckOutputFolder(const std::string& out_dir, const std::vector<std::string>& inputs,
                       Diagnostics& diags) {
  if (out_dir.empty()) {
    diags.Error({}, "--out must name a folder");
    return false;
  }
  fs::path out = ResolvedOut(out_dir);
  return OverlapsNoInput(out_dir, out, inputs, diags) &&
         OutputFolderIsOurs(out_dir, out.string(), diags);
}

struct SiteWriter::State {
  std::string out_dir;
  std::vector<std::string> inputs;
  int jobs = 1;
  fs::path out;
  Staging staging;
  bool open = false, committed = false;
  std::mutex mutex;      // guards what follows: Add runs on many threads
  bool failed = false;
  Diagnostics add_diags;
  std::vector<std::string> paths;

  // The bookkeeping halves of writing one file, each under the lock (the
  // bytes go in between, outside it): its fd, or -1 once the writer has
  // failed; then the outcome, with what failed.
  int Begin(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex);
    if (failed || !open) return -1;
    int fd = staging.CreateFile(path, add_diags);
    if (fd < 0) failed = true;
    return fd;
  }
  void End(const std::string& path, bool ok, const Diagnostics& failure) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!ok) {
      add_diags.Append(failure);
      failed = true;
    } else {
      paths.push_back(path);
    }
  }
};

SiteWriter::SiteWriter(const std::string& out_dir, const std::vector<std::string>& inputs,
                       int jobs)
    : s_(std::make_unique<State>()) {
  s_->out_dir = out_dir;
  s_->inputs = inputs;
  s_->jobs = jobs;
}

SiteWriter::~SiteWriter() {
  if (s_->open && !s_->committed) s_->staging.Discard();
}

bool SiteWriter::Open(Diagnostics& diags) {
  State& s = *s_;
  s.out = ResolvedOut(s.out_dir);
  if (!OverlapsNoInput(s.out_dir, s.out, s.inputs, diags)) return false;  // before making any folder
  std::error_code ec;
  fs::create_directories(s.out.parent_path(), ec);
  RemoveStaleStaging(s.out);
  s.open = s.staging.Create(
      (s.out.parent_path() / ("." + s.out.filename().string() + kStagingInfix)).string(), diags);
  return s.open;
}

void SiteWriter::Add(const std::string& path, const std::string& content) {
  AddPieces(path, {std::string_view(content)});
}

// Only the bookkeeping holds the lock; the bytes of many pages are written
// at once.
void SiteWriter::AddPieces(const std::string& path, const std::vector<std::string_view>& pieces) {
  State& s = *s_;
  int fd = s.Begin(path);
  if (fd < 0) return;
  Diagnostics failure;
  bool ok = s.staging.FillFile(fd, path, pieces, failure);
  s.End(path, ok, failure);
}

std::unique_ptr<SiteWriter::Stream> SiteWriter::OpenStream(const std::string& path) {
  return std::unique_ptr<Stream>(new Stream(*this, path, s_->Begin(path)));
}

void SiteWriter::Stream::Append(std::string_view piece) {
  if (fd_ < 0 || error_ != 0) return;
  if (!Staging::Append(fd_, piece)) error_ = errno;
}

void SiteWriter::Stream::Close() {
  if (fd_ < 0) return;
  State& s = *writer_.s_;
  Diagnostics failure;
  bool ok = s.staging.CloseFile(fd_, path_, error_, failure);
  fd_ = -1;
  s.End(path_, ok, failure);
}

bool SiteWriter::Commit(Diagnostics& diags) {
  State& s = *s_;
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.open) return false;
  diags.Append(s.add_diags);
  if (s.failed) return false;  // the destructor discards the folder
  const std::string& out_dir = s.out_dir;
  const fs::path& out = s.out;
  Staging& staging = s.staging;
  std::sort(s.paths.begin(), s.paths.end());
  std::string manifest = kManifestHeader;
  for (const std::string& p : s.paths) manifest += p + "\n";
  if (!staging.Write(kManifestName, manifest, diags)) return false;
  s.committed = true;  // from here on each step cleans up after itself
  // Swap atomically where the kernel can (RENAME_EXCHANGE); otherwise move
  // the old site aside first. Either way the old tree ends up in `old_dir`.
  struct stat st;
  bool had_old = lstat(out.c_str(), &st) == 0;
  // The folder was checked before the build; check again now, so that a
  // file someone added meanwhile is not swapped away with the old site, and
  // a link changed meanwhile does not put the site into an input folder.
  if (!OverlapsNoInput(out_dir, out, s.inputs, diags) ||
      (had_old && !OutputFolderIsOurs(out_dir, out.string(), diags))) {
    staging.Discard();
    return false;
  }
  Manifest old_manifest = had_old ? ReadManifest(out.string()) : Manifest{};
  staging.DropMarkers();
  if (!had_old) {
    if (rename(staging.dir().c_str(), out.c_str()) != 0) {
      diags.Error(FolderAt(out_dir), std::string("cannot move the new site in place: ") + std::strerror(errno));
      staging.Discard();
      return false;
    }
    return true;
  }
  std::string old_dir = staging.dir();
  if (renameat2(AT_FDCWD, staging.dir().c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) != 0) {
    old_dir = staging.dir() + ".old";
    if (rename(out.c_str(), old_dir.c_str()) != 0) {
      diags.Error(FolderAt(out_dir), std::string("cannot move the old site aside: ") + std::strerror(errno));
      staging.Discard();
      return false;
    }
    if (rename(staging.dir().c_str(), out.c_str()) != 0) {
      diags.Error(FolderAt(out_dir), std::string("cannot move the new site in place: ") + std::strerror(errno));
      rename(old_dir.c_str(), out.c_str());  // put the old site back
      staging.Discard();
      return false;
    }
  }
  std::set<std::string> old = old_manifest.files;
  old.insert(kManifestName);
  if (!RemoveOwned(old_dir, old, s.jobs))
    diags.Warning(FolderAt(old_dir), "the previous site was replaced, but this folder holds "
                                     "files casebook did not write, so it was left; move them "
                                     "out and delete it");
  return true;
}


bool WriteSite(const std::string& out_dir, const std::vector<std::string>& inputs,
               std::vector<OutputFile> files, Diagnostics& diags) {
  SiteWriter writer(out_dir, inputs);
  if (!writer.Open(diags)) return false;
  for (OutputFile& f : files) {
    writer.Add(f.path, f.content);
    std::string().swap(f.content);  // written: its memory is not needed
  }
  return writer.Commit(diags);
}

}  // namespace casebook
