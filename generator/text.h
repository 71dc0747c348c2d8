// Small string helpers shared by every phase: escaping, UTF-8 checks,
// positions, slugs and ids. No I/O and no dependencies beyond the standard
// library.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace casebook {

// Escapes & < > " ' for use in HTML text and double-quoted attributes.
std::string HtmlEscape(std::string_view s);

// Byte offset of the first invalid UTF-8 sequence, or npos if valid.
size_t FindInvalidUtf8(std::string_view s);

struct LineColumn {
  int line = 1;
  int column = 1;
};
// 1-based line and column (in bytes) of `offset` within `text`.
LineColumn LineColumnAt(std::string_view text, size_t offset);

// Ids name files and anchors, so they are restricted to
// [a-z0-9]+(-[a-z0-9]+)*: nothing else can reach a path.
bool IsValidId(std::string_view id);

// Heading text to an anchor id: ASCII letters lowered, digits kept, other
// ASCII runs become one '-', non-ASCII bytes (letters of other scripts) kept.
std::string Slugify(std::string_view text);

// 32-bit FNV-1a as 8 lowercase hex digits; stable across platforms and runs.
std::string ShortHash(std::string_view s);

bool IsAsciiAlnum(unsigned char c);
std::string AsciiLower(std::string_view s);
std::string Trim(std::string_view s);

}  // namespace casebook
