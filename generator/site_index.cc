#include "site_index.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "print_page.h"
#include "text.h"

namespace casebook {

const std::vector<std::string>& ReservedAnchors() {
  static const std::vector<std::string> kAnchors = [] {
    std::vector<std::string> all = LayoutAnchors();
    for (const GeneratedSection& s : GeneratedSections()) all.push_back(s.anchor);
    return all;
  }();
  return kAnchors;
}

namespace {

// Ids the templates and cmark make themselves: "<section>-title" headings,
// "cat-<category>", tooltips "tip-N", footnotes "fn-N" and "fnref-N".
bool TemplateOwnsId(const std::string& id) {
  auto starts = [&](const char* p) { return id.rfind(p, 0) == 0; };
  return starts("tip-") || starts("fn-") || starts("fnref-") || starts("cat-") ||
         (id.size() > 6 && id.compare(id.size() - 6, 6, "-title") == 0);
}

}  // namespace

// Ids are only ever added, so a base's smallest free suffix never goes
// down: each base resumes where its last search stopped, and n headings
// cost O(n) claims instead of O(n^2).
IdAllocator::IdAllocator() { used_.insert(ReservedAnchors().begin(), ReservedAnchors().end()); }

bool IdAllocator::Claim(const std::string& id) { return used_.insert(id).second; }

std::string IdAllocator::Unique(std::string base) {
  if (TemplateOwnsId(base)) base = "h-" + base;
  if (Claim(base)) return base;
  int& n = next_suffix_.try_emplace(base, 2).first->second;
  for (;; ++n) {
    std::string id = base + "-" + std::to_string(n);
    if (Claim(id)) {
      ++n;
      return id;
    }
  }
}

namespace {

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
  // Built once per case study, not per heading: a case of many headings
  // over many steps was quadratic. The last step of a title wins, as before.
  const std::vector<std::string> titles = StepTitles(site);
  std::map<std::string_view, int> step_of;
  for (size_t i = 0; i < titles.size(); ++i) step_of[titles[i]] = static_cast<int>(i);
  for (Heading& h : cs.body.headings) {
    if (h.level != 2 || !h.top_level) {  // an H2 in a quote or list starts no section
      h.id = ids.Unique(Slugify(h.title));
      continue;
    }
    auto step = step_of.find(h.title);
    int found = step == step_of.end() ? -1 : step->second;
    if (found < 0) {
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

void AssignPageHeadingIds(Site& site, const Page& p, Diagnostics& diags) {
  if (!p.body) return;
  if (p.kind == PageKind::kCase) {
    // With a step missing, every case study would report the gap again.
    Diagnostics ignored;
    AssignCaseSections(site, site.cases[p.index], site.steps_incomplete ? ignored : diags);
  } else {
    IdAllocator ids;
    AssignPlain(*p.body, ids);
  }
}

void AssignHeadingIds(Site& site, const PageMap& map, Diagnostics& diags) {
  for (const Page& p : map.pages) AssignPageHeadingIds(site, p, diags);
}

void AddHeadingAnchors(const PageMap& map, SiteIndex& index) {
  for (const Page& p : map.pages)
    if (p.body) {
      std::set<std::string>& anchors = index.pages[p.url].anchors;
      for (const Heading& h : p.body->headings) anchors.insert(h.id);
    }
}

namespace {

// Which id of which file gave a page its URL, for a clash message.
std::string IdOf(const Site& site, const Page& p) {
  switch (p.kind) {
    case PageKind::kPage: return "page id '" + site.pages[p.index].id + "'";
    case PageKind::kStep: return "step id '" + site.steps[p.index].id + "'";
    case PageKind::kCase: return "case-study id '" + site.cases[p.index].id + "'";
    default: return "'" + p.url + "'";
  }
}

// Generated pages claim their URLs first, so that the content file that
// clashes with one is the one reported.
void AddPages(const Site& site, const PageMap& map, SiteIndex& index, Diagnostics& diags) {
  std::map<std::string, const Page*> owner;
  for (const Page& p : map.pages)
    if (!KindInfo(p.kind).from_content) owner[p.url] = &p;
  for (const Page& p : map.pages) {
    if (!KindInfo(p.kind).from_content) continue;
    auto [it, fresh] = owner.emplace(p.url, &p);
    // Two terms with one id are reported as such by BuildIndex.
    if (!fresh && p.kind != PageKind::kTerm)
      diags.Error({p.body ? p.body->at.path : p.source},
                  IdOf(site, p) + " is reserved: " + p.url + " is the page '" +
                      it->second->title + "'; rename the file");
    else if (p.url == NotFoundUrl() || p.url == PrintUrl())
      diags.Error({p.body ? p.body->at.path : p.source},
                  IdOf(site, p) + " is reserved: " + p.url + " is a page casebook writes; "
                  "rename the file");
  }
  for (const Page& p : map.pages) {
    PageInfo& info = index.pages[p.url];
    info.title = p.title;
    info.anchors.insert(ReservedAnchors().begin(), ReservedAnchors().end());
    if (p.kind == PageKind::kPractice)
      info.anchors.insert(PracticeAnchors().begin(), PracticeAnchors().end());
    if (!p.source.empty() && p.kind != PageKind::kTerm) index.by_source[p.source] = p.url;
  }
}

}  // namespace

SiteIndex BuildIndex(const Site& site, const PageMap& map, Diagnostics& diags) {
  SiteIndex index;
  AddPages(site, map, index, diags);
  AddHeadingAnchors(map, index);
  std::map<std::string, std::string> titles;
  for (size_t i = 0; i < site.steps.size(); ++i) {
    const Step& s = site.steps[i];
    index.steps[s.id] = static_cast<int>(i);
    SourceLocation at{site.steps[i].body.at.path, 0, 0};
    // A case study's section for a step takes the step id as its anchor.
    if (std::count(ReservedAnchors().begin(), ReservedAnchors().end(), s.id) || TemplateOwnsId(s.id))
      diags.Error(at, "step id '" + s.id + "' is taken by a section of every case-study page; "
                      "rename the file");
    auto [other, fresh] = titles.emplace(s.title, s.path);
    if (!fresh)
      diags.Error(at, "two steps are titled '" + s.title + "' (the other is " + other->second + ")");
  }
  for (size_t i = 0; i < site.cases.size(); ++i) index.cases[site.cases[i].id] = static_cast<int>(i);
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
  index.matcher.Finish();
  return index;
}

}  // namespace casebook
