// Diagnostics are values: every phase appends to a Diagnostics list instead
// of throwing or printing, so that one run reports every problem it finds.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace casebook {

// A place in an input file. Lines and columns are 1-based; 0 means the
// whole file, printed as line 1, column 1 so that editors can open it.
struct SourceLocation {
  std::string path;
  int line = 0;
  int column = 0;
  // The path is a folder (or an entry of the output folder), not a file to
  // open: printed without a position.
  bool folder = false;
};

inline SourceLocation FolderAt(std::string path) {
  SourceLocation at;
  at.path = std::move(path);
  at.folder = true;
  return at;
}

enum class Severity { kWarning, kError };

struct Diagnostic {
  Severity severity = Severity::kError;
  SourceLocation where;
  std::string message;
};

class Diagnostics {
 public:
  void Error(const SourceLocation& where, std::string message);
  void Warning(const SourceLocation& where, std::string message);
  void Append(const Diagnostics& other);

  // Turns every warning into an error (--strict).
  void PromoteWarnings();
  // Orders by path, line and column so that output does not depend on the
  // order in which parallel workers reported.
  void Sort();

  int errors() const;
  int warnings() const;
  bool has_errors() const { return errors() > 0; }
  const std::vector<Diagnostic>& all() const { return list_; }

 private:
  std::vector<Diagnostic> list_;
};

// "path:line:col: error: message"; "path:1:1: …" for a whole file, "path: …"
// for a folder. Control and invisible format characters are escaped (\x07,
// \u202e), so a message quoting the content cannot drive the terminal or
// reorder the line.
std::string Format(const Diagnostic& d);

// `s` with C0 controls but tab, DEL, C1 controls, invisible format
// characters (IsInvisibleFormatChar) and invalid UTF-8 bytes escaped.
std::string EscapeForTerminal(std::string_view s);

// Lists of more candidates than this get no suggestion (see ClosestMatch).
inline constexpr size_t kMaxSuggestionCandidates = 2000;

// The candidate closest to `word` by edit distance, or "" if none is close
// enough to be a plausible typo (about one edit per three characters).
// Ties go to the first name in sorted order. Bounded work: "" for a word of
// more than 100 bytes or a list of more than kMaxSuggestionCandidates, and
// each comparison costs O(length x allowed edits) time and O(length) memory.
std::string ClosestMatch(const std::string& word,
                         const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" when nothing is close.
std::string DidYouMean(const std::string& word,
                       const std::vector<std::string>& candidates);

// The same over a set's names or a map's keys. Over the cap it returns ""
// without copying them: a page of 30,000 headings and 60,000 broken links
// spent 45 s copying names only to be told there were too many.
std::string DidYouMean(const std::string& word, const std::set<std::string>& names);
template <class V>
std::string DidYouMean(const std::string& word, const std::map<std::string, V>& names) {
  if (names.size() > kMaxSuggestionCandidates) return "";
  std::vector<std::string> keys;
  keys.reserve(names.size());
  for (const auto& [name, _] : names) keys.push_back(name);
  return DidYouMean(word, keys);
}

}  // namespace casebook
