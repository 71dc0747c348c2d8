// Finds glossary terms and their aliases in running text, for automatic
// linking. Whole words only; the longest name wins where several start at
// the same place ("mean average precision" over "precision").
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace casebook {

class TermMatcher {
 public:
  struct Match {
    size_t begin = 0;
    size_t length = 0;
    int term = -1;
  };

  // Adds a name for term number `term`. Names written with two or more
  // capitals (AUC, nDCG, CTR) match only as written, so that "map" in prose
  // never links "MAP"; other names match in any case. Both also match in
  // the plural: "s" or "es", and a lower-case "s" after capitals ("AUCs").
  // Call Finish() after the last Add and before the first Find.
  void Add(std::string_view name, int term);
  // Orders each first word's names, longest first (names of one length in
  // the order they were added). Once, after all Adds: sorting on every Add
  // made n names sharing a first word cost O(n^2 log n).
  void Finish();

  // Whether `name` matches only as written (two or more capitals).
  static bool IsCaseSensitive(std::string_view name);
  // Whether some text could be written as both names.
  static bool Overlap(std::string_view a, std::string_view b);

  // The first match at or after `from` whose term `wanted` accepts.
  // REQUIRES: Finish() was called after the last Add.
  std::optional<Match> Find(std::string_view text, size_t from,
                            const std::function<bool(int)>& wanted) const;

 private:
  struct Name {
    std::string text;  // lower-cased unless case_sensitive
    bool case_sensitive = false;
    int term = -1;
  };
  // Looked up by std::string_view: Find runs for every word of the prose,
  // and a lookup must not allocate.
  struct WordHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Names grouped by their first word, lower-cased; longest first once
  // finished.
  std::unordered_map<std::string, std::vector<Name>, WordHash, std::equal_to<>> by_first_word_;
  // A filter in front of that map: bit L of entry c says that some first
  // word starts with byte c (lower-cased) and is L bytes long (bit 63: 63
  // or more). Most words of prose fail it, and are never lower-cased or
  // hashed.
  uint64_t lengths_by_first_byte_[256] = {};
  bool MaybeFirstWord(unsigned char first, size_t length) const {
    return (lengths_by_first_byte_[first] >> (length < 63 ? length : 63)) & 1;
  }
  bool finished_ = true;  // no name is out of order
};

}  // namespace casebook
