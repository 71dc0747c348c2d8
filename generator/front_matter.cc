#include "front_matter.h"

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
    if (!IsValidBaseUrl(c.base_url))
      diags.Error(r.LocationOf("base_url"),
                  "base_url must be an address such as https://you.github.io/repo/");
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
  MapReader r(fm, {"title", "summary", "time", "checklist", "mistakes"}, diags);
  step.title = r.String("title", true);
  step.summary = r.String("summary", true);
  step.time = r.String("time", false);
  std::set<std::string> seen;
  for (const YamlNode* item : r.MapList("checklist", true)) {
    MapReader ir(*item, {"id", "text", "why"}, diags);
    ChecklistItem ci;
    ci.id = ir.String("id", true);
    ci.at = item->at;
    if (!ci.id.empty() && !IsValidId(ci.id))
      diags.Error(ir.LocationOf("id"), "'" + ci.id + "' is not a valid id");
    else if (!ci.id.empty() && !seen.insert(ci.id).second)
      diags.Error(ir.LocationOf("id"), "duplicate checklist id '" + ci.id + "'");
    ci.text = MarkdownField(ir, "text", true, true);
    ci.why = MarkdownField(ir, "why", false, false);
    step.checklist.push_back(std::move(ci));
  }
  if (const YamlNode* m = r.Get("mistakes")) {
    r.StringList("mistakes", false);  // reports what is not a list of texts
    for (const YamlNode& item : m->items)
      if (item.kind == YamlNode::Kind::kScalar) step.mistakes.push_back(FragmentOf(item, true));
  }
}

namespace {

ScaleRow ReadScaleRow(const YamlNode& row, Diagnostics& diags) {
  MapReader sr(row, {"quantity", "value", "note"}, diags);
  ScaleRow s;
  s.quantity = sr.String("quantity", true);
  s.value = sr.String("value", true);
  s.note = MarkdownField(sr, "note", true, true);
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

Question ReadQuestion(const YamlNode& node, Diagnostics& diags) {
  MapReader qr(node, {"q", "a"}, diags);
  Question q;
  q.question = MarkdownField(qr, "q", true, true);
  q.answer = MarkdownField(qr, "a", true, false);
  return q;
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

}  // namespace

void ReadCase(const YamlNode& fm, CaseStudy& cs, Diagnostics& diags) {
  MapReader r(fm, {"title", "summary", "category", "difficulty", "task", "metrics", "related",
                   "scale", "failure_modes", "questions", "references"},
              diags);
  cs.title = r.String("title", true);
  cs.summary = r.String("summary", true);
  cs.category = r.String("category", true);
  cs.difficulty = r.Enum("difficulty", {"introductory", "intermediate", "advanced"}, false);
  cs.task = r.String("task", false);
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
  for (const YamlNode* row : r.MapList("scale", false))
    cs.scale.push_back(ReadScaleRow(*row, diags));
  for (const YamlNode* f : r.MapList("failure_modes", false))
    cs.failure_modes.push_back(ReadFailureMode(*f, diags));
  for (const YamlNode* q : r.MapList("questions", false))
    cs.questions.push_back(ReadQuestion(*q, diags));
  for (const YamlNode* ref : r.MapList("references", false))
    cs.references.push_back(ReadReference(*ref, diags));
}

void ReadTerm(const YamlNode& entry, Term& t, Diagnostics& diags) {
  MapReader r(entry, {"id", "term", "aliases", "category", "definition", "formula", "range",
                      "better", "pitfalls", "source", "related"},
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
}

}  // namespace casebook
