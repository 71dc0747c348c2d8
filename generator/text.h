// Small string helpers shared by every phase: escaping, UTF-8 checks,
// positions, slugs and ids. No I/O and no dependencies beyond the standard
// library.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace casebook {

// Escapes & < > " ' for use in HTML text and double-quoted attributes.
std::string HtmlEscape(std::string_view s);

// Byte offset of the first invalid UTF-8 sequence, or npos if valid.
size_t FindInvalidUtf8(std::string_view s);

// The UTF-8 sequence starting at s[i]: its code point and length in bytes
// (len 0 when the bytes there are not valid UTF-8). REQUIRES: i < s.size().
struct Utf8Char {
  uint32_t cp = 0;
  size_t len = 0;
};
Utf8Char DecodeUtf8(std::string_view s, size_t i);

// Invisible characters that change how text is shown or compared but not
// what it reads as: bidi controls (U+061C, U+200E/F, U+202A-202E,
// U+2066-2069), zero-width ones (U+200B-200D, U+2060-2064, U+FEFF), the
// soft hyphen U+00AD, U+180E, the combining grapheme joiner U+034F,
// variation selectors (U+FE00-FE0F, U+E0100-E01EF), Hangul fillers (U+115F,
// U+1160, U+3164, U+FFA0) and tag characters (U+E0000-E007F).
// "intro", "intro<ZWJ>" and "<RLO>intro"
// look alike; these tell them apart.
bool IsInvisibleFormatChar(uint32_t cp);

struct LineColumn {
  int line = 1;
  int column = 1;
};
// 1-based line and column (in bytes) of `offset` within `text`.
LineColumn LineColumnAt(std::string_view text, size_t offset);

// The line starts of one text, found in one pass, so that placing many
// offsets costs a binary search each instead of a scan from byte 0 (140,000
// tags on one line took 32 s). At(offset) == LineColumnAt(text, offset).
struct LineIndex {
  explicit LineIndex(std::string_view text);
  LineColumn At(size_t offset) const;

  std::vector<size_t> starts;  // offset of each line's first byte; starts[0] == 0
  size_t size = 0;             // of the text: offsets past it are placed at its end
};

// `value` cut to at most `max` bytes (at a character boundary) with "…"
// after, for quoting user values in diagnostics: a 900 KB link destination
// was echoed in full. Values of `max` bytes or fewer are returned as they are.
std::string Abbreviated(std::string_view value, size_t max = 80);

// Ids name files and anchors, so they are restricted to
// [a-z0-9]+(-[a-z0-9]+)*: nothing else can reach a path.
bool IsValidId(std::string_view id);

// Heading text to an anchor id: ASCII letters lowered, digits kept, other
// ASCII runs become one '-', invisible format characters dropped, other
// non-ASCII characters (letters of other scripts) kept.
std::string Slugify(std::string_view text);

// Like Slugify, but every non-ASCII character is dropped, so the result is
// a valid id, or "" when no ASCII letter or digit is left: the id to
// suggest for a file name.
std::string AsciiSlug(std::string_view text);

// Appends `s` as a JSON string that is also safe anywhere in a script and
// on one line (a server-sent event's data): '"', '\\', '<', '>', '&',
// control characters, U+2028 and U+2029 are escaped. Content is untrusted.
void AppendJsonString(std::string_view s, std::string& out);

// 32-bit FNV-1a as 8 lowercase hex digits; stable across platforms and runs.
std::string ShortHash(std::string_view s);
// ShortHash of the pieces joined, without joining them.
std::string ShortHash(std::initializer_list<std::string_view> pieces);
std::string ShortHash(const std::vector<std::string_view>& pieces);
// ShortHash fed piece by piece: Hex() is ShortHash of everything added, in
// order.
class ShortHasher {
 public:
  void Add(std::string_view s);
  std::string Hex() const;

 private:
  uint32_t h_ = 2166136261u;
};

// A 64-bit hash of `bytes`' length and then its bytes, continuing from `h`
// (start from kHashSeed): a chain of calls tells "ab","c" from "a","bc".
// For fingerprints inside one process, not for anything an attacker picks
// to collide with.
constexpr uint64_t kHashSeed = 14695981039346656037ull;
uint64_t HashBytes(uint64_t h, std::string_view bytes);

// A fixed set of names, looked up by their exact bytes without hashing:
// bucketed by length and first byte, so a lookup compares a name or two.
// For the HTML scanners, which look up every tag and attribute name of
// every page. Immutable once built: safe to share across threads. The
// names' bytes must outlive it.
class NameIndex {
 public:
  explicit NameIndex(const std::vector<std::string_view>& names);
  // `name`'s index in the names, or -1.
  int Find(std::string_view name) const;

 private:
  static size_t Bucket(std::string_view s);
  std::vector<std::string_view> names_;  // grouped by bucket
  std::vector<int> indices_;             // names_[k]'s index in the input
  std::vector<uint32_t> starts_;         // bucket b is [starts_[b], starts_[b + 1])
};

bool IsAsciiAlnum(unsigned char c);
std::string AsciiLower(std::string_view s);
std::string Trim(std::string_view s);

// `s` with every occurrence of `from` (not empty) replaced by `to`, left to
// right, in one pass: linear however many there are.
std::string ReplaceAll(std::string_view s, std::string_view from, std::string_view to);

}  // namespace casebook
