#include "diagnostics.h"

#include <algorithm>
#include <string_view>
#include <tuple>
#include <utility>

#include "text.h"

namespace casebook {

void Diagnostics::Error(const SourceLocation& where, std::string message) {
  list_.push_back({Severity::kError, where, std::move(message)});
}

void Diagnostics::Warning(const SourceLocation& where, std::string message) {
  list_.push_back({Severity::kWarning, where, std::move(message)});
}

void Diagnostics::Append(const Diagnostics& other) {
  list_.insert(list_.end(), other.list_.begin(), other.list_.end());
}

void Diagnostics::PromoteWarnings() {
  for (Diagnostic& d : list_) d.severity = Severity::kError;
}

void Diagnostics::Sort() {
  std::stable_sort(list_.begin(), list_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.where.path, a.where.line, a.where.column,
                                     a.message) <
                            std::tie(b.where.path, b.where.line, b.where.column,
                                     b.message);
                   });
  // Two workers can report the same fact (a shared fragment); say it once.
  list_.erase(std::unique(list_.begin(), list_.end(),
                          [](const Diagnostic& a, const Diagnostic& b) {
                            return a.severity == b.severity &&
                                   a.where.path == b.where.path &&
                                   a.where.line == b.where.line &&
                                   a.where.column == b.where.column &&
                                   a.message == b.message;
                          }),
              list_.end());
}

int Diagnostics::errors() const {
  return static_cast<int>(std::count_if(list_.begin(), list_.end(), [](auto& d) {
    return d.severity == Severity::kError;
  }));
}

int Diagnostics::warnings() const {
  return static_cast<int>(list_.size()) - errors();
}

std::string EscapeForTerminal(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7F) {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    Utf8Char ch = DecodeUtf8(s, i);
    if (ch.len == 0) {  // a byte of invalid UTF-8
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
      continue;
    }
    if ((ch.cp >= 0x80 && ch.cp <= 0x9F) || IsInvisibleFormatChar(ch.cp)) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(ch.cp >> shift) & 15];
    } else {
      out.append(s.substr(i, ch.len));
    }
    i += ch.len;
  }
  return out;
}

std::string Format(const Diagnostic& d) {
  std::string out = d.where.path;
  if (d.where.line > 0) {
    out += ":" + std::to_string(d.where.line);
    if (d.where.column > 0) out += ":" + std::to_string(d.where.column);
  } else if (!out.empty() && !d.where.folder) {
    out += ":1:1";
  }
  if (!out.empty()) out += ": ";
  out += d.severity == Severity::kError ? "error: " : "warning: ";
  out += d.message;
  return EscapeForTerminal(out);
}

namespace {

// Suggestions are for typos in short names. Longer words, and lists of
// more candidates than a page has sections, get none: the work stays
// bounded however many unknown names a site holds.
constexpr size_t kMaxSuggestedLength = 100;

// Levenshtein distance that also counts swapping two neighbours as one edit
// ("titel" is one typo away from "title"), when it is at most `limit`;
// otherwise some value above `limit`. Only the diagonal band |i - j| <=
// limit can hold such paths, so that is all it fills, three rows at a time
// (the swap looks two rows back), and it stops once a whole row is over.
size_t EditDistance(std::string_view a, std::string_view b, size_t limit) {
  if (a.size() < b.size()) std::swap(a, b);  // rows as long as the shorter
  if (a.size() - b.size() > limit) return limit + 1;
  const size_t over = limit + 1;  // stands for every value above the limit
  std::vector<size_t> before(b.size() + 1, over), above(b.size() + 1, over),
      row(b.size() + 1, over);
  for (size_t j = 0; j <= std::min(b.size(), limit); ++j) above[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t lo = i > limit ? i - limit : 0, hi = std::min(b.size(), i + limit);
    std::fill(row.begin(), row.end(), over);
    if (lo == 0) row[0] = i;
    size_t best = row[0];
    for (size_t j = std::max<size_t>(lo, 1); j <= hi; ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t d = std::min({above[j] + 1, row[j - 1] + 1, above[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d = std::min(d, before[j - 2] + 1);
      row[j] = std::min(d, over);
      best = std::min(best, row[j]);
    }
    if (best > limit) return over;
    std::swap(before, above);
    std::swap(above, row);
  }
  return above[b.size()];
}

}  // namespace

std::string ClosestMatch(const std::string& word,
                         const std::vector<std::string>& candidates) {
  if (word.size() > kMaxSuggestedLength || candidates.size() > kMaxSuggestionCandidates) return "";
  // Allow roughly one typo per three characters, and at least one.
  const size_t threshold = std::max<size_t>(1, word.size() / 3);
  std::string best;
  size_t best_distance = 0;
  for (const std::string& c : candidates) {
    // Nothing beyond the best so far can win (a tie still can, by name).
    size_t limit = best.empty() ? threshold : best_distance;
    size_t d = EditDistance(word, c, limit);
    if (d > limit || d == 0) continue;
    if (best.empty() || d < best_distance || (d == best_distance && c < best)) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string DidYouMean(const std::string& word,
                       const std::vector<std::string>& candidates) {
  std::string m = ClosestMatch(word, candidates);
  return m.empty() ? "" : " (did you mean '" + m + "'?)";
}

std::string DidYouMean(const std::string& word, const std::set<std::string>& names) {
  if (names.size() > kMaxSuggestionCandidates) return "";
  return DidYouMean(word, std::vector<std::string>(names.begin(), names.end()));
}

}  // namespace casebook
