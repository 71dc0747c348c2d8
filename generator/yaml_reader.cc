#include "yaml_reader.h"

#include <algorithm>
#include <sstream>
#include <unordered_map>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "parallel.h"

namespace casebook {

const YamlNode* YamlNode::Find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k.kind == Kind::kScalar && k.scalar == key) return &v;
  return nullptr;
}

const char* KindName(YamlNode::Kind kind) {
  switch (kind) {
    case YamlNode::Kind::kNull: return "nothing";
    case YamlNode::Kind::kScalar: return "a single value";
    case YamlNode::Kind::kSequence: return "a list";
    case YamlNode::Kind::kMap: return "a mapping";
  }
  return "?";
}

namespace {

// Content never nests deeply; a low cap keeps every walk cheap.
constexpr size_t kMaxDepth = 32;

// Thrown out of the event handler to stop parsing once nesting is too deep
// (already reported).
struct TooDeep {};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view text, const std::string& path, int first_line,
              Diagnostics& diags)
      : text_(text), path_(path), first_line_(first_line), diags_(diags) {
    // Once per document, so that placing a scalar never rescans the text.
    line_starts_.push_back(0);
    for (size_t i = 0; i < text_.size(); ++i)
      if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }

  std::optional<YamlNode> TakeRoot() { return std::move(root_); }
  bool failed() const { return failed_; }

  SourceLocation Where(const YAML::Mark& m) const {
    if (m.is_null()) return {path_, first_line_, 0};
    return {path_, first_line_ + m.line, m.column + 1};
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    CheckAnchor(mark, anchor);
    YamlNode n;
    n.at = Where(mark);
    Add(std::move(n));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    Report(mark, "YAML aliases (*name) are not supported; repeat the value");
    YamlNode n;
    n.at = Where(mark);
    Add(std::move(n));
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag,
                YAML::anchor_t anchor, const std::string& value) override {
    CheckAnchor(mark, anchor);
    YamlNode n;
    n.kind = YamlNode::Kind::kScalar;
    n.at = Where(mark);
    n.scalar = value;
    // yaml-cpp tags plain scalars "?" and quoted or block ones "!".
    n.quoted = tag == "!";
    if (mark.pos >= 0 && static_cast<size_t>(mark.pos) < text_.size()) {
      char c = text_[static_cast<size_t>(mark.pos)];
      n.block = c == '|' || c == '>';
    }
    if (!tag.empty() && tag != "?" && tag != "!")
      Report(mark, "YAML tags (" + tag + ") are not supported");
    if (n.block) n.quoted = true;
    if (n.quoted && !n.block) CheckClosingQuote(mark);
    PlaceText(mark, n);
    Add(std::move(n));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&,
                       YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    Open(mark, anchor, YamlNode::Kind::kSequence);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&,
                  YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    Open(mark, anchor, YamlNode::Kind::kMap);
  }
  void OnMapEnd() override { Close(); }

  // A syntax-level problem: the tree is not usable.
  void Fail(const YAML::Mark& mark, std::string message) {
    diags_.Error(Where(mark), std::move(message));
    failed_ = true;
  }
  // A problem with an otherwise usable tree (duplicate key, alias): report
  // it and keep going, so the schema check can report its own errors too.
  void Report(const YAML::Mark& mark, std::string message) {
    diags_.Error(Where(mark), std::move(message));
  }

 private:
  struct Open_ {
    YamlNode node;
    std::optional<YamlNode> pending_key;  // maps: key waiting for its value
  };

  // The 0-based `line` of the text, without its newline; empty past the end.
  std::string_view Line(int line) const {
    if (line < 0 || static_cast<size_t>(line) >= line_starts_.size()) return {};
    // The end comes from the next line's start, not a search: a flow
    // sequence of 300,000 scalars on one line spent seconds in memchr.
    size_t next = static_cast<size_t>(line) + 1;
    size_t start = line_starts_[static_cast<size_t>(line)];
    size_t end = next < line_starts_.size() ? line_starts_[next] - 1 : text_.size();
    return text_.substr(start, end - start);
  }

  // `s` from byte `from` on; empty when `from` is outside it.
  static std::string_view Tail(std::string_view s, size_t from) {
    return from > s.size() ? std::string_view() : s.substr(from);
  }

  // Fills text_column, block_indent and exact of scalar `n` (see YamlNode).
  // Columns are yaml-cpp's, which count bytes from the start of the line.
  void PlaceText(const YAML::Mark& mark, YamlNode& n) const {
    n.text_column = n.at.column;
    // A null mark (line and column -1) finds no line: its text reads as empty.
    std::string_view rest = Tail(Line(mark.line), static_cast<size_t>(mark.column));
    if (n.block) {
      std::string_view next = Line(mark.line + 1);
      size_t indent = next.find_first_not_of(' ');
      n.block_indent = static_cast<int>(indent == std::string_view::npos ? next.size() : indent);
      n.exact = rest.substr(0, 1) == "|";  // `>` joins its lines
      return;
    }
    // Exact only when the value is written out on its line as it reads: no
    // line folding, no escapes, and (quoted) the same quote right after it.
    size_t q = n.quoted ? 1 : 0;
    n.exact = Tail(rest, q).substr(0, n.scalar.size()) == n.scalar &&
              (q == 0 || Tail(rest, q + n.scalar.size()).substr(0, 1) == rest.substr(0, 1));
    n.text_column += static_cast<int>(q);  // past the opening quote
  }

  // Whether a line of `span` after its first starts with a key: a name
  // ([A-Za-z_][A-Za-z0-9_-]*), ':' and then a space, a line break or the
  // end of the span. One pass, no recursion: a regex overflowed the stack
  // on long lines.
  static bool HasKeyLine(std::string_view span) {
    auto is_start = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
    auto is_name = [&](char c) { return is_start(c) || (c >= '0' && c <= '9') || c == '-'; };
    for (size_t nl = span.find('\n'); nl != std::string_view::npos; nl = span.find('\n', nl + 1)) {
      size_t j = nl + 1;
      if (j >= span.size() || !is_start(span[j])) continue;
      while (j < span.size() && is_name(span[j])) ++j;
      if (j < span.size() && span[j] == ':' &&
          (j + 1 == span.size() || span[j + 1] == ' ' || span[j + 1] == '\n'))
        return true;
    }
    return false;
  }

  // yaml-cpp lets an unclosed quote swallow the lines after it
  // ('title: "x' then 'summary: y' reads as one title). A quoted value
  // that spans a line starting with "key:" almost surely lost its quote.
  void CheckClosingQuote(const YAML::Mark& mark) {
    if (mark.pos < 0 || static_cast<size_t>(mark.pos) >= text_.size()) return;
    size_t i = static_cast<size_t>(mark.pos);
    char quote = text_[i];
    if (quote != '"' && quote != '\'') return;
    size_t end = i + 1;
    for (; end < text_.size(); ++end) {
      if (quote == '"' && text_[end] == '\\') { ++end; continue; }
      if (text_[end] != quote) continue;
      if (quote == '\'' && end + 1 < text_.size() && text_[end + 1] == '\'') { ++end; continue; }
      break;
    }
    if (HasKeyLine(text_.substr(i, end - i)))
      Report(mark, "this quoted value runs on into the next field; is its closing quote missing?");
  }

  void CheckAnchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor)
      Report(mark, "YAML anchors (&name) are not supported; repeat the value");
  }

  void Open(const YAML::Mark& mark, YAML::anchor_t anchor, YamlNode::Kind kind) {
    CheckAnchor(mark, anchor);
    if (stack_.size() >= kMaxDepth) {
      Fail(mark, "YAML nested more than " + std::to_string(kMaxDepth) +
                     " levels deep");
      throw TooDeep{};
    }
    Open_ o;
    o.node.kind = kind;
    o.node.at = Where(mark);
    stack_.push_back(std::move(o));
  }

  void Close() {
    YamlNode done = std::move(stack_.back().node);
    stack_.pop_back();
    if (done.kind == YamlNode::Kind::kMap) CheckKeys(done);
    Add(std::move(done));
  }

  void CheckKeys(const YamlNode& map) {
    // Each key's first occurrence, looked up in O(1): comparing every key
    // with all earlier ones made a 60,000-key map take seconds.
    std::unordered_map<std::string_view, const YamlNode*> first;
    first.reserve(map.entries.size());
    for (size_t i = 0; i < map.entries.size(); ++i) {
      const YamlNode& key = map.entries[i].first;
      if (key.kind != YamlNode::Kind::kScalar) {
        diags_.Error(key.at, "mapping keys must be plain words");
        continue;
      }
      if (key.scalar == "<<" && !key.quoted)
        diags_.Error(key.at, "YAML merge keys (<<) are not supported");
      auto [earlier, fresh] = first.emplace(key.scalar, &key);
      if (!fresh)
        diags_.Error(key.at, "duplicate key '" + key.scalar +
                                 "' (first defined at line " +
                                 std::to_string(earlier->second->at.line) + ")");
    }
  }

  void Add(YamlNode n) {
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Open_& top = stack_.back();
    if (top.node.kind == YamlNode::Kind::kSequence) {
      top.node.items.push_back(std::move(n));
    } else if (!top.pending_key) {
      top.pending_key = std::move(n);
    } else {
      top.node.entries.emplace_back(std::move(*top.pending_key), std::move(n));
      top.pending_key.reset();
    }
  }

  std::string_view text_;
  std::vector<size_t> line_starts_;  // byte offset of each line of text_
  const std::string& path_;
  int first_line_;
  Diagnostics& diags_;
  std::vector<Open_> stack_;
  std::optional<YamlNode> root_;
  bool failed_ = false;
};

// yaml-cpp messages are lower-case phrases ("end of map not found"); keep
// them, but say what usually causes the most common ones.
std::string Explain(const std::string& msg) {
  if (msg == "illegal map value")
    return msg + " (a value with ':' may need quotes, or the indentation is off)";
  if (msg.find("tab") != std::string::npos)
    return msg + " (indent YAML with spaces, not tabs)";
  return msg;
}

}  // namespace

std::optional<YamlNode> ParseYaml(std::string_view text, const std::string& path,
                                  int first_line, Diagnostics& diags) {
  std::string copy(text);
  std::istringstream in(copy);
  TreeBuilder builder(text, path, first_line, diags);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder)) {
      YamlNode empty;
      empty.at = {path, first_line, 1};
      return empty;
    }
    // Exactly one more call: LoadAll-style loops can spin forever on some
    // malformed input in yaml-cpp 0.7, a bounded check cannot.
    TreeBuilder extra(text, path, first_line, diags);
    if (parser.HandleNextDocument(extra)) {
      diags.Error({path, first_line, 1},
                  "more than one YAML document ('---' inside the YAML)");
      return std::nullopt;
    }
  } catch (const TooDeep&) {
    return std::nullopt;
  } catch (const YAML::DeepRecursion& e) {
    if (!builder.failed()) builder.Fail(e.mark, "YAML nested too deeply");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    builder.Fail(e.mark, "invalid YAML: " + Explain(e.msg));
    return std::nullopt;
  }
  if (builder.failed()) return std::nullopt;
  return builder.TakeRoot();
}

MapReader::MapReader(const YamlNode& map, std::vector<std::string> known,
                     Diagnostics& diags)
    : map_(map), diags_(diags) {
  for (const auto& [key, value] : map.entries) {
    bool ok = false;
    for (const std::string& k : known) ok = ok || k == key.scalar;
    if (!ok)
      diags_.Error(key.at, "unknown field '" + key.scalar + "'" +
                               DidYouMean(key.scalar, known));
  }
}

SourceLocation MapReader::LocationOf(std::string_view key) const {
  const YamlNode* n = map_.Find(key);
  return n ? n->at : map_.at;
}

const YamlNode* MapReader::Required(std::string_view key, bool required) {
  const YamlNode* n = map_.Find(key);
  if (!n && required)
    diags_.Error(map_.at, "missing required field '" + std::string(key) + "'");
  return n;
}

const YamlNode* MapReader::Scalar(std::string_view key, bool required) {
  const YamlNode* n = Required(key, required);
  if (!n) return nullptr;
  if (n->kind != YamlNode::Kind::kScalar) {
    diags_.Error(n->at, "field '" + std::string(key) + "' must be text, not " +
                            KindName(n->kind));
    return nullptr;
  }
  if (required && n->scalar.empty())
    diags_.Error(n->at, "field '" + std::string(key) + "' must not be empty");
  return n;
}

std::string MapReader::String(std::string_view key, bool required) {
  const YamlNode* n = Scalar(key, required);
  return n ? n->scalar : "";
}

std::optional<long> MapReader::Int(std::string_view key, bool required) {
  const YamlNode* n = Required(key, required);
  if (!n) return std::nullopt;
  const std::string& s = n->scalar;
  bool digits = n->kind == YamlNode::Kind::kScalar && !n->quoted &&
                !s.empty() && s.size() <= 9 &&
                s.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    diags_.Error(n->at, "field '" + std::string(key) +
                            "' must be a whole number, not '" + s + "'");
    return std::nullopt;
  }
  return std::stol(s);
}

std::optional<bool> MapReader::Bool(std::string_view key, bool required) {
  const YamlNode* n = Required(key, required);
  if (!n) return std::nullopt;
  bool scalar = n->kind == YamlNode::Kind::kScalar;
  bool word = scalar && (n->scalar == "true" || n->scalar == "false");
  if (word && !n->quoted) return n->scalar == "true";
  std::string what = scalar ? "'" + n->scalar + "'" : KindName(n->kind);
  // "true" in quotes is text in YAML; say so rather than leave it a riddle.
  if (word) what += " in quotes (remove them)";
  diags_.Error(n->at, "field '" + std::string(key) + "' must be true or false, not " + what);
  return std::nullopt;
}

std::string MapReader::Enum(std::string_view key,
                            const std::vector<std::string>& values,
                            bool required) {
  std::string s = String(key, required);
  if (s.empty()) return s;
  for (const std::string& v : values)
    if (v == s) return s;
  std::string list;
  for (const std::string& v : values) list += (list.empty() ? "" : ", ") + v;
  diags_.Error(LocationOf(key), "field '" + std::string(key) + "' is '" + s +
                                    "'; expected one of: " + list +
                                    DidYouMean(s, values));
  return "";
}

std::vector<std::pair<std::string, SourceLocation>> MapReader::StringList(
    std::string_view key, bool required) {
  std::vector<std::pair<std::string, SourceLocation>> out;
  const YamlNode* n = Required(key, required);
  if (!n) return out;
  if (n->kind != YamlNode::Kind::kSequence) {
    diags_.Error(n->at, "field '" + std::string(key) + "' must be a list, not " +
                            KindName(n->kind));
    return out;
  }
  for (const YamlNode& item : n->items) {
    if (item.kind != YamlNode::Kind::kScalar) {
      diags_.Error(item.at, "items of '" + std::string(key) +
                                "' must be single values, not " +
                                KindName(item.kind));
      continue;
    }
    out.emplace_back(item.scalar, item.at);
  }
  return out;
}

std::vector<const YamlNode*> MapReader::MapList(std::string_view key,
                                                bool required) {
  std::vector<const YamlNode*> out;
  const YamlNode* n = Required(key, required);
  if (!n) return out;
  if (n->kind != YamlNode::Kind::kSequence) {
    diags_.Error(n->at, "field '" + std::string(key) + "' must be a list, not " +
                            KindName(n->kind));
    return out;
  }
  for (const YamlNode& item : n->items) {
    if (item.kind != YamlNode::Kind::kMap)
      diags_.Error(item.at, "items of '" + std::string(key) +
                                "' must be mappings (key: value), not " +
                                KindName(item.kind));
    else
      out.push_back(&item);
  }
  return out;
}

std::optional<YamlNode> YamlCache::Parse(std::string_view text, const std::string& path,
                                         int first_line, Diagnostics& diags) {
  std::string key = path + '\0' + std::to_string(first_line) + '\0';
  key += text;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto hit = entries_.find(key);
    if (hit != entries_.end()) {
      hit->second.used = true;
      return hit->second.node;
    }
  }
  Diagnostics mine;
  std::optional<YamlNode> node = ParseYaml(text, path, first_line, mine);
  if (node && mine.all().empty()) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_[std::move(key)] = {*node, true};
  }
  diags.Append(mine);
  return node;
}

namespace {

// Where each item of a block list at column 0 starts (the first one at 0,
// with any comments before it), or nothing when `text` is not only such a list.
std::vector<size_t> ListItemStarts(std::string_view text) {
  std::vector<size_t> starts;
  for (size_t at = 0; at < text.size();) {
    size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool item = line == "-" || line.rfind("- ", 0) == 0;
    if (item) starts.push_back(starts.empty() ? 0 : at);
    else if (!line.empty() && line[0] != ' ' && line[0] != '#') return {};
    at = end + 1;
  }
  return starts;
}

void ShiftLines(YamlNode& node, int by) {
  node.at.line += by;
  for (YamlNode& item : node.items) ShiftLines(item, by);
  for (YamlNode::Entry& e : node.entries) {
    ShiftLines(e.first, by);
    ShiftLines(e.second, by);
  }
}

// A block list's tree built item by item: each item parsed from line 1 by
// `parse_item` (on up to `jobs` threads), then moved to its line. nullopt
// when the text must be parsed whole instead: it is not such a list, or an
// item has anything to report on its own (an alias across items, say).
template <typename ParseItem>
std::optional<std::optional<YamlNode>> ByItems(std::string_view text, int first_line, int jobs,
                                               ParseItem parse_item) {
  std::vector<size_t> starts = ListItemStarts(text);
  if (starts.size() < 2) return std::nullopt;
  std::vector<std::optional<YamlNode>> nodes(starts.size());
  std::vector<char> ok(starts.size());
  auto item_at = [&](size_t i) {
    size_t end = i + 1 < starts.size() ? starts[i + 1] : text.size();
    return text.substr(starts[i], end - starts[i]);
  };
  ParallelFor(starts.size(), jobs, [&](size_t i) {
    Diagnostics mine;
    nodes[i] = parse_item(item_at(i), mine);
    ok[i] = nodes[i] && mine.all().empty() && nodes[i]->kind == YamlNode::Kind::kSequence &&
            nodes[i]->items.size() == 1;
  });
  if (std::count(ok.begin(), ok.end(), 0) != 0) return std::nullopt;
  std::optional<YamlNode> list;
  int line = first_line;
  for (size_t i = 0; i < starts.size(); ++i) {
    ShiftLines(*nodes[i], line - 1);
    if (!list) list = std::move(nodes[i]);
    else list->items.push_back(std::move(nodes[i]->items[0]));
    std::string_view item = item_at(i);
    line += static_cast<int>(std::count(item.begin(), item.end(), '\n'));
  }
  return list;
}

}  // namespace

std::optional<YamlNode> ParseYamlList(std::string_view text, const std::string& path,
                                      int first_line, int jobs, Diagnostics& diags) {
  auto list = ByItems(text, first_line, jobs, [&](std::string_view item, Diagnostics& mine) {
    return ParseYaml(item, path, 1, mine);
  });
  return list ? std::move(*list) : ParseYaml(text, path, first_line, diags);
}

std::optional<YamlNode> YamlCache::ParseList(std::string_view text, const std::string& path,
                                             int first_line, Diagnostics& diags, int jobs) {
  // Parsed from line 1, so that an item is found again after an edit above
  // it moved it.
  auto list = ByItems(text, first_line, jobs, [&](std::string_view item, Diagnostics& mine) {
    return Parse(item, path, 1, mine);
  });
  return list ? std::move(*list) : Parse(text, path, first_line, diags);
}

namespace {

// A node and its children in the disk cache's format: a line of numbers,
// then the scalar's bytes, then each child. Every node of a cached tree is
// at its text's path (ParseYaml gives them that one), which the entry's
// key holds, so paths are not written.
void WriteNode(const YamlNode& n, std::string& out) {
  out += std::to_string(static_cast<int>(n.kind)) + " " + std::to_string(n.at.line) + " " +
         std::to_string(n.at.column) + " " + std::to_string(n.quoted) + " " +
         std::to_string(n.block) + " " + std::to_string(n.text_column) + " " +
         std::to_string(n.block_indent) + " " + std::to_string(n.exact) + " " +
         std::to_string(n.scalar.size()) + " " + std::to_string(n.items.size()) + " " +
         std::to_string(n.entries.size()) + "\n";
  out += n.scalar;
  for (const YamlNode& item : n.items) WriteNode(item, out);
  for (const YamlNode::Entry& e : n.entries) {
    WriteNode(e.first, out);
    WriteNode(e.second, out);
  }
}

bool AllAt(const YamlNode& n, const std::string& path) {
  if (n.at.path != path) return false;
  for (const YamlNode& item : n.items)
    if (!AllAt(item, path)) return false;
  for (const YamlNode::Entry& e : n.entries)
    if (!AllAt(e.first, path) || !AllAt(e.second, path)) return false;
  return true;
}

// The next space- or newline-ended number at `at`; false when there is none.
bool Number(const std::string& text, size_t& at, long long& out) {
  size_t start = at;
  bool negative = at < text.size() && text[at] == '-';
  if (negative) ++at;
  long long n = 0;
  size_t digits = 0;
  for (; at < text.size() && text[at] >= '0' && text[at] <= '9' && digits < 18; ++at, ++digits)
    n = n * 10 + (text[at] - '0');
  if (digits == 0 || at >= text.size() || (text[at] != ' ' && text[at] != '\n')) {
    at = start;
    return false;
  }
  ++at;
  out = negative ? -n : n;
  return true;
}

constexpr int kMaxCachedDepth = 512;  // deeper than ParseYaml lets a tree be

bool ReadNode(const std::string& text, size_t& at, const std::string& path, int depth,
              YamlNode& n) {
  long long v[11];
  for (long long& x : v)
    if (!Number(text, at, x)) return false;
  if (depth > kMaxCachedDepth || v[0] < 0 || v[0] > 3 || v[8] < 0 ||
      static_cast<unsigned long long>(v[8]) > text.size() - at || v[9] < 0 || v[10] < 0 ||
      static_cast<unsigned long long>(v[9] + v[10]) > text.size() - at)
    return false;
  n.kind = static_cast<YamlNode::Kind>(v[0]);
  n.at = {path, static_cast<int>(v[1]), static_cast<int>(v[2])};
  n.quoted = v[3] != 0;
  n.block = v[4] != 0;
  n.text_column = static_cast<int>(v[5]);
  n.block_indent = static_cast<int>(v[6]);
  n.exact = v[7] != 0;
  n.scalar.assign(text, at, static_cast<size_t>(v[8]));
  at += static_cast<size_t>(v[8]);
  n.items.resize(static_cast<size_t>(v[9]));
  for (YamlNode& item : n.items)
    if (!ReadNode(text, at, path, depth + 1, item)) return false;
  for (long long i = 0; i < v[10]; ++i) {
    YamlNode key, value;
    if (!ReadNode(text, at, path, depth + 1, key) || !ReadNode(text, at, path, depth + 1, value))
      return false;
    n.entries.emplace_back(std::move(key), std::move(value));
  }
  return true;
}

}  // namespace

void YamlCache::Write(std::string& out) const {
  // In key order, so the same texts give the same file.
  std::vector<const std::pair<const std::string, Entry>*> sorted;
  for (const auto& entry : entries_) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : sorted) {
    const std::string& key = entry->first;
    if (!AllAt(entry->second.node, key.substr(0, key.find('\0')))) continue;
    out += "y " + std::to_string(key.size()) + "\n";
    out += key;
    WriteNode(entry->second.node, out);
  }
}

bool YamlCache::Read(const std::string& text, size_t& at) {
  std::unordered_map<std::string, Entry> read;
  while (text.compare(at, 2, "y ") == 0) {
    at += 2;
    long long size = 0;
    if (!Number(text, at, size) || size < 0 || static_cast<unsigned long long>(size) > text.size() - at)
      return false;
    std::string key = text.substr(at, static_cast<size_t>(size));
    at += static_cast<size_t>(size);
    size_t nul = key.find('\0');
    if (nul == std::string::npos) return false;
    Entry e;
    if (!ReadNode(text, at, key.substr(0, nul), 0, e.node)) return false;
    read[std::move(key)] = std::move(e);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, e] : read) entries_.insert_or_assign(key, std::move(e));
  return true;
}

void YamlCache::EndBuild() {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!it->second.used) {
      it = entries_.erase(it);
    } else {
      it->second.used = false;
      ++it;
    }
  }
}

}  // namespace casebook
