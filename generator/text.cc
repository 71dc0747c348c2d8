#include "text.h"

#include <algorithm>
#include <cstring>
#include <array>
#include <functional>

namespace casebook {

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Utf8Char DecodeUtf8(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t len;
  uint32_t cp;
  if (c < 0x80) return {c, 1};
  if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
  else return {};
  if (i + len > s.size()) return {};
  for (size_t k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF.
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    return {};
  return {cp, len};
}

size_t FindInvalidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    // Eight ASCII bytes at a time: most text is ASCII.
    uint64_t word;
    if (i + 8 <= s.size() && (std::memcpy(&word, s.data() + i, 8), (word & 0x8080808080808080ull) == 0)) {
      i += 8;
      continue;
    }
    Utf8Char ch = DecodeUtf8(s, i);
    if (ch.len == 0) return i;
    i += ch.len;
  }
  return std::string_view::npos;
}

bool IsInvisibleFormatChar(uint32_t cp) {
  return cp == 0x00AD || cp == 0x061C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF ||
         // Shown as nothing, or as the character before them: the combining
         // grapheme joiner, variation selectors, Hangul fillers and tags.
         cp == 0x034F || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
         cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 ||
         (cp >= 0xE0000 && cp <= 0xE007F);
}

LineColumn LineColumnAt(std::string_view text, size_t offset) {
  LineColumn lc;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      lc.column = 1;
    } else {
      ++lc.column;
    }
  }
  return lc;
}

LineIndex::LineIndex(std::string_view text) : starts{0}, size(text.size()) {
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts.push_back(i + 1);
}

LineColumn LineIndex::At(size_t offset) const {
  offset = std::min(offset, size);
  // The last line starting at or before `offset`.
  auto it = std::upper_bound(starts.begin(), starts.end(), offset) - 1;
  return {static_cast<int>(it - starts.begin()) + 1, static_cast<int>(offset - *it) + 1};
}

std::string Abbreviated(std::string_view value, size_t max) {
  if (value.size() <= max) return std::string(value);
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;  // no split character
  return std::string(value.substr(0, n)) + "\u2026";
}

bool IsAsciiAlnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  char prev = 0;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

namespace {

std::string SlugOf(std::string_view text, bool ascii_only) {
  std::string out;
  bool pending_dash = false;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = 1;
    if (c >= 0x80) {
      Utf8Char ch = DecodeUtf8(text, i);
      len = ch.len == 0 ? 1 : ch.len;
      // Dropped, not a separator: "intro<ZWJ>" is "intro". An ASCII slug
      // drops every other non-ASCII letter too ("naïve" to "nave").
      if (ascii_only || (ch.len != 0 && IsInvisibleFormatChar(ch.cp))) {
        i += len;
        continue;
      }
    }
    if (IsAsciiAlnum(c) || c >= 0x80) {
      if (pending_dash && !out.empty()) out += '-';
      pending_dash = false;
      for (size_t k = 0; k < len; ++k) {
        char b = text[i + k];
        out += (b >= 'A' && b <= 'Z') ? static_cast<char>(b - 'A' + 'a') : b;
      }
    } else if (c == '\'') {
      // "model's" reads better as "models" than "model-s".
    } else {
      pending_dash = true;
    }
    i += len;
  }
  return out;
}

}  // namespace

std::string Slugify(std::string_view text) {
  std::string out = SlugOf(text, /*ascii_only=*/false);
  return out.empty() ? "section" : out;
}

std::string AsciiSlug(std::string_view text) { return SlugOf(text, /*ascii_only=*/true); }

std::string ShortHash(std::string_view s) { return ShortHash({s}); }

std::string ShortHash(std::initializer_list<std::string_view> pieces) {
  return ShortHash(std::vector<std::string_view>(pieces));
}

std::string ShortHash(const std::vector<std::string_view>& pieces) {
  ShortHasher h;
  for (std::string_view s : pieces) h.Add(s);
  return h.Hex();
}

void ShortHasher::Add(std::string_view s) {
  uint32_t h = h_;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  h_ = h;
}

std::string ShortHasher::Hex() const {
  static const char kHex[] = "0123456789abcdef";
  std::string out(8, '0');
  uint32_t h = h_;
  for (int i = 7; i >= 0; --i, h >>= 4) out[static_cast<size_t>(i)] = kHex[h & 0xF];
  return out;
}

// 16 lengths (the last for 15 or more) by 256 first bytes.
size_t NameIndex::Bucket(std::string_view s) {
  if (s.empty()) return 0;
  return (std::min<size_t>(s.size(), 15) << 8) | static_cast<unsigned char>(s[0]);
}

NameIndex::NameIndex(const std::vector<std::string_view>& names) {
  constexpr size_t kBuckets = 16 << 8;
  std::vector<std::vector<int>> by_bucket(kBuckets);
  for (size_t i = 0; i < names.size(); ++i)
    by_bucket[Bucket(names[i])].push_back(static_cast<int>(i));
  starts_.reserve(kBuckets + 1);
  for (const std::vector<int>& bucket : by_bucket) {
    starts_.push_back(static_cast<uint32_t>(names_.size()));
    for (int i : bucket) {
      names_.push_back(names[static_cast<size_t>(i)]);
      indices_.push_back(i);
    }
  }
  starts_.push_back(static_cast<uint32_t>(names_.size()));
}

int NameIndex::Find(std::string_view name) const {
  size_t b = Bucket(name);
  for (uint32_t k = starts_[b]; k < starts_[b + 1]; ++k)
    if (names_[k] == name) return indices_[k];
  return -1;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string ReplaceAll(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(s.size());
  size_t start = 0;
  for (size_t p; (p = s.find(from, start)) != std::string_view::npos; start = p + from.size()) {
    out.append(s, start, p - start);
    out.append(to);
  }
  out.append(s, start, std::string_view::npos);
  return out;
}

namespace {

// splitmix64's finalizer: every input bit reaches every output bit.
uint64_t Mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t HashBytes(uint64_t h, std::string_view bytes) {
  // std::hash reads eight bytes at a time; FNV's byte loop was a few
  // percent of a `serve` rebuild, which fingerprints every page's data.
  h = Mix(h ^ bytes.size());
  return Mix(h ^ std::hash<std::string_view>{}(bytes));
}

void AppendJsonString(std::string_view s, std::string& out) {
  static const char kHex[] = "0123456789abcdef";
  // Bytes that are not always copied as they are; the runs between them are
  // appended whole.
  static constexpr auto kSpecial = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<size_t>(c)] = true;
    for (int c : {int{'"'}, int{'\\'}, int{'<'}, int{'>'}, int{'&'}, 0xE2})
      t[static_cast<size_t>(c)] = true;
    return t;
  }();
  out += '"';
  size_t from = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!kSpecial[c]) continue;
    if (c == 0xE2) {  // U+2028 and U+2029 end a line in a script
      if (!(i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
             static_cast<unsigned char>(s[i + 2]) == 0xA9)))
        continue;
      out.append(s, from, i - from);
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
      from = i + 1;
      continue;
    }
    out.append(s, from, i - from);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
    from = i + 1;
  }
  out.append(s, from, std::string_view::npos);
  out += '"';
}

}  // namespace casebook
