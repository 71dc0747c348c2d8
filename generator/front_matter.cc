#include "front_matter.h"

#include <algorithm>
#include <set>

#include "source_file.h"
#include "text.h"

namespace casebook {

Fragment FragmentOf(const YamlNode& n, bool inline_only) {
  Fragment f;
  f.source = n.scalar;
  f.at = n.at;
  f.at.column = n.text_column;
  f.block = n.block;
  f.indent = n.block ? n.block_indent : 0;
  f.exact = n.exact;
  f.is_inline = inline_only;
  return f;
}

size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count lead bytes only
  return n;
}

namespace {

// Reports `text` (at `at`) when it is longer than `max` characters.
void CheckLength(const std::string& what, const std::string& text, size_t max,
                 const SourceLocation& at, Diagnostics& diags) {
  size_t n = CharCount(text);
  if (n > max)
    diags.Error(at, what + " is " + std::to_string(n) + " characters long; a cheat sheet allows " +
                        std::to_string(max) + " (shorten it)");
}

}  // namespace

Fragment MarkdownField(MapReader& r, std::string_view key, bool required, bool inline_only) {
  const YamlNode* n = r.Scalar(key, required);
  return n ? FragmentOf(*n, inline_only) : Fragment();
}

namespace {

std::vector<IdRef> Ids(MapReader& r, std::string_view key) {
  std::vector<IdRef> out;
  for (auto& [id, at] : r.StringList(key, false)) out.push_back({id, at});
  return out;
}

std::string JoinList(const std::vector<std::string>& values) {
  std::string list;
  for (const std::string& v : values) list += (list.empty() ? "" : ", ") + v;
  return list;
}

// The items of list field `key` that are among `allowed`, each once, in the
// order written. Unknown values (with a suggestion) and repeats are reported
// at the item.
std::vector<IdRef> KnownValues(MapReader& r, std::string_view key,
                               const std::vector<std::string>& allowed, Diagnostics& diags) {
  std::vector<IdRef> out;
  std::set<std::string> seen;
  std::string field = "field '" + std::string(key) + "' lists '";
  for (auto& [value, at] : r.StringList(key, false)) {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end())
      diags.Error(at, field + value + "'; expected one of: " + JoinList(allowed) +
                          DidYouMean(value, allowed));
    else if (!seen.insert(value).second)
      diags.Error(at, field + value + "' twice");
    else
      out.push_back({value, at});
  }
  return out;
}

Question ReadQuestion(const YamlNode& node, Diagnostics& diags) {
  MapReader qr(node, {"q", "a"}, diags);
  Question q;
  q.question = MarkdownField(qr, "q", true, true);
  q.answer = MarkdownField(qr, "a", true, false);
  return q;
}

// `budget:` on a step: a map from interview length to this step's minutes,
// both whole minutes ({45: 6, 60: 7}).
void ReadBudget(const YamlNode& node, Step& step, Diagnostics& diags) {
  step.budget_at = node.at;
  if (node.kind != YamlNode::Kind::kMap) {
    diags.Error(node.at, "'budget' must map interview minutes to this step's minutes, "
                         "like {45: 6, 60: 7}");
    return;
  }
  auto minutes = [](const YamlNode& n, long max) -> long {
    // Digits only, no leading zero: "045" is not another way to write 45.
    if (n.kind != YamlNode::Kind::kScalar || n.quoted || n.scalar.empty() ||
        n.scalar.size() > 3 || n.scalar[0] == '0' ||
        n.scalar.find_first_not_of("0123456789") != std::string::npos)
      return 0;
    long v = std::stol(n.scalar);
    return v >= 1 && v <= max ? v : 0;
  };
  for (const YamlNode::Entry& e : node.entries) {
    long length = minutes(e.first, kMaxInterviewMinutes);
    if (length == 0) {
      diags.Error(e.first.at, "an interview length in 'budget' must be whole minutes from 1 to " +
                                  std::to_string(kMaxInterviewMinutes));
      continue;
    }
    long own = minutes(e.second, length);
    if (own == 0) {
      diags.Error(e.second.at, "the step's minutes in a " + std::to_string(length) +
                                   "-minute interview must be whole minutes from 1 to " +
                                   std::to_string(length));
      continue;
    }
    step.budget[static_cast<int>(length)] = static_cast<int>(own);
  }
}

}  // namespace

void ReadSiteConfig(const YamlNode& root, SiteConfig& c, Diagnostics& diags) {
  MapReader r(root, {"id", "title", "description", "base_url", "repository", "language"}, diags);
  c.title = r.String("title", true);
  c.description = r.String("description", false);
  c.id = r.String("id", false);
  if (c.id.empty()) c.id = Slugify(c.title);
  else if (!IsValidId(c.id))
    diags.Error(r.LocationOf("id"), "'" + c.id + "' is not a valid id");
  if (r.Has("language")) c.language = r.String("language", true);
  c.base_url = r.String("base_url", false);
  if (!c.base_url.empty()) {
    std::string problem = BaseUrlProblem(c.base_url);
    if (!problem.empty()) diags.Error(r.LocationOf("base_url"), "base_url " + problem);
    if (c.base_url.back() != '/') c.base_url += '/';
  }
  c.repository = r.String("repository", false);
  if (!c.repository.empty() && c.repository.rfind("https://", 0) != 0)
    diags.Error(r.LocationOf("repository"), "repository must start with https://");
}

void ReadFreePage(const YamlNode& fm, FreePage& page, Diagnostics& diags) {
  MapReader r(fm, {"title", "summary"}, diags);
  page.title = r.String("title", true);
  page.summary = r.String("summary", false);
}

void ReadStep(const YamlNode& fm, Step& step, Diagnostics& diags) {
  MapReader r(fm, {"title", "summary", "time", "checklist", "mistakes", "compare", "questions",
                   "budget"},
              diags);
  step.title = r.String("title", true);
  step.summary = r.String("summary", true);
  step.time = r.String("time", false);
  std::set<std::string> seen;
  for (const YamlNode* item : r.MapList("checklist", true)) {
    MapReader ir(*item, {"id", "text", "why", "short"}, diags);
    ChecklistItem ci;
    ci.id = ir.String("id", true);
    ci.at = item->at;
    if (!ci.id.empty() && !IsValidId(ci.id))
      diags.Error(ir.LocationOf("id"), "'" + ci.id + "' is not a valid id");
    else if (!ci.id.empty() && !seen.insert(ci.id).second)
      diags.Error(ir.LocationOf("id"), "duplicate checklist id '" + ci.id + "'");
    ci.text = MarkdownField(ir, "text", true, true);
    ci.why = MarkdownField(ir, "why", false, false);
    ci.brief = MarkdownField(ir, "short", false, true);
    if (!ci.brief.empty())
      CheckLength("'short'", ci.brief.source, kShortChars, ir.LocationOf("short"), diags);
    step.checklist.push_back(std::move(ci));
  }
  if (const YamlNode* m = r.Get("mistakes")) {
    r.StringList("mistakes", false);  // reports what is not a list of texts
    for (const YamlNode& item : m->items)
      if (item.kind == YamlNode::Kind::kScalar) step.mistakes.push_back(FragmentOf(item, true));
  }
  std::vector<std::string> columns;
  for (const CompareColumn& c : CompareColumns()) columns.push_back(c.name);
  for (auto& [column, at] : KnownValues(r, "compare", columns, diags)) {
    step.compare.push_back(column);
    step.compare_at.push_back(at);
  }
  for (const YamlNode* q : r.MapList("questions", false))
    step.questions.push_back(ReadQuestion(*q, diags));
  if (const YamlNode* b = r.Get("budget")) ReadBudget(*b, step, diags);
}

namespace {

// "Batch + online", in the order of kServingModes.
std::string ServingText(const CaseStudy& c) {
  std::string text;
  for (const std::string& mode : kServingModes)
    if (std::find(c.serving.begin(), c.serving.end(), mode) != c.serving.end())
      text += (text.empty() ? "" : " + ") + mode;
  if (!text.empty()) text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

}  // namespace

const std::vector<CompareColumn>& CompareColumns() {
  static const std::vector<CompareColumn> kColumns = {
      {"task", "ML task", [](const CaseStudy& c) { return c.task; }},
      {"inputs", "Inputs", [](const CaseStudy& c) { return c.inputs; }},
      {"outputs", "Outputs", [](const CaseStudy& c) { return c.outputs; }},
      {"model", "Model family", [](const CaseStudy& c) { return c.model; }},
      {"serving", "Serving", ServingText},
      {"latency", "Latency budget", [](const CaseStudy& c) { return c.latency; }}};
  return kColumns;
}

namespace {

// `serving`: one mode, or a list of modes each named once.
std::vector<std::string> ReadServing(MapReader& r, Diagnostics& diags) {
  std::vector<std::string> out;
  const YamlNode* n = r.Get("serving");
  if (!n) return out;
  if (n->kind == YamlNode::Kind::kScalar) {
    std::string mode = r.Enum("serving", kServingModes, false);
    if (!mode.empty()) out.push_back(mode);
  } else if (n->kind == YamlNode::Kind::kSequence) {
    for (auto& [mode, at] : KnownValues(r, "serving", kServingModes, diags)) out.push_back(mode);
  } else {
    diags.Error(n->at, "field 'serving' must be one of " + JoinList(kServingModes) +
                           " or a list of them, not " + KindName(n->kind));
  }
  return out;
}

// One row of `scale`. `first_headline` is where an earlier row of the same
// case study said `headline: true` (line 0: none yet); a second such row is
// reported and not marked.
ScaleRow ReadScaleRow(const YamlNode& row, SourceLocation& first_headline, Diagnostics& diags) {
  MapReader sr(row, {"quantity", "value", "note", "headline", "sheet"}, diags);
  ScaleRow s;
  s.at = row.at;
  s.quantity = sr.String("quantity", true);
  s.value = sr.String("value", true);
  s.note = MarkdownField(sr, "note", true, true);
  s.sheet = sr.Bool("sheet", false).value_or(false);
  if (sr.Bool("headline", false).value_or(false)) {
    if (first_headline.line == 0) {
      s.headline = true;
      first_headline = sr.LocationOf("headline");
    } else {
      diags.Error(sr.LocationOf("headline"),
                  "only one scale row can be the headline (the first is line " +
                      std::to_string(first_headline.line) + ")");
    }
  }
  return s;
}

FailureMode ReadFailureMode(const YamlNode& node, Diagnostics& diags) {
  MapReader fr(node, {"failure", "signal", "mitigation"}, diags);
  FailureMode f;
  f.failure = MarkdownField(fr, "failure", true, true);
  f.signal = MarkdownField(fr, "signal", true, true);
  f.mitigation = MarkdownField(fr, "mitigation", true, true);
  return f;
}

Reference ReadReference(const YamlNode& node, Diagnostics& diags) {
  MapReader rr(node, {"title", "authors", "venue", "year", "url"}, diags);
  Reference x;
  x.at = node.at;
  x.title = rr.String("title", true);
  x.authors = rr.String("authors", false);
  x.venue = rr.String("venue", true);
  x.url = rr.String("url", false);
  if (!x.url.empty() && x.url.rfind("https://", 0) != 0 && x.url.rfind("http://", 0) != 0)
    diags.Error(rr.LocationOf("url"), "reference url must start with https://");
  if (auto y = rr.Int("year", true)) {
    x.year = *y;
    if (x.year < 1900 || x.year > 2100)
      diags.Error(rr.LocationOf("year"), "year " + std::to_string(x.year) + " is not plausible");
  }
  return x;
}

// Short inline-Markdown items of list `key`, each within the item limit.
std::vector<Fragment> SheetItems(MapReader& r, std::string_view key, const std::string& what,
                                 Diagnostics& diags) {
  std::vector<Fragment> out;
  r.StringList(key, false);  // reports what is not a list of texts
  const YamlNode* list = r.Get(key);
  if (!list) return out;
  for (const YamlNode& item : list->items) {
    if (item.kind != YamlNode::Kind::kScalar) continue;
    if (Trim(item.scalar).empty()) {
      diags.Error(item.at, "empty item in " + what);
      continue;
    }
    CheckLength("this item of " + what, item.scalar, kSheetItemChars, item.at, diags);
    out.push_back(FragmentOf(item, true));
  }
  return out;
}

// sheet.decisions: step id -> its 1 to kSheetDecisions items.
std::vector<SheetDecisions> ReadDecisions(const YamlNode& n, Diagnostics& diags) {
  std::vector<SheetDecisions> out;
  if (n.kind != YamlNode::Kind::kMap) {
    diags.Error(n.at, "'decisions' must map step ids to lists of decisions, not " +
                          std::string(KindName(n.kind)));
    return out;
  }
  std::vector<std::string> keys;
  for (const auto& [key, value] : n.entries) keys.push_back(key.scalar);
  MapReader r(n, keys, diags);  // every key is allowed here; the loader checks them
  size_t total = 0;
  for (const auto& [key, value] : n.entries) {
    SheetDecisions d;
    d.step = key.scalar;
    d.at = key.at;
    d.items = SheetItems(r, key.scalar, "the decisions of '" + key.scalar + "'", diags);
    if (value.kind == YamlNode::Kind::kSequence && value.items.empty())
      diags.Error(value.at, "step '" + d.step + "' lists no decisions; remove it or add up to " +
                                 std::to_string(kSheetDecisions));
    if (d.items.size() > kSheetDecisions)
      diags.Error(d.items[kSheetDecisions].at,
                  "step '" + d.step + "' has " + std::to_string(d.items.size()) +
                      " decisions; a cheat sheet shows at most " + std::to_string(kSheetDecisions));
    for (size_t i = 0; i < d.items.size(); ++i, ++total)
      if (total == kSheetDecisionsTotal)
        diags.Error(d.items[i].at, "more than " + std::to_string(kSheetDecisionsTotal) +
                                       " decisions in all; a cheat sheet has no room for more");
    out.push_back(std::move(d));
  }
  return out;
}

CaseSheet ReadSheet(const YamlNode& n, Diagnostics& diags) {
  CaseSheet sheet;
  if (n.kind != YamlNode::Kind::kMap) {
    diags.Error(n.at, "'sheet' must have fields problem, decisions and/or probes");
    return sheet;
  }
  MapReader r(n, {"problem", "decisions", "probes"}, diags);
  sheet.problem = r.String("problem", false);
  if (!sheet.problem.empty())
    CheckLength("'problem'", sheet.problem, kSheetProblemChars, r.LocationOf("problem"), diags);
  if (const YamlNode* d = r.Get("decisions")) sheet.decisions = ReadDecisions(*d, diags);
  sheet.probes = SheetItems(r, "probes", "'probes'", diags);
  if (sheet.probes.size() > kSheetProbes)
    diags.Error(sheet.probes[kSheetProbes].at,
                "'probes' lists " + std::to_string(sheet.probes.size()) +
                    " items; a cheat sheet shows the " + std::to_string(kSheetProbes) +
                    " things interviewers probe");
  return sheet;
}

}  // namespace

void ReadCase(const YamlNode& fm, CaseStudy& cs, Diagnostics& diags) {
  MapReader r(fm, {"title", "summary", "category", "difficulty", "task", "inputs", "outputs",
                   "model", "serving", "latency", "metrics", "related", "scale", "failure_modes",
                   "questions", "references", "sheet"},
              diags);
  cs.title = r.String("title", true);
  cs.summary = r.String("summary", true);
  cs.category = r.String("category", true);
  cs.difficulty = r.Enum("difficulty", {"introductory", "intermediate", "advanced"}, false);
  cs.task = r.String("task", false);
  cs.inputs = r.String("inputs", false);
  cs.outputs = r.String("outputs", false);
  cs.model = r.String("model", false);
  cs.serving = ReadServing(r, diags);
  cs.latency = r.String("latency", false);
  if (const YamlNode* m = r.Get("metrics")) {
    if (m->kind != YamlNode::Kind::kMap) {
      diags.Error(m->at, "'metrics' must have 'offline' and/or 'online' lists");
    } else {
      MapReader mr(*m, {"offline", "online"}, diags);
      cs.offline_metrics = Ids(mr, "offline");
      cs.online_metrics = Ids(mr, "online");
    }
  }
  cs.related = Ids(r, "related");
  SourceLocation headline;
  for (const YamlNode* row : r.MapList("scale", false))
    cs.scale.push_back(ReadScaleRow(*row, headline, diags));
  for (const YamlNode* f : r.MapList("failure_modes", false))
    cs.failure_modes.push_back(ReadFailureMode(*f, diags));
  for (const YamlNode* q : r.MapList("questions", false))
    cs.questions.push_back(ReadQuestion(*q, diags));
  for (const YamlNode* ref : r.MapList("references", false))
    cs.references.push_back(ReadReference(*ref, diags));
  if (const YamlNode* s = r.Get("sheet")) cs.sheet = ReadSheet(*s, diags);
  size_t on_sheet = 0;
  for (const ScaleRow& row : cs.scale)
    if (row.sheet && ++on_sheet == kSheetScaleRows + 1)
      diags.Error(row.at, "more than " + std::to_string(kSheetScaleRows) +
                              " scale rows have 'sheet: true'; a cheat sheet has no room for more");
}

void ReadTerm(const YamlNode& entry, Term& t, Diagnostics& diags) {
  MapReader r(entry, {"id", "term", "aliases", "category", "definition", "formula", "range",
                      "better", "pitfalls", "source", "related", "sheet"},
              diags);
  t.at = entry.at;
  t.id = r.String("id", true);
  if (!t.id.empty() && !IsValidId(t.id))
    diags.Error(r.LocationOf("id"), "'" + t.id + "' is not a valid id");
  else if (t.id == "index")
    diags.Error(r.LocationOf("id"), "'index' names the glossary's own page; choose another id");
  t.term = r.String("term", true);
  for (auto& [alias, at] : r.StringList("aliases", false)) {
    if (Trim(alias).empty()) diags.Error(at, "empty alias");
    else t.aliases.push_back(alias);
  }
  t.category = r.String("category", true);
  t.definition = MarkdownField(r, "definition", true, false);
  t.formula = r.String("formula", false);
  t.formula_at = r.LocationOf("formula");
  t.range = r.String("range", false);
  t.better = r.Enum("better", {"higher", "lower", "target"}, false);
  t.pitfalls = MarkdownField(r, "pitfalls", false, false);
  t.source = MarkdownField(r, "source", false, true);
  // A formula is a claim of fact: say where it was checked.
  if (!t.formula.empty() && !r.Has("source"))
    diags.Warning(r.LocationOf("formula"),
                  "formula without a 'source' (name where it can be checked)");
  t.related = Ids(r, "related");
  t.sheet = r.Bool("sheet", false).value_or(false);
}

}  // namespace casebook
