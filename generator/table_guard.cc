#include "table_guard.h"

#include <string>
#include <vector>

namespace casebook {

namespace {

// Tables are refused above these sizes (see the header); real tables are
// far smaller.
constexpr int kMaxTableColumns = 100;
constexpr long kMaxTableCells = 100000;
// The same padding summed over every table of a fragment.
constexpr long kMaxFragmentTableCells = 200000;

// One line as the block structure sees it: `>` markers and list markers
// stripped (tables may sit in quotes and lists), with the indentation that
// is left (a tab counts as 4).
struct LineShape {
  std::string_view rest;  // from the first character after the markers
  int quotes = 0;
  int indent = 0;         // spaces before `rest`, after the quote markers
  bool list_item = false; // a list marker was stripped
  bool blank() const { return rest.empty(); }
};

LineShape ShapeOf(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  LineShape s;
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  };
  for (size_t mark = 0;; mark = i) {
    skip_spaces();
    if (i < line.size() && line[i] == '>') {
      ++s.quotes;
      ++i;
      if (i < line.size() && line[i] == ' ') ++i;
      continue;
    }
    i = mark;
    break;
  }
  const size_t quote_end = i;
  skip_spaces();
  // List markers: "- ", "* ", "+ ", "1. ", "1) " (nested ones too).
  for (;;) {
    size_t j = i;
    if (j < line.size() && (line[j] == '-' || line[j] == '*' || line[j] == '+')) {
      ++j;
    } else {
      size_t digits = j;
      while (j < line.size() && j - digits < 9 && line[j] >= '0' && line[j] <= '9') ++j;
      if (j == digits || j >= line.size() || (line[j] != '.' && line[j] != ')')) break;
      ++j;
    }
    if (j >= line.size() || (line[j] != ' ' && line[j] != '\t')) break;
    s.list_item = true;
    i = j;
    skip_spaces();
  }
  for (size_t k = quote_end; k < i; ++k) s.indent += line[k] == '\t' ? 4 : 1;
  s.rest = line.substr(i);
  while (!s.rest.empty() && (s.rest.back() == ' ' || s.rest.back() == '\t')) s.rest.remove_suffix(1);
  return s;
}

// The cells of a table row: unescaped pipes split them; a leading and a
// trailing pipe add none.
long CellsOf(std::string_view row) {
  long pipes = 0;
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\') ++i;
    else if (row[i] == '|') ++pipes;
  }
  long cells = pipes + 1;
  if (!row.empty() && row.front() == '|') --cells;
  if (row.size() > 1 && row.back() == '|' && row[row.size() - 2] != '\\') --cells;
  return cells < 1 ? 1 : cells;
}

// A delimiter row: cells of `-`, each with an optional `:` at either end,
// and at least one pipe. Returns its number of cells, or 0.
long DelimiterCells(std::string_view row) {
  if (row.find('|') == std::string_view::npos) return 0;
  long cells = 0;
  size_t i = 0;
  if (i < row.size() && row[i] == '|') ++i;
  while (i < row.size()) {
    while (i < row.size() && (row[i] == ' ' || row[i] == '\t')) ++i;
    if (i < row.size() && row[i] == ':') ++i;
    size_t dashes = i;
    while (i < row.size() && row[i] == '-') ++i;
    if (i == dashes) return 0;
    if (i < row.size() && row[i] == ':') ++i;
    while (i < row.size() && (row[i] == ' ' || row[i] == '\t')) ++i;
    ++cells;
    if (i == row.size()) break;
    if (row[i] != '|') return 0;
    ++i;
  }
  return cells;
}

// "```" or "~~~" (or longer) opening or closing a fenced code block.
bool IsFence(std::string_view rest, char* ch, size_t* len) {
  if (rest.size() < 3 || (rest[0] != '`' && rest[0] != '~')) return false;
  size_t n = 0;
  while (n < rest.size() && rest[n] == rest[0]) ++n;
  if (n < 3) return false;
  *ch = rest[0];
  *len = n;
  return true;
}

}  // namespace

std::optional<TableProblem> OversizedTable(std::string_view source) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < source.size();) {
    size_t end = source.find('\n', start);
    if (end == std::string_view::npos) end = source.size();
    lines.push_back(source.substr(start, end - start));
    start = end + 1;
  }
  std::vector<LineShape> shapes;
  shapes.reserve(lines.size());
  for (std::string_view l : lines) shapes.push_back(ShapeOf(l));
  // Which lines are code (or a fence), so never part of a table.
  std::vector<bool> code(lines.size(), false);
  bool in_fence = false, in_list = false, prev_blank = true, prev_code = false;
  char fence_ch = 0;
  size_t fence_len = 0;
  int fence_quotes = 0, fence_indent = 0;
  for (size_t k = 0; k < shapes.size(); ++k) {
    const LineShape& s = shapes[k];
    char ch;
    size_t len;
    if (in_fence) {
      // A fence ends at its closing fence, or where its container does.
      bool left = s.quotes < fence_quotes || (!s.blank() && s.indent < fence_indent);
      if (!left) {
        code[k] = true;
        if (IsFence(s.rest, &ch, &len) && ch == fence_ch && len >= fence_len &&
            s.rest.find_first_not_of(ch) == std::string_view::npos)
          in_fence = false;
        prev_blank = s.blank();
        continue;
      }
      in_fence = false;
    }
    if (s.blank()) {
      prev_blank = true;
      continue;
    }
    if (s.list_item) in_list = true;
    else if (prev_blank && s.indent == 0) in_list = false;
    if (!s.list_item && s.indent >= 4 && !in_list && (prev_blank || prev_code)) {
      code[k] = prev_code = true;
      prev_blank = false;
      continue;
    }
    prev_code = false;
    prev_blank = false;
    if (s.indent < 4 && IsFence(s.rest, &ch, &len) &&
        (ch == '~' || s.rest.find('`', len) == std::string_view::npos)) {
      code[k] = in_fence = true;
      fence_ch = ch;
      fence_len = len;
      fence_quotes = s.quotes;
      fence_indent = s.indent;
    }
  }
  long fragment_cells = 0;  // padded cells of the tables so far
  for (size_t k = 1; k < shapes.size(); ++k) {
    const LineShape& head = shapes[k - 1];
    if (code[k] || code[k - 1] || head.blank()) continue;
    long columns = DelimiterCells(shapes[k].rest);
    if (columns == 0) continue;
    int head_line = static_cast<int>(k);  // 1-based line of shapes[k - 1]
    int head_column = static_cast<int>(head.rest.data() - lines[k - 1].data()) + 1;
    if (columns > kMaxTableColumns)
      return TableProblem{head_line, head_column,
                          "table has " + std::to_string(columns) + " columns; tables may have at most " +
                              std::to_string(kMaxTableColumns)};
    long cells = 2 * columns;  // header and delimiter
    size_t r = k + 1;
    for (; r < shapes.size() && !code[r] && !shapes[r].blank(); ++r) {
      long row = CellsOf(shapes[r].rest);
      if (row > kMaxTableColumns)
        return TableProblem{static_cast<int>(r) + 1, 1,
                            "table row has " + std::to_string(row) +
                                " cells; tables may have at most " +
                                std::to_string(kMaxTableColumns) + " columns"};
      cells += std::max(row, columns);
    }
    if (cells > kMaxTableCells)
      return TableProblem{head_line, head_column,
                          "table has " + std::to_string(r - k - 1) + " rows of " +
                              std::to_string(columns) + " columns (" + std::to_string(cells) +
                              " cells); tables may have at most " +
                              std::to_string(kMaxTableCells) + " cells"};
    fragment_cells += cells;
    if (fragment_cells > kMaxFragmentTableCells)
      return TableProblem{head_line, head_column,
                          "tables on this page would have " + std::to_string(fragment_cells) +
                              " cells once padded; at most " +
                              std::to_string(kMaxFragmentTableCells)};
    k = r;
  }
  return std::nullopt;
}

}  // namespace casebook
