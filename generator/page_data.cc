#include "page_data.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "entry_data.h"
#include "front_matter.h"
#include "practice_data.h"
#include "sheet_data.h"

namespace casebook {

namespace {

// What every page has: the site, the page, navigation, the way back to the
// root, and what the layout shows if a kind sets it (summary, contents).
// prev, next and breadcrumbs are set by PageData.
const std::string& CommonShape() {
  static const std::string kShape =
      "site{id title description repository language} root storage_prefix page{" + LinkShape() +
      "} canonical nav{" + LinkShape() + " current} prev{" + LinkShape() + "} next{" + LinkShape() +
      "} breadcrumbs{" + LinkShape() +
      "} has_breadcrumbs is_home summary toc{id title sub} has_toc inline_css has_search";
  return kShape;
}

Data Common(const Site& site, const PageMap& map, const std::string& url,
            const std::string& title) {
  const SiteConfig& c = site.config;
  Data s;
  Put(s, "id", Str(c.id));
  Put(s, "title", Str(c.title));
  Put(s, "description", Str(c.description));
  Put(s, "repository", Str(c.repository));
  Put(s, "language", Str(c.language));
  Data d;
  Put(d, "site", s);
  Put(d, "root", Str(RootPrefix(url)));
  Put(d, "storage_prefix", Str("casebook:" + c.id + ":"));
  Put(d, "page", Link(title, url));
  // The layout shows these when a page kind sets them.
  Put(d, "summary", false);
  Put(d, "inline_css", false);  // only 404.html carries its styles in itself
  Put(d, "has_search", false);  // the render phase knows whether the site has search
  Put(d, "toc", List());
  Put(d, "has_toc", false);
  Put(d, "prev", false);
  Put(d, "next", false);
  Put(d, "canonical", Str(c.base_url.empty() ? "" : c.base_url + (url == HomeUrl() ? "" : url)));
  Data nav = List();
  for (size_t i : map.nav) {
    const Page& p = map.pages[i];
    Data item = Link(p.title, RelativeUrl(url, p.url));
    // A section's index is current on every page in its folder.
    std::string folder = p.url.substr(0, p.url.find('/'));
    Put(item, "current", url == p.url || (p.url.find('/') != std::string::npos &&
                                         url.rfind(folder + "/", 0) == 0));
    nav.push_back(item);
  }
  Put(d, "nav", nav);
  return d;
}

// Case studies grouped by category, in reading order.
Data CaseCategories(const Site& site, const std::string& from) {
  Data cats = List();
  auto add = [&](const std::string& name, const Data& cases) {
    Data cat;
    Put(cat, "name", Str(name));
    Put(cat, "anchor", Str(CategoryAnchor(name)));
    Put(cat, "cases", cases);
    cats.push_back(cat);
  };
  std::string current;
  Data list = List();
  bool first = true;
  for (size_t i : CaseOrder(site)) {
    const CaseStudy& c = site.cases[i];
    if (!first && c.category != current) {
      add(current, list);
      list = List();
    }
    first = false;
    current = c.category;
    list.push_back(CaseSummary(c, from));
  }
  if (!first) add(current, list);
  return cats;
}
// --- The table of contents of an index page: one entry per category --------
Data CategoryToc(const Data& categories) {
  Data toc = List();
  for (const Data& cat : categories.list_value()) {
    Data item;
    Put(item, "id", cat.get("anchor")->string_value());
    Put(item, "title", cat.get("name")->string_value());
    Put(item, "sub", false);
    toc.push_back(item);
  }
  return toc;
}
void SetCategoryToc(Data& d, const Data& categories) {
  Put(d, "has_toc", !categories.list_value().empty());
  Put(d, "toc", CategoryToc(categories));
}

const std::string& CategoriesShape() {
  static const std::string kShape = "categories{name anchor cases{" + CaseSummaryShape() + "}}";
  return kShape;
}

Data CompareLink(const PageMap& map, const std::string& from) {
  const Page& p = map.First(PageKind::kCompare);
  return Link(p.title, RelativeUrl(from, p.url));
}

// The builders of the pages that list many entries.
struct Ctx {
  const Site& site;
  const PageMap& map;
  const Page& page;
};

const std::string& HomeShape() {
  static const std::string kShape = BodyShape() + " steps{" + StepSummaryShape() +
                               "} pages{title url summary} " + CategoriesShape() +
                               " case_count term_count compare{" + LinkShape() +
                               "} framework_sheet metrics_sheet";
  return kShape;
}
void Home(Data& d, const Ctx& x) {
  Body(d, x.site.home.body);
  Data steps = List(), pages = List();
  for (size_t i = 0; i < x.site.steps.size(); ++i)
    steps.push_back(StepSummary(x.site, i, x.page.url));
  for (const FreePage& p : x.site.pages) {
    Data item = Link(p.title, PageUrl(p.id));
    Put(item, "summary", Str(p.summary));
    pages.push_back(item);
  }
  Put(d, "steps", steps);
  Put(d, "pages", pages);
  Put(d, "categories", CaseCategories(x.site, x.page.url));
  Put(d, "case_count", Str(std::to_string(x.site.cases.size())));
  Put(d, "term_count", Str(std::to_string(x.site.terms.size())));
  Put(d, "compare", CompareLink(x.map, x.page.url));
  Put(d, "framework_sheet", Str(RelativeUrl(x.page.url, FrameworkSheetUrl())));
  Put(d, "metrics_sheet", Str(RelativeUrl(x.page.url, MetricsSheetUrl())));
}

const std::string& FrameworkShape() {
  static const std::string kShape = "steps{" + StepSummaryShape() + "} sheet_url";
  return kShape;
}
void Framework(Data& d, const Ctx& x) {
  Data steps = List();
  for (size_t i = 0; i < x.site.steps.size(); ++i)
    steps.push_back(StepSummary(x.site, i, x.page.url));
  Put(d, "steps", steps);
  Put(d, "sheet_url", Str(RelativeUrl(x.page.url, FrameworkSheetUrl())));
}

const std::string& CasesShape() {
  static const std::string kShape = CategoriesShape() + " compare{" + LinkShape() + "}";
  return kShape;
}
void Cases(Data& d, const Ctx& x) {
  Data cats = CaseCategories(x.site, x.page.url);
  SetCategoryToc(d, cats);
  Put(d, "categories", cats);
  Put(d, "compare", CompareLink(x.map, x.page.url));
}

const std::string& CompareShape() {
  static const std::string kShape =
      "columns{title} rows{title url category category_url difficulty cells{text url} "
      "offline_metrics{" + TermRefShape() + "} online_metrics{" + TermRefShape() +
      "} has_offline_metrics has_online_metrics metrics_url headline{value quantity url} "
      "sheet_url} has_rows";
  return kShape;
}

// Which step's section of a case study covers each comparison column
// (steps claim columns with `compare:`).
std::map<std::string, size_t> ColumnSteps(const Site& site) {
  std::map<std::string, size_t> steps;
  for (size_t i = 0; i < site.steps.size(); ++i)
    for (const std::string& column : site.steps[i].compare) steps.emplace(column, i);
  return steps;
}

Data CompareRow(const Site& site, const PageMap& map, const CaseStudy& c,
                const std::map<std::string, size_t>& columns, const std::string& from,
                const std::string& index_url) {
  std::string page = RelativeUrl(from, CaseUrl(c.id));
  // A cell links to the section of the step that covers its column, when
  // the case study has that section; else to the case study itself.
  auto cell = [&](const std::string& column, const std::string& text) {
    Data d;
    Put(d, "text", Str(text));
    std::string url = page;
    auto step = columns.find(column);
    if (step != columns.end() &&
        std::count(c.section_steps.begin(), c.section_steps.end(), static_cast<int>(step->second)))
      url += "#" + site.steps[step->second].id;
    Put(d, "url", Str(text.empty() ? "" : url));
    return d;
  };
  Data row = Link(c.title, page);
  Put(row, "category", Str(c.category));
  Put(row, "category_url", Str(index_url + "#" + CategoryAnchor(c.category)));
  Put(row, "difficulty", Str(c.difficulty));
  Data cells = List();
  for (const CompareColumn& column : CompareColumns())
    cells.push_back(cell(column.name, column.text(c)));
  Put(row, "cells", cells);
  Data offline = List(), online = List();
  for (const IdRef& r : c.offline_metrics) offline.push_back(TermRef(site, map, r.id, from));
  for (const IdRef& r : c.online_metrics) online.push_back(TermRef(site, map, r.id, from));
  Put(row, "offline_metrics", offline);
  Put(row, "online_metrics", online);
  Put(row, "has_offline_metrics", !c.offline_metrics.empty());
  Put(row, "has_online_metrics", !c.online_metrics.empty());
  Put(row, "metrics_url", page + "#" + Generated("metrics").anchor);
  Data headline(false);
  for (const ScaleRow& r : c.scale)
    if (r.headline) {
      headline = Data();
      Put(headline, "value", Str(r.value));
      Put(headline, "quantity", Str(r.quantity));
      Put(headline, "url", Str(page + "#" + Generated("scale").anchor));
    }
  Put(row, "headline", headline);
  Put(row, "sheet_url", Str(RelativeUrl(from, SheetUrl(c.id))));
  return row;
}

// One row per case study, in reading order.
void Compare(Data& d, const Ctx& x) {
  std::map<std::string, size_t> columns = ColumnSteps(x.site);
  std::string index_url = RelativeUrl(x.page.url, x.map.First(PageKind::kCases).url);
  Data headings = List();
  for (const CompareColumn& column : CompareColumns()) {
    Data h;
    Put(h, "title", Str(column.title));
    headings.push_back(h);
  }
  Put(d, "columns", headings);
  Data rows = List();
  for (size_t i : CaseOrder(x.site))
    rows.push_back(CompareRow(x.site, x.map, x.site.cases[i], columns, x.page.url, index_url));
  Put(d, "rows", rows);
  Put(d, "has_rows", !x.site.cases.empty());
}

const std::string& GlossaryShape() {
  static const std::string kShape =
      "categories{name anchor terms{" + TermRefShape() + "}} term_count sheet_url";
  return kShape;
}
void Glossary(Data& d, const Ctx& x) {
  Data cats = List();
  for (auto& [cat, terms] : GlossaryOrder(x.site)) {
    Data list = List();
    for (size_t i : terms) list.push_back(TermRef(x.site.terms[i], x.page.url));
    Data c;
    Put(c, "name", Str(cat));
    Put(c, "anchor", Str(CategoryAnchor(cat)));
    Put(c, "terms", list);
    cats.push_back(c);
  }
  SetCategoryToc(d, cats);
  Put(d, "categories", cats);
  Put(d, "term_count", Str(std::to_string(x.site.terms.size())));
  Put(d, "sheet_url", Str(RelativeUrl(x.page.url, MetricsSheetUrl())));
}

// The storage keys of one checklist, space-separated, for the progress page.
std::string KeysOf(const Step& s, const std::string& scope) {
  std::string keys;
  for (const ChecklistItem& item : s.checklist)
    keys += (keys.empty() ? "" : " ") + ChecklistKey(scope, item);
  return keys;
}

const std::string& ProgressShape() {
  static const std::string kShape = "steps{" + StepSummaryShape() + " keys} cases{" +
                                   CaseSummaryShape() + " keys count} total";
  return kShape;
}
void Progress(Data& d, const Ctx& x) {
  const Site& site = x.site;
  Data steps = List(), cases = List();
  size_t total = 0;
  for (size_t i = 0; i < site.steps.size(); ++i) {
    const Step& s = site.steps[i];
    Data item = StepSummary(site, i, x.page.url);
    Put(item, "keys", Str(KeysOf(s, ChecklistScope(s))));
    total += s.checklist.size();
    steps.push_back(item);
  }
  for (size_t ci : CaseOrder(site)) {
    const CaseStudy& c = site.cases[ci];
    std::string keys;
    size_t count = 0;
    for (int step : c.section_steps) {
      if (step < 0) continue;
      const Step& s = site.steps[static_cast<size_t>(step)];
      std::string k = KeysOf(s, ChecklistScope(c, s));
      if (!k.empty()) keys += (keys.empty() ? "" : " ") + k;
      count += s.checklist.size();
    }
    Data item = CaseSummary(c, x.page.url);
    Put(item, "keys", Str(keys));
    Put(item, "count", Str(std::to_string(count)));
    total += count;
    cases.push_back(item);
  }
  Put(d, "steps", steps);
  Put(d, "cases", cases);
  Put(d, "total", Str(std::to_string(total)));
}

// One row per page kind: the shape of its data, how to build it, and the
// kind of page its breadcrumb goes through (none: Home only).
struct KindData {
  PageKind kind;
  const std::string& shape;
  std::function<void(Data&, const Ctx&)> build;
  bool has_parent;
  PageKind parent;
};

const std::vector<KindData>& KindTable() {
  using K = PageKind;
  static const std::vector<KindData> kTable = {
      {K::kHome, HomeShape(), Home, false, K::kHome},
      {K::kPage, FreePageShape(),
       [](Data& d, const Ctx& x) { FreePageData(d, x.site.pages[x.page.index]); }, false, K::kHome},
      {K::kFramework, FrameworkShape(), Framework, false, K::kHome},
      {K::kStep, StepShape(),
       [](Data& d, const Ctx& x) { StepData(d, x.site, x.page.index, x.page.url); }, true,
       K::kFramework},
      {K::kCases, CasesShape(), Cases, false, K::kHome},
      {K::kCompare, CompareShape(), Compare, true, K::kCases},
      {K::kCase, CaseShape(),
       [](Data& d, const Ctx& x) {
         CaseData(d, x.site, x.map, x.site.cases[x.page.index], x.page.url);
       },
       true, K::kCases},
      {K::kGlossary, GlossaryShape(), Glossary, false, K::kHome},
      {K::kTerm, TermShape(),
       [](Data& d, const Ctx& x) {
         TermData(d, x.site, x.map, x.site.terms[x.page.index], x.page.url);
       },
       true, K::kGlossary},
      {K::kPractice, PracticeShape(),
       [](Data& d, const Ctx& x) { PracticeData(d, x.site, x.page.url); }, false, K::kHome},
      {K::kProgress, ProgressShape(), Progress, false, K::kHome},
      // A case's sheet also goes through its case study (PageData).
      {K::kCaseSheet, CaseSheetShape(),
       [](Data& d, const Ctx& x) {
         CaseSheetData(d, x.site, x.map, x.site.cases[x.page.index], x.page.url);
       },
       true, K::kCases},
      {K::kFrameworkSheet, FrameworkSheetShape(),
       [](Data& d, const Ctx& x) { FrameworkSheetData(d, x.site, x.page.url); }, true,
       K::kFramework},
      {K::kMetricsSheet, MetricsSheetShape(),
       [](Data& d, const Ctx& x) { MetricsSheetData(d, x.site, x.page.url); }, true,
       K::kGlossary}};
  return kTable;
}

const KindData& DataOf(PageKind kind) {
  for (const KindData& k : KindTable())
    if (k.kind == kind) return k;
  std::fprintf(stderr, "casebook: bug: page kind %d has no data builder\n", static_cast<int>(kind));
  std::abort();
}

// The nearest pages of the reading sequence before and after page n; npos
// when there is none.
bool InSequence(const PageMap& map, size_t i) { return KindInfo(map.pages[i].kind).in_sequence; }
size_t PrevInSequence(const PageMap& map, size_t n) {
  for (size_t i = n; i-- > 0;)
    if (InSequence(map, i)) return i;
  return std::string::npos;
}
size_t NextInSequence(const PageMap& map, size_t n) {
  for (size_t i = n + 1; i < map.pages.size(); ++i)
    if (InSequence(map, i)) return i;
  return std::string::npos;
}

}  // namespace

TemplateData PageData(const Site& site, const PageMap& map, size_t n) {
  const Page& p = map.pages[n];
  const KindData& kind = DataOf(p.kind);
  Data d = Common(site, map, p.url, p.title);
  auto link_to = [&](const Page& to) { return Link(to.title, RelativeUrl(p.url, to.url)); };
  // A sheet is a view, not a chapter: it has no previous / next.
  if (KindInfo(p.kind).in_sequence) {
    size_t prev = PrevInSequence(map, n), next = NextInSequence(map, n);
    if (prev != std::string::npos) Put(d, "prev", link_to(map.pages[prev]));
    if (next != std::string::npos) Put(d, "next", link_to(map.pages[next]));
  }
  Data crumbs = List();
  if (p.kind != PageKind::kHome) crumbs.push_back(Link("Home", RelativeUrl(p.url, HomeUrl())));
  if (kind.has_parent) crumbs.push_back(link_to(map.First(kind.parent)));
  if (p.kind == PageKind::kCaseSheet) {
    const CaseStudy& c = site.cases[p.index];
    crumbs.push_back(Link(c.title, RelativeUrl(p.url, CaseUrl(c.id))));
  }
  kind.build(d, Ctx{site, map, p});
  Put(d, "breadcrumbs", crumbs);
  Put(d, "has_breadcrumbs", p.kind != PageKind::kHome);
  Put(d, "is_home", p.kind == PageKind::kHome);
  return d;
}

TemplateData NotFoundData(const Site& site, const PageMap& map, const std::string& css) {
  // Links from 404.html are absolute: the path of base_url when known, the
  // host root otherwise (the page itself turns them relative on file://).
  // Its stylesheet is inlined, so it keeps its looks at any URL it answers.
  const std::string& base = site.config.base_url;
  size_t scheme = base.find("://");
  size_t slash = base.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string root = base.empty() || slash == std::string::npos ? "/" : base.substr(slash);
  Data d = Common(site, map, NotFoundUrl(), "Page not found");
  Put(d, "root", Str(root));
  Put(d, "inline_css", Str(css));
  Put(d, "breadcrumbs", List());
  Data nav = List();
  for (size_t i : map.nav) {
    Data item = Link(map.pages[i].title, root + map.pages[i].url);
    Put(item, "current", false);
    nav.push_back(item);
  }
  Put(d, "nav", nav);
  return d;
}

const std::map<std::string, DataShape>& TemplateShapes() {
  static const std::map<std::string, DataShape> kShapes = [] {
    std::map<std::string, DataShape> shapes;
    shapes["layout"] = ParseShape(CommonShape() + " content");
    shapes["404"] = ParseShape(CommonShape());
    for (const PageKindInfo& k : PageKinds())
      if (k.template_name)
        shapes[k.template_name] = ParseShape(CommonShape() + " " + DataOf(k.kind).shape);
    return shapes;
  }();
  return kShapes;
}

const std::set<std::string>& AllDataNames() {
  static const std::set<std::string> kNames = [] {
    std::set<std::string> names;
    for (const auto& [name, shape] : TemplateShapes()) CollectNames(shape, names);
    return names;
  }();
  return kNames;
}

}  // namespace casebook
