// Checks the names a Mustache template uses against the shape of the data
// its pages get, so that a typo or a field of another page kind is an
// error at its file:line:col rather than an empty spot in the output.
//
// Names resolve as Mustache resolves them: the first part of `a.b` in the
// innermost section that has it, then outwards; later parts inside it.
// Partials are checked where they are included, against the data there.
// Pure; no I/O.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"

namespace casebook {

// The names a template may use: a tree of fields, as its page data has
// them. Written as a spec such as "title url items{key text}".
struct DataShape {
  std::string name;
  std::vector<DataShape> fields;
  const DataShape* Find(std::string_view field) const;
};

// Parses a shape spec: names separated by spaces, a name's own fields in
// braces right after it. A malformed spec is a bug in the caller (aborts).
DataShape ParseShape(std::string_view spec);
// Adds every name in `shape`, at any depth, to `names`.
void CollectNames(const DataShape& shape, std::set<std::string>& names);

// How deep partials may include each other.
constexpr size_t kMaxPartialDepth = 8;

struct TemplateSource {
  std::string path;
  std::string text;
};

// One {{tag}} of a template.
struct Tag {
  size_t begin = 0, end = 0;  // byte range of the whole tag
  char sigil = 0;             // # ^ / & > ! or 0 for a plain variable
  std::string name;           // trimmed
};
// The tags of `text`, in order. REQUIRES: kainjow accepted the text (so
// every tag is closed).
std::vector<Tag> ScanTags(std::string_view text);

// Reports every tag of `page` (and of the partials it includes, found in
// `partials` by name) that names data `shape` does not have. A problem in a
// partial included twice is reported once. Returns false on any error.
bool CheckTemplateNames(const TemplateSource& page, const DataShape& shape,
                        const std::map<std::string, TemplateSource>& partials,
                        Diagnostics& diags);

}  // namespace casebook
