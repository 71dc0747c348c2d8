#include "test_util.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

namespace fs = std::filesystem;

namespace casebook::test {

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "casebook-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::map<std::string, std::string> ReadTree(const std::string& dir) {
  std::map<std::string, std::string> tree;
  if (!fs::exists(dir)) return tree;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      tree[fs::relative(e.path(), dir).string()] = ReadFile(e.path().string());
  return tree;
}

std::string DiffTrees(const std::map<std::string, std::string>& expected,
                      const std::map<std::string, std::string>& actual) {
  std::string out = DiffTreesAll(expected, actual);
  // Ten differences say enough; a stale site would otherwise print them all.
  size_t pos = 0;
  for (int lines = 0; lines < 30 && pos != std::string::npos; ++lines) {
    pos = out.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  if (pos != std::string::npos && pos < out.size()) out = out.substr(0, pos) + "...\n";
  return out;
}

std::string DiffTreesAll(const std::map<std::string, std::string>& expected,
                         const std::map<std::string, std::string>& actual) {
  std::string out;
  for (const auto& [path, content] : expected) {
    auto it = actual.find(path);
    if (it == actual.end()) {
      out += "missing: " + path + "\n";
    } else if (it->second != content) {
      size_t i = 0;
      while (i < content.size() && i < it->second.size() && content[i] == it->second[i]) ++i;
      size_t from = i > 60 ? i - 60 : 0;
      out += "differs: " + path + " at byte " + std::to_string(i) + "\n  expected: " +
             content.substr(from, 120) + "\n  actual:   " + it->second.substr(from, 120) + "\n";
    }
  }
  for (const auto& [path, _] : actual)
    if (!expected.count(path)) out += "unexpected: " + path + "\n";
  return out;
}

std::string FormatAll(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags.all()) out += Format(d) + "\n";
  return out;
}

std::string SourceDir() { return CASEBOOK_SOURCE_DIR; }

void WriteMinimalContent(const std::string& dir) {
  WriteFile(dir + "/site.yaml", "title: Mini\n");
  WriteFile(dir + "/pages/index.md", "---\ntitle: Mini\n---\nHello.\n");
  WriteFile(dir + "/framework/01-clarify.md",
            "---\ntitle: Clarify\nsummary: Ask.\nchecklist:\n"
            "  - id: goal\n    text: State the goal.\n---\nAsk about recall.\n");
  WriteFile(dir + "/framework/02-evaluate.md",
            "---\ntitle: Evaluate\nsummary: Measure.\nchecklist:\n"
            "  - id: metric\n    text: Pick a metric.\n---\nUse precision.\n");
  WriteFile(dir + "/case-studies/search.md",
            "---\ntitle: Search\nsummary: Find things.\ncategory: Search\n"
            "references:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n"
            "## Clarify\n\nText.\n\n## Evaluate\n\nText.\n");
  WriteFile(dir + "/glossary.yaml",
            "- id: precision\n  term: Precision\n  category: Classification\n"
            "  definition: Share of predicted positives that are right.\n"
            "- id: recall\n  term: Recall\n  category: Classification\n"
            "  definition: Share of positives that are found.\n");
}

void ReplaceInFile(const std::string& path, const std::string& from, const std::string& to) {
  std::string text = ReadFile(path);
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from << " not in " << path;
  text.replace(at, from.size(), to);
  WriteFile(path, text);
}

}  // namespace casebook::test
