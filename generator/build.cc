#include "build.h"

#include <set>

#include "content_loader.h"
#include "linker.h"
#include "markdown.h"
#include "math.h"
#include "media.h"
#include "parallel.h"
#include "render.h"
#include "site_index.h"
#include "templates.h"
#include "writer.h"

namespace casebook {

namespace {

// A fresh, unparsed copy of a fragment's text and position.
Fragment CopySource(const Fragment& f) {
  Fragment copy;
  copy.source = f.source;
  copy.at = f.at;
  copy.block = f.block;
  copy.indent = f.indent;
  copy.is_inline = f.is_inline;
  copy.exact = f.exact;
  return copy;
}

// Each case study shows every step's checklist; it gets its own copies so
// that their links and tooltips are rendered for its page.
void CopyChecklists(Site& site) {
  for (CaseStudy& c : site.cases) {
    c.checklists.clear();
    for (const Step& s : site.steps) {
      std::vector<ChecklistItem> items;
      for (const ChecklistItem& item : s.checklist) {
        ChecklistItem copy;
        copy.id = item.id;
        copy.at = item.at;
        copy.text = CopySource(item.text);
        copy.why = CopySource(item.why);
        items.push_back(std::move(copy));
      }
      c.checklists.push_back(std::move(items));
    }
  }
}

// Every fragment of the site, in a fixed order.
std::vector<Fragment*> AllFragments(Site& site) {
  std::vector<Fragment*> all = {&site.home.body};
  for (FreePage& p : site.pages) all.push_back(&p.body);
  for (Step& s : site.steps) {
    all.push_back(&s.body);
    for (ChecklistItem& c : s.checklist) all.insert(all.end(), {&c.text, &c.why});
    for (Fragment& m : s.mistakes) all.push_back(&m);
  }
  for (CaseStudy& c : site.cases) {
    all.push_back(&c.body);
    for (auto& list : c.checklists)
      for (ChecklistItem& item : list) all.insert(all.end(), {&item.text, &item.why});
    for (ScaleRow& r : c.scale) all.push_back(&r.note);
    for (FailureMode& f : c.failure_modes)
      all.insert(all.end(), {&f.failure, &f.signal, &f.mitigation});
    for (Question& q : c.questions) all.insert(all.end(), {&q.question, &q.answer});
  }
  for (Term& t : site.terms) all.insert(all.end(), {&t.definition, &t.pitfalls, &t.source});
  return all;
}

// The first sentence of a definition, as plain text, for tooltips.
std::string FirstSentence(const std::string& text) {
  for (size_t i = 0; i + 1 < text.size(); ++i)
    if ((text[i] == '.' || text[i] == '?' || text[i] == '!') && text[i + 1] == ' ')
      return text.substr(0, i + 1);
  return text;
}

// Headings belong to page bodies; in a YAML field they would break the
// page's outline and have no anchor.
void ReportFieldHeadings(Site& site, const std::vector<Fragment*>& all, Diagnostics& diags) {
  std::set<const Fragment*> bodies = {&site.home.body};
  for (const FreePage& p : site.pages) bodies.insert(&p.body);
  for (const Step& s : site.steps) bodies.insert(&s.body);
  for (const CaseStudy& c : site.cases) bodies.insert(&c.body);
  for (const Fragment* f : all)
    if (!bodies.count(f) && !f->headings.empty())
      diags.Error(f->headings.front().at, "headings are not allowed in this field; use **bold** text");
}

std::map<std::string, std::string> RenderFormulas(Site& site, Diagnostics& diags) {
  std::vector<Formula> formulas;
  for (const Term& t : site.terms)
    if (!t.formula.empty()) formulas.push_back({t.formula, t.formula_at});
  for (Fragment* f : AllFragments(site))
    for (auto& [tex, at] : CollectMath(*f)) formulas.push_back({tex, at});
  std::map<std::string, std::string> math = ConvertMath(formulas, diags);
  for (Term& t : site.terms) {
    auto it = math.find(t.formula);
    if (it != math.end()) t.mathml = it->second;
  }
  return math;
}

}  // namespace

BuildResult Build(const BuildOptions& o) {
  BuildResult result;
  Diagnostics& diags = result.diags;
  if (o.write &&
      !CheckOutputFolder(o.out_dir, {o.content_dir, o.templates_dir}, diags)) {
    result.usage_error = true;
    return result;
  }
  InitMarkdown();

  // Load and parse. Templates load first: their errors are independent of
  // content, and reporting both in one run saves the author a round trip.
  Templates templates = LoadTemplates(o.templates_dir, TemplateVariables(), diags);
  Site site = LoadContent(o.content_dir, diags);
  CopyChecklists(site);
  if (!o.base_url.empty()) {
    if (!IsValidBaseUrl(o.base_url)) {
      diags.Error({}, "--base-url must be an address such as https://you.github.io/repo/");
      result.usage_error = true;
    }
    site.config.base_url = o.base_url.back() == '/' ? o.base_url : o.base_url + "/";
  }
  std::vector<Fragment*> fragments = AllFragments(site);
  // Parsing is serialized inside ParseMarkdown; the threads still overlap
  // everything around it.
  ParallelFor(fragments.size(), o.jobs, [&](size_t i) { ParseMarkdown(*fragments[i]); });
  for (Term& t : site.terms) t.tooltip = FirstSentence(PlainText(t.definition));
  ReportFieldHeadings(site, fragments, diags);

  // Index and link. Headings must have ids before any link can name one.
  AssignHeadingIds(site, diags);
  SiteIndex index = BuildIndex(site, diags);
  std::map<std::string, std::string> math = RenderFormulas(site, diags);
  LinkSite(site, index, math, o.content_dir, o.jobs, diags);
  CheckReferences(site, index, diags);
  ReportStrayFiles(o.content_dir, site.linked_files, diags);

  if (o.strict) diags.PromoteWarnings();
  diags.Sort();
  if (diags.has_errors()) return result;

  std::vector<OutputFile> files = RenderSite(site, templates, o.jobs);
  std::vector<OutputFile> media = ReadMediaFiles(o.content_dir, site.media, diags);
  if (diags.has_errors()) return result;
  files.insert(files.end(), media.begin(), media.end());
  for (const OutputFile& f : files)
    if (f.path.size() > 5 && f.path.compare(f.path.size() - 5, 5, ".html") == 0) ++result.pages;
  result.files = static_cast<int>(files.size());
  if (o.write && !WriteSite(o.out_dir, std::move(files), diags)) result.usage_error = true;
  diags.Sort();
  return result;
}

}  // namespace casebook
