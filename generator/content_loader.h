// Phase 1, load: reads content/ into a Site. Checks everything that can be
// checked file by file (encoding, size, YAML, schema, ids); cross-file checks
// wait for the link phase.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "diagnostics.h"
#include "site_model.h"

namespace casebook {

// Larger files are not plausible content and would make the Markdown parser's
// known quadratic cases (cmark-gfm 0.29.0.gfm.6) slow.
constexpr size_t kMaxContentFileBytes = 1 << 20;

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

// Whether `url` can serve as the site's published address: http(s), a
// host, and a path of plain segments (no "//", "\\", "?" or "#", which
// could turn the 404 page's absolute links into links to another host).
bool IsValidBaseUrl(const std::string& url);

// Reads a whole content folder. `content_dir` prefixes every path in
// diagnostics, exactly as given.
Site LoadContent(const std::string& content_dir, Diagnostics& diags);

// Warns about every file under content/ that no rule reads and no page
// links to, so that nothing is silently left out of the site.
void ReportStrayFiles(const std::string& content_dir, const std::set<std::string>& linked,
                      Diagnostics& diags);

// Reads one text file for the loader: checks size and UTF-8, drops a BOM and
// turns CRLF into LF. Exposed for the template loader.
std::optional<std::string> ReadTextFile(const std::string& path,
                                        Diagnostics& diags);

}  // namespace casebook
