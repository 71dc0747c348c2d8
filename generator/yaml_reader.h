// YAML in, a plain tree out. The only file that includes yaml-cpp.
//
// yaml-cpp 0.7 accepts duplicate keys silently, expands aliases into shared
// (possibly cyclic) nodes and can loop forever in LoadAll, so we do not use its
// Node API: we drive its event parser ourselves and build our own tree, which
// lets us reject what content must not contain.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "diagnostics.h"

namespace casebook {

struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  SourceLocation at;   // where the node's text starts
  std::string scalar;  // kScalar
  bool quoted = false; // '...' or "..." (so `yes` and "yes" can differ)
  bool block = false;  // | or > block scalar: the text starts on the next line
  // Where a scalar's text sits in the file, for Markdown fields that report
  // positions inside it. text_column is the column of its first character:
  // past an opening quote; for a block scalar, that of the | or > itself.
  // block_indent is the indentation of the line after a block's indicator.
  int text_column = 0;
  int block_indent = 0;
  // The text appears verbatim at its position: no line folding, no escapes.
  // `|` blocks are exact, `>` blocks are not (their lines are joined).
  bool exact = false;
  struct Entry;                  // one `key: value` (below)
  std::vector<YamlNode> items;   // kSequence
  std::vector<Entry> entries;    // kMap, in the file's order

  // The value for `key` in a map, or nullptr.
  const YamlNode* Find(std::string_view key) const;
};

// Named like std::pair's members, which it replaces: a
// std::pair<YamlNode, YamlNode> inside YamlNode makes the standard library
// ask whether YamlNode is default-constructible while YamlNode is still
// incomplete, which clang rejects. This struct is complete before any
// member of the vector is needed.
struct YamlNode::Entry {
  Entry(YamlNode key, YamlNode value) : first(std::move(key)), second(std::move(value)) {}
  YamlNode first;   // the key
  YamlNode second;  // the value
};

const char* KindName(YamlNode::Kind kind);

// Parses exactly one YAML document. `first_line` is the line of the file on
// which `text` starts. Reports syntax errors, duplicate keys, anchors and
// aliases, merge keys, extra documents and deep nesting. Returns nullopt
// only when the text could not be read as YAML at all; after a duplicate
// key (the first one wins) or an alias (read as null) the tree is still
// returned, so that one run reports every problem.
std::optional<YamlNode> ParseYaml(std::string_view text,
                                  const std::string& path, int first_line,
                                  Diagnostics& diags);

// ParseYaml of a text that is one block list at column 0 (the glossary),
// its items parsed on up to `jobs` threads: the same tree and diagnostics.
// A text of another shape, or an item that has anything to report on its
// own, is parsed whole.
std::optional<YamlNode> ParseYamlList(std::string_view text, const std::string& path,
                                      int first_line, int jobs, Diagnostics& diags);

// The trees of the YAML texts one build of a process read (`casebook
// serve`), by file, line and text, so that the next build parses only the
// texts that changed: yaml-cpp's scanner was a fifth of a rebuild. Only
// texts that parsed without a diagnostic are kept (a hit has nothing to
// report), and each build keeps only the texts it read. Parse may be called
// from several threads at once; EndBuild and moves may not.
class YamlCache {
 public:
  YamlCache() = default;
  YamlCache(YamlCache&& other) noexcept : entries_(std::move(other.entries_)) {}
  YamlCache& operator=(YamlCache&& other) noexcept {
    entries_ = std::move(other.entries_);
    return *this;
  }

  // ParseYaml through the cache.
  std::optional<YamlNode> Parse(std::string_view text, const std::string& path, int first_line,
                                Diagnostics& diags);
  // Parse for a text that is one block list at column 0 (the glossary:
  // every line there starts an item with "- ", or is blank or a comment).
  // Its items are parsed and kept one by one, so that an edit to one term
  // parses only that term, wherever it moved. The tree is the one Parse
  // gives; a text of another shape, or an item that has anything to report
  // on its own, is parsed whole by Parse.
  // Items are parsed on up to `jobs` threads.
  std::optional<YamlNode> ParseList(std::string_view text, const std::string& path,
                                    int first_line, Diagnostics& diags, int jobs = 1);
  // Forgets the texts no Parse asked for since the last EndBuild.
  void EndBuild();

  // The entries as text (for the disk cache, disk_cache.h), and their
  // reading back: Read adds every entry of `text` from `at`, where Write
  // left it, and returns false (adding none) at anything malformed.
  void Write(std::string& out) const;
  bool Read(const std::string& text, size_t& at);
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    YamlNode node;
    bool used = false;
  };
  std::mutex mutex_;  // guards entries_ during Parse; a text is parsed outside it
  std::unordered_map<std::string, Entry> entries_;
};

// Reads the fields of one YAML map against a schema: unknown keys are
// reported (with a suggestion) on construction, and each accessor reports
// missing or mistyped values at their position.
class MapReader {
 public:
  MapReader(const YamlNode& map, std::vector<std::string> known,
            Diagnostics& diags);

  bool Has(std::string_view key) const { return map_.Find(key) != nullptr; }
  const YamlNode* Get(std::string_view key) const { return map_.Find(key); }
  const SourceLocation& at() const { return map_.at; }
  // Where a key's value is, or the map itself when the key is absent.
  SourceLocation LocationOf(std::string_view key) const;

  // The value of `key` when it is a single value, else nullptr. Reports,
  // once: a missing required field, a value that is not text, and a
  // required field left empty (that node is still returned).
  const YamlNode* Scalar(std::string_view key, bool required);
  // Scalar's text, or "" when there is none.
  std::string String(std::string_view key, bool required);
  std::optional<long> Int(std::string_view key, bool required);
  // An unquoted `true` or `false`; anything else is reported.
  std::optional<bool> Bool(std::string_view key, bool required);
  std::string Enum(std::string_view key, const std::vector<std::string>& values,
                   bool required);
  // A list of scalars; each comes with its location.
  std::vector<std::pair<std::string, SourceLocation>> StringList(
      std::string_view key, bool required);
  // A list of maps (or an empty list when absent and not required).
  std::vector<const YamlNode*> MapList(std::string_view key, bool required);

 private:
  const YamlNode* Required(std::string_view key, bool required);
  const YamlNode& map_;
  Diagnostics& diags_;
};

}  // namespace casebook
