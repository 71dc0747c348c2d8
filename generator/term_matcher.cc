#include "term_matcher.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

#include "text.h"

namespace casebook {

namespace {

// Bytes of multi-byte UTF-8 characters count as word characters, so a term
// never matches inside a word of another script.
constexpr std::array<bool, 256> kWordBytes = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[static_cast<size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c >= 0x80;
  return t;
}();
bool IsWordByte(char c) { return kWordBytes[static_cast<unsigned char>(c)]; }

size_t WordEnd(std::string_view s, size_t i) {
  while (i < s.size() && IsWordByte(s[i])) ++i;
  return i;
}

bool EqualAt(std::string_view text, size_t at, const std::string& name,
             bool case_sensitive) {
  if (at + name.size() > text.size()) return false;
  for (size_t k = 0; k < name.size(); ++k) {
    char c = text[at + k];
    if (!case_sensitive && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[k]) return false;
  }
  return true;
}

}  // namespace

bool TermMatcher::IsCaseSensitive(std::string_view name) {
  int capitals = 0;
  for (char c : name) capitals += (c >= 'A' && c <= 'Z') ? 1 : 0;
  return capitals >= 2;
}

bool TermMatcher::Overlap(std::string_view a, std::string_view b) {
  if (IsCaseSensitive(a) && IsCaseSensitive(b)) return a == b;  // "MAP" vs "mAP"
  return AsciiLower(a) == AsciiLower(b);
}

void TermMatcher::Add(std::string_view name, int term) {
  if (name.empty() || !IsWordByte(name.front())) return;
  Name n;
  n.case_sensitive = IsCaseSensitive(name);
  n.text = n.case_sensitive ? std::string(name) : AsciiLower(name);
  n.term = term;
  std::string first = AsciiLower(name.substr(0, WordEnd(name, 0)));
  lengths_by_first_byte_[static_cast<unsigned char>(first[0])] |=
      uint64_t{1} << (first.size() < 63 ? first.size() : 63);
  by_first_word_[first].push_back(std::move(n));
  finished_ = false;
}

void TermMatcher::Finish() {
  for (auto& [word, list] : by_first_word_)
    std::stable_sort(list.begin(), list.end(), [](const Name& a, const Name& b) {
      return a.text.size() > b.text.size();
    });
  finished_ = true;
}

std::optional<TermMatcher::Match> TermMatcher::Find(
    std::string_view text, size_t from,
    const std::function<bool(int)>& wanted) const {
  if (!finished_) {
    std::fprintf(stderr, "casebook: bug: TermMatcher::Find before Finish\n");
    std::abort();
  }
  size_t i = from;
  std::string word;  // the word at i, lower-cased (reused: no allocation per word)
  // Start at a word boundary.
  while (i > 0 && i < text.size() && IsWordByte(text[i - 1]) && IsWordByte(text[i])) ++i;
  while (i < text.size()) {
    if (!IsWordByte(text[i])) {
      ++i;
      continue;
    }
    size_t end = WordEnd(text, i);
    // The word, or the word less a plural's "s" or "es", may be a first word.
    const size_t length = end - i;
    unsigned char first = static_cast<unsigned char>(text[i]);
    if (first >= 'A' && first <= 'Z') first = static_cast<unsigned char>(first - 'A' + 'a');
    if (!MaybeFirstWord(first, length) && (length < 2 || !MaybeFirstWord(first, length - 1)) &&
        (length < 3 || !MaybeFirstWord(first, length - 2))) {
      i = end;
      continue;
    }
    word.assign(text.substr(i, end - i));
    for (char& c : word)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    // A one-word name may be written in the plural ("precisions").
    const std::vector<Name>* lists[3] = {nullptr, nullptr, nullptr};
    for (size_t cut : {size_t{0}, size_t{1}, size_t{2}}) {
      if (cut > 0 && (word.size() <= cut || word.back() != 's')) continue;
      auto it = by_first_word_.find(std::string_view(word).substr(0, word.size() - cut));
      if (it != by_first_word_.end()) lists[cut] = &it->second;
    }
    // The longest name written here wins, wanted or not: when it is
    // unwanted (already linked, or the page's own term), its words are
    // skipped rather than searched for a shorter name ("normalized
    // cross-entropy" on its own page must not link "cross-entropy").
    std::optional<Match> best;
    for (const std::vector<Name>* list : lists) {
      if (!list) continue;
      for (const Name& n : *list) {
        if (!EqualAt(text, i, n.text, n.case_sensitive)) continue;
        size_t stop = i + n.text.size();
        size_t rest = WordEnd(text, stop) - stop;
        // Plurals: "precisions", "indexes"; acronyms take a lower-case s
        // only ("AUCs", "A/B tests").
        bool plural = (rest == 1 && text[stop] == 's') ||
                      (!n.case_sensitive && rest == 1 && text[stop] == 'S') ||
                      (!n.case_sensitive && rest == 2 && EqualAt(text, stop, "es", false));
        if ((rest == 0 || plural) && (!best || stop + rest - i > best->length))
          best = Match{i, stop + rest - i, n.term};
      }
    }
    if (best && wanted(best->term)) return best;
    i = best ? best->begin + best->length : end;
  }
  return std::nullopt;
}

}  // namespace casebook
