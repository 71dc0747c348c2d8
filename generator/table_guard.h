// Guards cmark-gfm against tables it cannot parse in bounded time and
// memory. cmark-gfm 0.29.0.gfm.6 pads every row of a table to the header's
// width and parses every cell of a row, so a 22 KB file (a 1,000-column
// header over 10,000 one-cell rows) took 2.4 GB and over 10 s; a hundred
// tables just under a per-table cap took 10 s and 2.7 GB. Pure; no cmark.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace casebook {

struct TableProblem {
  int line = 0;    // 1-based, in the fragment
  int column = 1;
  std::string message;
};

// The first table of a Markdown fragment too big to give cmark-gfm, found
// by a cheap line scan: a delimiter row under a non-blank line, then its
// rows up to a blank line. Fenced and indented code is skipped. Where the
// scan cannot tell code from a table it counts the lines as a table:
// refusing a table shown in odd code is better than handing cmark one that
// blows up. Linear in the fragment's length.
std::optional<TableProblem> OversizedTable(std::string_view source);

}  // namespace casebook
