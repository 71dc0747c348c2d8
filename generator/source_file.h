// Reading one content file: size and encoding checks, line-ending
// normalisation, and the split between YAML front matter and the body.
// Knows nothing about what the fields mean (that is content_loader). Also
// the one checked way to read a file's bytes, for media and assets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "diagnostics.h"

namespace casebook {

// Larger files are not plausible content and would make the Markdown parser's
// known quadratic cases (cmark-gfm 0.29.0.gfm.6) slow.
constexpr size_t kMaxContentFileBytes = 1 << 20;

// Reads one text file for the loader: checks size and UTF-8, drops a BOM and
// turns CRLF into LF. Exposed for the template loader.
std::optional<std::string> ReadTextFile(const std::string& path,
                                        Diagnostics& diags);

// The whole file as bytes. Reports "cannot read: <strerror>" at `path` when
// it cannot be opened or read (a folder, a missing file, an I/O error).
std::optional<std::string> ReadBinaryFile(const std::string& path, Diagnostics& diags);

struct FrontMatterSplit {
  std::string_view yaml;  // without the --- lines
  int yaml_line = 2;      // line of the file on which yaml starts
  std::string_view body;
  int body_line = 1;
};

// Splits "---\n<yaml>---\n<body>". Reports a missing or unclosed block.
std::optional<FrontMatterSplit> SplitFrontMatter(std::string_view text,
                                                 const std::string& path,
                                                 Diagnostics& diags);

// Longer base URLs are refused; real addresses stay far below it.
constexpr size_t kMaxBaseUrlBytes = 2048;

// Why `url` cannot serve as the site's published address, or "" when it
// can: at most kMaxBaseUrlBytes of http(s), a host, an optional port and a
// path of plain segments (no "//", "\\", "?" or "#", which could turn the
// 404 page's absolute links into links to another host). The text
// continues a sentence that starts with the setting's name ("base_url ").
// Linear time and constant stack on any input.
std::string BaseUrlProblem(const std::string& url);

// BaseUrlProblem(url).empty().
bool IsValidBaseUrl(const std::string& url);

}  // namespace casebook
