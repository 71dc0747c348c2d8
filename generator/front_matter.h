// Phase 1, load: the content schema. Turns the YAML tree of one file (or of
// one glossary entry) into the model and reports every field that breaks
// the schema, at its position. Pure functions: no file access, so tests feed
// them from strings. The folder walk, ids from file names and checks across
// files belong to content_loader.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"
#include "site_model.h"
#include "yaml_reader.h"

namespace casebook {

// The values a case study's `serving` may list, in the order pages show them.
inline const std::vector<std::string> kServingModes = {"batch", "online", "streaming"};
// A column of the comparison page that each case study fills with a line
// of text: its name, which a step's `compare` may claim, and that text.
// (Metrics and the headline scale number are columns of their own.)
struct CompareColumn {
  const char* name;
  const char* title;  // its heading on the comparison and case pages
  std::string (*text)(const CaseStudy&);
};
const std::vector<CompareColumn>& CompareColumns();

// Limits of the cheat-sheet fields, in characters of source text (Unicode
// code points). They are what was measured to fit: the video case study's
// sheet with every one of these fields at its limit and a 60 mm diagram
// prints on one page of A4 and of US Letter. What they cannot bound (long
// failure modes, many long checklist items) tests/browser/sheets.test.mjs
// catches on the real site. Going past one is an error at the item.
inline constexpr size_t kSheetProblemChars = 120;   // sheet.problem
inline constexpr size_t kSheetItemChars = 96;       // each decision and probe
inline constexpr size_t kSheetDecisions = 4;        // per step
inline constexpr size_t kSheetDecisionsTotal = 17;  // over all steps
inline constexpr size_t kSheetProbes = 3;
inline constexpr size_t kSheetScaleRows = 5;  // scale rows with `sheet: true`
inline constexpr size_t kShortChars = 80;     // a checklist item's `short`
inline constexpr long kMaxInterviewMinutes = 240;  // an interview length in a step's `budget`
// The sheet shows the first this many failure modes (failure, mitigation).
inline constexpr size_t kSheetFailureModes = 3;

// Characters (code points) of UTF-8 text, as the limits count them.
size_t CharCount(std::string_view s);

// A Markdown fragment holding scalar `n`'s text, placed where that text
// sits in its file. `inline_only` for one-line texts such as list items.
// REQUIRES: n.kind == YamlNode::Kind::kScalar.
Fragment FragmentOf(const YamlNode& n, bool inline_only);

// The Markdown field `key` of `r`'s map; an empty fragment when it is
// absent or not text. Reports at most one diagnostic (see
// MapReader::Scalar).
Fragment MarkdownField(MapReader& r, std::string_view key, bool required, bool inline_only);

// REQUIRES for the readers below: the node is a map (a file's front matter,
// site.yaml, or one glossary entry). Each fills only what the YAML says;
// ids and paths come from file names and are the caller's.

// site.yaml. An absent `id` is made from the title.
void ReadSiteConfig(const YamlNode& root, SiteConfig& config, Diagnostics& diags);
// pages/<id>.md: title and summary.
void ReadFreePage(const YamlNode& fm, FreePage& page, Diagnostics& diags);
// framework/NN-<id>.md: title, summary, time, checklist (id, text, why,
// short), mistakes, compare.
// A column named twice in one step is reported here; a column claimed by
// two steps is a check across files (content_loader).
void ReadStep(const YamlNode& fm, Step& step, Diagnostics& diags);
// case-studies/<id>.md: everything but the body. The step ids that
// `sheet.decisions` names are checked against the framework by the loader.
void ReadCase(const YamlNode& fm, CaseStudy& cs, Diagnostics& diags);
// One entry of glossary.yaml.
void ReadTerm(const YamlNode& entry, Term& term, Diagnostics& diags);

}  // namespace casebook
