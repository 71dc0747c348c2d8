// Helpers shared by the tests: scratch folders, small file writers, tree
// comparison.
#pragma once

#include <map>
#include <string>

#include "diagnostics.h"

namespace casebook::test {

// A fresh folder under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);
// Replaces the first `from` in the file with `to`; a test failure when the
// file does not hold `from`.
void ReplaceInFile(const std::string& path, const std::string& from, const std::string& to);

// Every file under `dir` (relative path -> contents).
std::map<std::string, std::string> ReadTree(const std::string& dir);

// Differences between two trees as readable lines; "" when identical.
// DiffTrees stops after about ten of them.
std::string DiffTrees(const std::map<std::string, std::string>& expected,
                      const std::map<std::string, std::string>& actual);
std::string DiffTreesAll(const std::map<std::string, std::string>& expected,
                         const std::map<std::string, std::string>& actual);

// All diagnostics, formatted, one per line.
std::string FormatAll(const Diagnostics& diags);

// The repository's folders.
std::string SourceDir();

// A minimal valid content folder (one step, one case, two terms) written
// under `dir`; tests then change one file to provoke one error.
void WriteMinimalContent(const std::string& dir);

}  // namespace casebook::test
