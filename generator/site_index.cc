#include "site_index.h"

#include <algorithm>

#include "text.h"

namespace casebook {

std::string HomeUrl() { return "index.html"; }
std::string PageUrl(const std::string& id) { return id + ".html"; }
std::string StepUrl(const std::string& id) { return "framework/" + id + ".html"; }
std::string CaseUrl(const std::string& id) { return "cases/" + id + ".html"; }
std::string TermUrl(const std::string& id) { return "glossary/" + id + ".html"; }
std::string FrameworkUrl() { return "framework/index.html"; }
std::string CasesUrl() { return "cases/index.html"; }
std::string GlossaryUrl() { return "glossary/index.html"; }
std::string ProgressUrl() { return "progress.html"; }

std::string RootPrefix(const std::string& from) {
  std::string out;
  for (char c : from)
    if (c == '/') out += "../";
  return out;
}

std::string RelativeUrl(const std::string& from, const std::string& to) {
  // Pages live at most one folder deep, so only the shared-folder case needs
  // care: framework/a.html -> framework/b.html is just b.html.
  size_t fs = from.rfind('/'), ts = to.rfind('/');
  if (fs != std::string::npos && ts != std::string::npos &&
      from.compare(0, fs, to, 0, ts) == 0 && fs == ts)
    return to.substr(ts + 1);
  return RootPrefix(from) + to;
}

const std::vector<std::string> kReservedAnchors = {
    "main",      "toc",       "checklist", "mistakes",   "metrics",
    "scale",     "failure-modes", "questions", "references", "related",
    "used-in",   "case-studies", "definition", "formula",   "pitfalls",
    "progress",  "source"};

namespace {

// Ids the templates and cmark make themselves: "<section>-title" headings,
// "cat-<category>", tooltips "tip-N", footnotes "fn-N" and "fnref-N".
bool TemplateOwnsId(const std::string& id) {
  auto starts = [&](const char* p) { return id.rfind(p, 0) == 0; };
  return starts("tip-") || starts("fn-") || starts("fnref-") || starts("cat-") ||
         (id.size() > 6 && id.compare(id.size() - 6, 6, "-title") == 0);
}

// Hands out heading ids unique within one page.
class IdAllocator {
 public:
  IdAllocator() { used_.insert(kReservedAnchors.begin(), kReservedAnchors.end()); }
  bool Claim(const std::string& id) { return used_.insert(id).second; }
  std::string Unique(std::string base) {
    if (TemplateOwnsId(base)) base = "h-" + base;
    if (Claim(base)) return base;
    for (int n = 2;; ++n)
      if (Claim(base + "-" + std::to_string(n))) return base + "-" + std::to_string(n);
  }

 private:
  std::set<std::string> used_;
};

void AssignPlain(Fragment& f, IdAllocator& ids) {
  for (Heading& h : f.headings) h.id = ids.Unique(Slugify(h.title));
}

std::vector<std::string> StepTitles(const Site& site) {
  std::vector<std::string> titles;
  for (const Step& s : site.steps) titles.push_back(s.title);
  return titles;
}

void AssignCaseSections(const Site& site, CaseStudy& cs, Diagnostics& diags) {
  IdAllocator ids;
  for (const Step& s : site.steps) ids.Claim(s.id);
  size_t next_step = 0;
  cs.section_steps.clear();
  for (Heading& h : cs.body.headings) {
    if (h.level != 2) {
      h.id = ids.Unique(Slugify(h.title));
      continue;
    }
    int found = -1;
    for (size_t i = 0; i < site.steps.size(); ++i)
      if (site.steps[i].title == h.title) found = static_cast<int>(i);
    if (found < 0) {
      std::vector<std::string> titles = StepTitles(site);
      std::string near = ClosestMatch(h.title, titles);
      diags.Error(h.at, "section '" + h.title +
                            "' is not a framework step; case studies have one "
                            "H2 per step" + DidYouMean(h.title, titles));
      h.id = ids.Unique(Slugify(h.title));
      // A misspelled step still stands in for that step, so the sections
      // after it are not also reported as missing.
      for (size_t i = next_step; i < titles.size(); ++i)
        if (!near.empty() && titles[i] == near) next_step = i + 1;
    } else if (static_cast<size_t>(found) < next_step) {
      diags.Error(h.at, "section '" + h.title + "' is out of order or repeated; "
                            "steps follow the framework's order");
      h.id = ids.Unique(Slugify(h.title));
      found = -1;
    } else {
      for (size_t i = next_step; i < static_cast<size_t>(found); ++i)
        diags.Error(h.at, "missing section '" + site.steps[i].title +
                              "' before '" + h.title + "'");
      next_step = static_cast<size_t>(found) + 1;
      h.id = site.steps[static_cast<size_t>(found)].id;
    }
    cs.section_steps.push_back(found);
  }
  for (size_t i = next_step; i < site.steps.size(); ++i)
    diags.Error({cs.body.at.path, 0, 0},
                "missing section '## " + site.steps[i].title + "'");
}

}  // namespace

void AssignHeadingIds(Site& site, Diagnostics& diags) {
  auto plain = [](Fragment& f) {
    IdAllocator ids;
    AssignPlain(f, ids);
  };
  plain(site.home.body);
  for (FreePage& p : site.pages) plain(p.body);
  for (Step& s : site.steps) plain(s.body);
  // With a step missing, every case study would report the gap again.
  Diagnostics ignored;
  for (CaseStudy& cs : site.cases)
    AssignCaseSections(site, cs, site.steps_incomplete ? ignored : diags);
}

SiteIndex BuildIndex(const Site& site, Diagnostics& diags) {
  SiteIndex index;
  auto add_page = [&](const std::string& url, const std::string& title,
                      const std::string& source, const Fragment* body) {
    PageInfo& p = index.pages[url];
    p.title = title;
    p.anchors.insert(kReservedAnchors.begin(), kReservedAnchors.end());
    if (body)
      for (const Heading& h : body->headings) p.anchors.insert(h.id);
    if (!source.empty()) index.by_source[source] = url;
  };
  add_page(HomeUrl(), site.config.title, site.home.path, &site.home.body);
  add_page(FrameworkUrl(), "Framework", "", nullptr);
  add_page(CasesUrl(), "Case studies", "", nullptr);
  add_page(GlossaryUrl(), "Glossary", "", nullptr);
  add_page(ProgressUrl(), "Progress", "", nullptr);
  for (const FreePage& p : site.pages) {
    if (index.pages.count(PageUrl(p.id)) || p.id == "404")
      diags.Error({p.body.at.path}, "page id '" + p.id + "' is reserved");
    add_page(PageUrl(p.id), p.title, p.path, &p.body);
  }
  std::map<std::string, std::string> titles;
  for (size_t i = 0; i < site.steps.size(); ++i) {
    const Step& s = site.steps[i];
    index.steps[s.id] = static_cast<int>(i);
    SourceLocation at{site.steps[i].body.at.path, 0, 0};
    // A case study's section for a step takes the step id as its anchor.
    if (std::count(kReservedAnchors.begin(), kReservedAnchors.end(), s.id) || TemplateOwnsId(s.id))
      diags.Error(at, "step id '" + s.id + "' is taken by a section of every case-study page; "
                      "rename the file");
    auto [other, fresh] = titles.emplace(s.title, s.path);
    if (!fresh)
      diags.Error(at, "two steps are titled '" + s.title + "' (the other is " + other->second + ")");
    add_page(StepUrl(s.id), s.title, s.path, &s.body);
  }
  for (size_t i = 0; i < site.cases.size(); ++i) {
    const CaseStudy& c = site.cases[i];
    index.cases[c.id] = static_cast<int>(i);
    add_page(CaseUrl(c.id), c.title, c.path, &c.body);
  }
  // Every name a term can be written as belongs to exactly one term. Names
  // are grouped by their lower-case form; within a group, two names clash
  // unless both are acronyms written differently ("MAP" and "mAP").
  struct Claim {
    std::string name;
    int term;
    SourceLocation at;
  };
  std::map<std::string, std::vector<Claim>> names;
  for (size_t i = 0; i < site.terms.size(); ++i) {
    const Term& t = site.terms[i];
    int ti = static_cast<int>(i);
    if (!t.id.empty() && !index.terms.emplace(t.id, ti).second)
      diags.Error(t.at, "duplicate glossary id '" + t.id + "'");
    add_page(TermUrl(t.id), t.term, "", nullptr);
    std::vector<std::string> all = t.aliases;
    all.insert(all.begin(), t.term);
    for (const std::string& name : all) {
      std::vector<Claim>& group = names[AsciiLower(name)];
      auto clash = std::find_if(group.begin(), group.end(), [&](const Claim& c) {
        return c.term != ti && TermMatcher::Overlap(c.name, name);
      });
      if (clash != group.end()) {
        diags.Error(t.at, "'" + name + "' already names glossary term '" +
                              site.terms[static_cast<size_t>(clash->term)].id + "' (line " +
                              std::to_string(clash->at.line) + ")");
        continue;
      }
      group.push_back({name, ti, t.at});
      index.matcher.Add(name, ti);  // "nDCG" and "NDCG" are both ways to write it
    }
  }
  return index;
}

}  // namespace casebook
