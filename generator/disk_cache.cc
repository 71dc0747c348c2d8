#include "disk_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "text.h"

namespace casebook {

namespace {

namespace fs = std::filesystem;

constexpr const char* kFormat = "casebook disk cache 2";

// What makes an entry valid: the programs that made it, casebook itself
// included (it checks and rewrites Graphviz's SVG), each by path, size and
// modification time.
std::string Stamp(const std::string& path) {
  struct stat st;
  if (path.empty() || stat(path.c_str(), &st) != 0) return "-";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) +
         "." + std::to_string(st.st_mtim.tv_nsec);
}

std::string Programs() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return Stamp(ec ? "" : self.string()) + " " + Stamp(MathProgram()) + " " +
         Stamp(DiagramProgram());
}

// Reads `n` bytes at `at`; false when the text ends first.
bool Take(const std::string& text, size_t& at, size_t n, std::string& out) {
  if (n > text.size() - at) return false;
  out.assign(text, at, n);
  at += n;
  return true;
}

// Reads the next line (without its '\n'); false when none is complete.
bool Line(const std::string& text, size_t& at, std::string& line) {
  size_t end = text.find('\n', at);
  if (end == std::string::npos) return false;
  line.assign(text, at, end - at);
  at = end + 1;
  return true;
}

}  // namespace

std::string DiskCachePath(const std::string& content_dir) {
  std::string dir;
  if (const char* d = std::getenv("CASEBOOK_CACHE_DIR")) dir = d;
  else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) dir = std::string(x) + "/casebook";
  else if (const char* h = std::getenv("HOME"); h && *h) dir = std::string(h) + "/.cache/casebook";
  if (dir.empty()) return "";
  std::error_code ec;
  fs::path abs = fs::absolute(content_dir, ec).lexically_normal();
  return dir + "/" + ShortHash(abs.string()) + ".cache";
}

std::string DiskCacheText(const MathCache& math, const DiagramCache& diagrams,
                          const YamlCache* yaml) {
  std::string out = std::string(kFormat) + "\n" + Programs() + "\n";
  for (const auto& [tex, mathml] : math) {
    out += "m " + std::to_string(tex.size()) + " " + std::to_string(mathml.size()) + "\n";
    out += tex;
    out += mathml;
  }
  for (const auto& [dot, run] : diagrams) {
    if (!run.ok) continue;
    out += "d " + std::to_string(dot.size()) + " " + std::to_string(run.diagram.svg.size()) + " " +
           std::to_string(run.diagram.label.size()) + " " + std::to_string(run.messages.size()) +
           "\n";
    out += dot;
    out += run.diagram.svg;
    out += run.diagram.label;
    for (const DiagramMessage& m : run.messages) {
      out += "w " + std::to_string(m.error) + " " + std::to_string(m.line) + " " +
             std::to_string(m.from_graphviz) + " " + std::to_string(m.text.size()) + "\n";
      out += m.text;
    }
  }
  if (yaml) yaml->Write(out);
  return out + "end\n";
}

bool ParseDiskCache(const std::string& text, MathCache& math, DiagramCache& diagrams,
                    YamlCache* yaml) {
  size_t at = 0;
  std::string line;
  if (!Line(text, at, line) || line != kFormat) return false;
  if (!Line(text, at, line) || line != Programs()) return false;
  MathCache m;
  DiagramCache d;
  YamlCache y;
  for (;;) {
    if (text.compare(at, 2, "y ") == 0 && !y.Read(text, at)) return false;
    if (!Line(text, at, line)) break;
    if (line == "end") {
      if (at != text.size()) return false;
      math.insert(m.begin(), m.end());
      diagrams.insert(d.begin(), d.end());
      if (yaml) *yaml = std::move(y);
      return true;
    }
    std::istringstream head(line);
    char tag = 0;
    head >> tag;
    if (tag == 'm') {
      size_t a = 0, b = 0;
      std::string tex, mathml;
      if (!(head >> a >> b) || !Take(text, at, a, tex) || !Take(text, at, b, mathml)) return false;
      m[tex] = mathml;
    } else if (tag == 'd') {
      size_t a = 0, b = 0, c = 0, count = 0;
      std::string dot;
      DiagramRun run;
      run.ok = true;
      if (!(head >> a >> b >> c >> count) || !Take(text, at, a, dot) ||
          !Take(text, at, b, run.diagram.svg) || !Take(text, at, c, run.diagram.label))
        return false;
      for (size_t i = 0; i < count; ++i) {
        DiagramMessage msg;
        int error = 0, graphviz = 0;
        size_t n = 0;
        if (!Line(text, at, line)) return false;
        std::istringstream w(line);
        char wtag = 0;
        if (!(w >> wtag >> error >> msg.line >> graphviz >> n) || wtag != 'w' ||
            !Take(text, at, n, msg.text))
          return false;
        msg.error = error != 0;
        msg.from_graphviz = graphviz != 0;
        run.messages.push_back(std::move(msg));
      }
      d[dot] = std::move(run);
    } else {
      return false;
    }
  }
  return false;  // no "end": cut off
}

bool LoadDiskCache(const std::string& path, MathCache& math, DiagramCache& diagrams,
                   YamlCache* yaml) {
  if (path.empty()) return false;
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec || size > kMaxDiskCacheBytes) return false;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return in.good() && ParseDiskCache(text.str(), math, diagrams, yaml);
}

bool SaveDiskCache(const std::string& path, const MathCache& math, const DiagramCache& diagrams,
                   const YamlCache* yaml) {
  if (path.empty()) return false;
  std::string dir = fs::path(path).parent_path().string();
  std::error_code ec;
  fs::create_directories(dir, ec);
  chmod(dir.c_str(), 0700);
  std::string text = DiskCacheText(math, diagrams, yaml);
  if (text.size() > kMaxDiskCacheBytes) return false;
  std::string tmp = path + "." + std::to_string(getpid()) + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  bool ok = close(fd) == 0 && done == text.size();
  if (ok) ok = rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) unlink(tmp.c_str());
  return ok;
}

}  // namespace casebook
