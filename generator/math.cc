#include "math.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "text.h"

namespace casebook {

namespace {

// HTML's escaping is XML's too; an attribute also needs its newlines kept.
std::string XmlAttr(const std::string& s) {
  std::string out;
  for (char c : HtmlEscape(s)) out += c == '\n' ? std::string("&#10;") : std::string(1, c);
  return out;
}

std::string XmlText(std::string s) {
  const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (auto [from, to] : kEntities)
    for (size_t p; (p = s.find(from)) != std::string::npos;) s.replace(p, std::strlen(from), to);
  return s;
}

std::string FindProgram(const std::string& name) {
  if (const char* env = std::getenv("CASEBOOK_BLAHTEXML")) return env;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Runs `program args...` with stdin and stdout bound to files; returns the
// exit status, or -1 if it could not start.
int Run(const std::string& program, const std::vector<std::string>& args,
        const std::string& in, const std::string& out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A typeset minus sign instead of blahtexml's ASCII hyphen.
std::string Polish(std::string mathml) {
  for (size_t p; (p = mathml.find(">-</mo>")) != std::string::npos;)
    mathml.replace(p, 7, ">\xE2\x88\x92</mo>");
  return mathml;
}

}  // namespace

std::string MathBatchInput(const std::vector<std::string>& tex) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<r xmlns:b=\"http://gva.noekeon.org/blahtexml\" "
      "xmlns=\"http://www.w3.org/1998/Math/MathML\">";
  for (const std::string& t : tex) xml += "<f><math b:block=\"" + XmlAttr(t) + "\"/></f>";
  return xml + "</r>\n";
}

std::vector<MathResult> ParseMathBatchOutput(const std::string& xml) {
  std::vector<MathResult> out;
  size_t pos = 0;
  while ((pos = xml.find("<f>", pos)) != std::string::npos) {
    size_t end = xml.find("</f>", pos);
    if (end == std::string::npos) break;
    std::string item = xml.substr(pos + 3, end - pos - 3);
    pos = end + 4;
    MathResult r;
    size_t err = item.find("<error");
    if (err != std::string::npos) {
      size_t b = item.find('>', err) + 1, e = item.find("</error>", b);
      r.text = XmlText(item.substr(b, e - b));
    } else if (item.rfind("<math>", 0) == 0 &&
               item.size() > 13 && item.compare(item.size() - 7, 7, "</math>") == 0) {
      // blahtexml wraps its answer in one extra <math> element.
      r.ok = true;
      r.text = Polish(item.substr(6, item.size() - 13));
    } else {
      r.text = "unexpected answer from blahtexml";
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::map<std::string, std::string> ConvertMath(const std::vector<Formula>& formulas,
                                               Diagnostics& diags, MathCache* cache) {
  std::map<std::string, std::string> result;
  if (formulas.empty()) return result;
  std::vector<std::string> distinct;
  std::set<std::string> seen, rejected;
  for (const Formula& f : formulas) {
    // XML cannot carry most control characters; one would fail the batch.
    bool control = std::any_of(f.tex.begin(), f.tex.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t';
    });
    if (control) {
      diags.Error(f.at, "formula contains a control character");
      rejected.insert(f.tex);
    } else if (seen.insert(f.tex).second) {
      auto hit = cache ? cache->find(f.tex) : MathCache::iterator();
      if (cache && hit != cache->end()) result.emplace(f.tex, hit->second);
      else distinct.push_back(f.tex);
    }
  }
  if (distinct.empty()) return result;

  std::string program = MathProgram();
  if (program.empty()) {
    diags.Error(formulas.front().at,
                "blahtexml is needed to render formulas; install it "
                "(apt-get install blahtexml)");
    return result;
  }
  // A private folder (mkdtemp, mode 0700): nobody else can plant a link
  // where casebook is about to write.
  namespace fs = std::filesystem;
  std::string folder = (fs::temp_directory_path() / "casebook-math-XXXXXX").string();
  if (!mkdtemp(folder.data())) {
    diags.Error(formulas.front().at, "cannot create a temporary folder for blahtexml");
    return result;
  }
  std::string in = folder + "/in.xml", out = folder + "/out.xml";
  std::ofstream(in, std::ios::binary) << MathBatchInput(distinct);
  int status = Run(program, {"--xmlin"}, in, out);
  std::ifstream read(out, std::ios::binary);
  std::stringstream answer;
  answer << read.rdbuf();
  fs::remove(in);
  fs::remove(out);
  fs::remove(folder);
  std::vector<MathResult> results = ParseMathBatchOutput(answer.str());
  // Exit status 1 only means that some formula failed; each says which.
  if (status < 0 || results.size() != distinct.size()) {
    diags.Error(formulas.front().at, "blahtexml (" + program + ") failed to run");
    return result;
  }
  std::map<std::string, std::string> errors;
  for (size_t i = 0; i < distinct.size(); ++i) {
    if (results[i].ok) {
      result[distinct[i]] = results[i].text;
      if (cache) (*cache)[distinct[i]] = results[i].text;
    } else {
      errors[distinct[i]] = results[i].text;
    }
  }
  for (const Formula& f : formulas) {
    auto e = errors.find(f.tex);
    if (e != errors.end()) diags.Error(f.at, "formula does not convert: " + e->second);
  }
  return result;
}

std::string MathProgram() { return FindProgram("blahtexml"); }

}  // namespace casebook
