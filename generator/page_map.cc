#include "page_map.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "text.h"

namespace casebook {

const std::vector<PageKindInfo>& PageKinds() {
  using K = PageKind;
  static const std::vector<PageKindInfo> kKinds = {
      {K::kHome, "home", false, true, true, "Home"},
      {K::kPage, "page", false, true, true, "Page"},
      {K::kFramework, "framework", true, false, true, "Framework"},
      {K::kStep, "step", false, true, true, "Step"},
      {K::kCases, "cases", true, false, true, nullptr},
      {K::kCompare, "compare", false, false, true, nullptr},
      {K::kCase, "case", false, true, true, "Case study"},
      {K::kGlossary, "glossary", true, false, true, nullptr},
      {K::kTerm, "term", false, true, true, "Glossary"},
      // A view of every question of the guide, to rehearse with.
      {K::kPractice, "practice", true, false, false, nullptr},
      {K::kProgress, "progress", true, false, true, nullptr},
      // Generated views: no source file of their own, outside the sequence.
      {K::kCaseSheet, "sheet-case", false, false, false, nullptr},
      {K::kFrameworkSheet, "sheet-framework", false, false, false, nullptr},
      {K::kMetricsSheet, "sheet-metrics", false, false, false, nullptr},
      // Every question again, for Anki (anki_deck.h).
      {K::kAnkiDeck, nullptr, false, false, false, nullptr}};
  return kKinds;
}

const PageKindInfo& KindInfo(PageKind kind) { return PageKinds()[static_cast<size_t>(kind)]; }
bool IsWebPage(PageKind kind) { return KindInfo(kind).template_name != nullptr; }

const std::vector<GeneratedSection>& GeneratedSections() {
  static const std::vector<GeneratedSection> kSections = {
      {"checklist", "Checklist"},
      {"mistakes", "Common mistakes"},
      {"metrics", "Metrics"},
      {"scale", "Back of the envelope"},
      {"failure-modes", "Failure modes"},
      {"questions", "Test yourself"},
      {"references", "References"},
      {"related", "Related"},
      {"used-in", "Used in"},
      {"case-studies", "Case studies"},
      {"definition", ""},
      {"formula", "Formula"},
      {"pitfalls", "Pitfalls"},
      // No template uses it now; it stays reserved so that heading ids
      // in existing guides do not change.
      {"progress", "Progress"},
      {"source", "Source"}};
  return kSections;
}

const GeneratedSection& Generated(const char* anchor) {
  for (const GeneratedSection& s : GeneratedSections())
    if (std::string_view(s.anchor) == anchor) return s;
  std::fprintf(stderr, "casebook: bug: section '%s' is missing from GeneratedSections()\n", anchor);
  std::abort();
}

const std::vector<std::string>& LayoutAnchors() {
  // "top" is the site header, where "Back to top" leads; the search box's
  // parts are named for its label and its screen-reader descriptions.
  static const std::vector<std::string> kAnchors = {"main",          "toc",           "top",
                                                    "search-input",  "search-status",
                                                    "search-results"};
  return kAnchors;
}

const std::vector<std::string>& PracticeAnchors() {
  static const std::vector<std::string> kAnchors = {"practice-review", "practice-mock",
                                                    "practice-questions", "practice-transfer"};
  return kAnchors;
}

std::string HomeUrl() { return "index.html"; }
std::string PageUrl(const std::string& id) { return id + ".html"; }
std::string StepUrl(const std::string& id) { return "framework/" + id + ".html"; }
std::string CaseUrl(const std::string& id) { return "cases/" + id + ".html"; }
std::string TermUrl(const std::string& id) { return "glossary/" + id + ".html"; }
std::string SheetUrl(const std::string& case_id) { return "sheets/" + case_id + ".html"; }
std::string FrameworkSheetUrl() { return "sheets/framework.html"; }
std::string MetricsSheetUrl() { return "sheets/metrics.html"; }
std::string PracticeUrl(const Site& site) {
  for (const FreePage& p : site.pages)
    if (PageUrl(p.id) == "practice.html") return "practice/index.html";
  return "practice.html";
}
std::string AnkiDeckUrl() { return "practice/anki.txt"; }
std::string NotFoundUrl() { return "404.html"; }

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
  if (fs != std::string::npos && ts != std::string::npos && from.compare(0, fs, to, 0, ts) == 0 &&
      fs == ts)
    return to.substr(ts + 1);
  return RootPrefix(from) + to;
}

// "cat-" keeps these apart from heading ids (site_index reserves the prefix).
std::string CategoryAnchor(const std::string& category) { return "cat-" + Slugify(category); }

std::vector<size_t> CaseOrder(const Site& site) {
  std::vector<size_t> order(site.cases.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const CaseStudy &x = site.cases[a], &y = site.cases[b];
    return std::tie(x.category, x.title) < std::tie(y.category, y.title);
  });
  return order;
}

std::vector<std::pair<std::string, std::vector<size_t>>> GlossaryOrder(const Site& site) {
  std::vector<std::pair<std::string, std::vector<size_t>>> groups;
  for (size_t i = 0; i < site.terms.size(); ++i) {
    const std::string& cat = site.terms[i].category;
    auto it = std::find_if(groups.begin(), groups.end(), [&](auto& g) { return g.first == cat; });
    if (it == groups.end()) it = groups.insert(groups.end(), {cat, {}});
    it->second.push_back(i);
  }
  for (auto& [cat, terms] : groups)
    std::stable_sort(terms.begin(), terms.end(), [&](size_t a, size_t b) {
      return AsciiLower(site.terms[a].term) < AsciiLower(site.terms[b].term);
    });
  return groups;
}

std::string ChecklistScope(const Step& step) { return "step/" + step.id; }
std::string ChecklistScope(const CaseStudy& c, const Step& step) {
  return "case/" + c.id + "/" + step.id;
}
std::string ChecklistKey(const std::string& scope, const ChecklistItem& item) {
  return scope + "/" + item.id + "/" + ShortHash(item.text.source);
}

std::string QuestionScope(const CaseStudy& c) { return "case/" + c.id; }

std::vector<std::string> QuestionKeys(const std::string& scope,
                                      const std::vector<Question>& questions) {
  std::vector<std::string> keys;
  std::map<std::string, int> seen;
  for (const Question& q : questions) {
    std::string key = "practice/" + scope + "/" + ShortHash(q.question.source);
    int n = ++seen[key];
    keys.push_back(n == 1 ? key : key + "-" + std::to_string(n));
  }
  return keys;
}

std::map<std::string, std::string> CategorySlugs(const Site& site) {
  std::map<std::string, std::string> slugs;
  std::set<std::string> taken;
  for (size_t i : CaseOrder(site)) {
    const std::string& category = site.cases[i].category;
    if (slugs.count(category)) continue;
    std::string slug = AsciiSlug(category);
    if (slug.empty()) slug = "category";
    std::string unique = slug;
    for (int n = 2; !taken.insert(unique).second; ++n) unique = slug + "-" + std::to_string(n);
    slugs[category] = unique;
  }
  return slugs;
}

std::vector<QuestionGroup> QuestionGroups(const Site& site) {
  std::vector<QuestionGroup> groups;
  for (size_t i = 0; i < site.steps.size(); ++i) {
    const Step& s = site.steps[i];
    if (s.questions.empty()) continue;
    groups.push_back({false, i, ChecklistScope(s), std::to_string(s.number) + ". " + s.title,
                      StepUrl(s.id), s.path, "", &s.questions});
  }
  std::map<std::string, std::string> categories = CategorySlugs(site);
  for (size_t i : CaseOrder(site)) {
    const CaseStudy& c = site.cases[i];
    if (c.questions.empty()) continue;
    groups.push_back({true, i, QuestionScope(c), c.title, CaseUrl(c.id), c.path,
                      categories[c.category], &c.questions});
  }
  return groups;
}

std::map<int, int> MockLengths(const Site& site) {
  std::map<int, int> lengths;
  if (site.steps.empty()) return lengths;
  for (const auto& [length, minutes] : site.steps.front().budget) lengths[length] = 0;
  for (const Step& s : site.steps)
    for (auto it = lengths.begin(); it != lengths.end();) {
      auto own = s.budget.find(it->first);
      if (own == s.budget.end()) {
        it = lengths.erase(it);
      } else {
        it->second += own->second;
        ++it;
      }
    }
  return lengths;
}

bool HasMock(const Site& site) { return !MockLengths(site).empty() && !site.cases.empty(); }

std::vector<Fragment*> PageMap::AllFragments() const {
  std::vector<Fragment*> all;
  for (const Page& p : pages)
    for (const FragmentSlot& s : p.fragments) all.push_back(s.fragment);
  return all;
}

const Page& PageMap::First(PageKind kind) const {
  size_t k = static_cast<size_t>(kind);
  if (k < first_of_kind.size() && first_of_kind[k] != std::string::npos)
    return pages[first_of_kind[k]];
  std::fprintf(stderr, "casebook: bug: the page map has no page of kind %d\n",
               static_cast<int>(kind));
  std::abort();
}

namespace {

// Builds one page at a time; each model type lists its fragments here and
// nowhere else.
class MapBuilder {
 public:
  explicit MapBuilder(PageMap& map) : map_(map) {}

  Page& Add(PageKind kind, size_t index, std::string url, std::string title,
            std::string source = "", Fragment* body = nullptr) {
    Page p;
    p.kind = kind;
    p.index = index;
    p.url = std::move(url);
    p.title = std::move(title);
    p.source = std::move(source);
    p.body = body;
    map_.pages.push_back(std::move(p));
    origin_url_.clear();
    origin_source_.clear();
    if (body) Slot(*body, "", "").is_body = true;
    return map_.pages.back();
  }

  // A fragment in the generated section `anchor` of the current page.
  void In(const char* anchor, std::initializer_list<Fragment*> fragments) {
    const GeneratedSection& s = Generated(anchor);
    for (Fragment* f : fragments) Slot(*f, s.anchor, s.title);
  }

  void Checklist(std::vector<ChecklistItem>& items, const std::string& anchor,
                 const std::string& title) {
    for (ChecklistItem& item : items) {
      Slot(item.text, anchor, title);
      Slot(item.why, anchor, title);
    }
  }

  // A checklist in short form: only the items' `brief` is on the page.
  void ShortChecklist(std::vector<ChecklistItem>& items, const std::string& anchor,
                      const std::string& title) {
    for (ChecklistItem& item : items) Slot(item.brief, anchor, title);
  }

  // The fragments slotted from here on (until the next page) were written
  // for the page at `url`, made from `source`.
  void From(const std::string& url, const std::string& source) {
    origin_url_ = url;
    origin_source_ = source;
  }

  // A fragment in a section that only a cheat sheet's template writes
  // (`anchor` is the id of that section's heading there).
  void InSheet(const std::string& anchor, const std::string& title, Fragment& f) {
    Slot(f, anchor, title);
  }

 private:
  FragmentSlot& Slot(Fragment& f, const std::string& anchor, const std::string& title) {
    std::vector<FragmentSlot>& slots = map_.pages.back().fragments;
    slots.push_back({&f, anchor, title, false, origin_url_, origin_source_});
    return slots.back();
  }

  PageMap& map_;
  std::string origin_url_, origin_source_;
};

void AddQuestions(MapBuilder& b, std::vector<Question>& questions) {
  for (Question& q : questions) b.In("questions", {&q.question, &q.answer});
}

void AddStep(MapBuilder& b, Step& s, size_t i) {
  b.Add(PageKind::kStep, i, StepUrl(s.id), s.title, s.path, &s.body);
  b.Checklist(s.checklist, "checklist", Generated("checklist").title);
  for (Fragment& m : s.mistakes) b.In("mistakes", {&m});
  AddQuestions(b, s.questions);
}

void AddCase(MapBuilder& b, const Site& site, CaseStudy& c, size_t i) {
  b.Add(PageKind::kCase, i, CaseUrl(c.id), c.title, c.path, &c.body);
  // Each step's checklist, in short form, sits in that step's section,
  // whose anchor is the step id.
  for (size_t s = 0; s < c.checklists.size() && s < site.steps.size(); ++s) {
    b.From(StepUrl(site.steps[s].id), site.steps[s].path);
    b.ShortChecklist(c.checklists[s], site.steps[s].id, site.steps[s].title);
  }
  b.From("", "");  // the rest is the case study's own
  for (ScaleRow& r : c.scale) b.In("scale", {&r.note});
  for (FailureMode& f : c.failure_modes)
    b.In("failure-modes", {&f.failure, &f.signal, &f.mitigation});
  AddQuestions(b, c.questions);
}

void AddTerm(MapBuilder& b, Term& t, size_t i) {
  Page& p = b.Add(PageKind::kTerm, i, TermUrl(t.id), t.term, "glossary.yaml");
  p.own_term = static_cast<int>(i);
  b.In("definition", {&t.definition});
  b.In("pitfalls", {&t.pitfalls});
  b.In("source", {&t.source});
}

// A case's sheet shows its own copies (PrepareSheets in build.cc) of the
// failure modes, and its decisions and probes, which no other page shows.
void AddCaseSheet(MapBuilder& b, CaseStudy& c, size_t i) {
  b.Add(PageKind::kCaseSheet, i, SheetUrl(c.id), c.title + " \xE2\x80\x94 cheat sheet");
  b.From(CaseUrl(c.id), c.path);
  for (SheetDecisions& d : c.sheet.decisions)
    for (Fragment& item : d.items) b.InSheet("decisions-title", "Decisions", item);
  for (FailureMode& f : c.sheet_failures) {
    b.InSheet("failure-modes-title", "Failure modes", f.failure);
    b.InSheet("failure-modes-title", "Failure modes", f.mitigation);
  }
  for (Fragment& p : c.sheet.probes) b.InSheet("probes-title", "What interviewers probe", p);
}

// The practice page: every question (steps first, then case studies in
// their reading order) and the mock interview's checklists. The Anki deck
// holds the same questions in the same order, from copies of its own.
// The copies of each group's questions (CopyPractice in build.cc makes
// them, indexed like site.steps and site.cases).
void AddQuestionCopies(MapBuilder& b, Site& site, QuestionCopies& copies) {
  for (const QuestionGroup& g : QuestionGroups(site)) {
    auto& list = g.is_case ? copies.cases : copies.steps;
    if (g.index >= list.size()) continue;  // a site built without copies (tests)
    b.From(g.url, g.source);
    AddQuestions(b, list[g.index]);
  }
}

// The practice page, when there is something to practise: questions, or a
// mock interview (budgets on every step, and a case study to run it on).
// Its sections are its own (no content writes on it), so their anchors are
// not reserved on every page.
void AddPractice(MapBuilder& b, Site& site) {
  bool mock = HasMock(site);
  if (QuestionGroups(site).empty() && !mock) return;
  b.Add(PageKind::kPractice, 0, PracticeUrl(site), "Practice");
  AddQuestionCopies(b, site, site.practice);
  if (!mock) return;
  for (size_t i = 0; i < site.steps.size() && i < site.mock_checklists.size(); ++i) {
    b.From(StepUrl(site.steps[i].id), site.steps[i].path);
    b.ShortChecklist(site.mock_checklists[i], "practice-mock", "Mock interview");
  }
}

void AddAnkiDeck(MapBuilder& b, Site& site) {
  if (QuestionGroups(site).empty()) return;
  b.Add(PageKind::kAnkiDeck, 0, AnkiDeckUrl(), site.config.title + " \xE2\x80\x94 Anki deck");
  AddQuestionCopies(b, site, site.deck);
}

void AddSheets(MapBuilder& b, Site& site) {
  b.Add(PageKind::kFrameworkSheet, 0, FrameworkSheetUrl(), "Framework cheat sheet");
  for (Step& s : site.steps) {
    b.From(StepUrl(s.id), s.path);
    for (ChecklistItem& item : s.checklist)
      b.InSheet("step-" + std::to_string(s.number), s.title, item.brief);
  }
  b.Add(PageKind::kMetricsSheet, 0, MetricsSheetUrl(), "Metrics cheat sheet");
  for (size_t i : CaseOrder(site)) AddCaseSheet(b, site.cases[i], i);
}

}  // namespace

PageMap BuildPageMap(Site& site) {
  using K = PageKind;
  PageMap map;
  MapBuilder b(map);
  b.Add(K::kHome, 0, HomeUrl(), site.config.title, site.home.path, &site.home.body);
  for (size_t i = 0; i < site.pages.size(); ++i) {
    FreePage& p = site.pages[i];
    b.Add(K::kPage, i, PageUrl(p.id), p.title, p.path, &p.body);
  }
  b.Add(K::kFramework, 0, "framework/index.html", "Framework");
  for (size_t i = 0; i < site.steps.size(); ++i) AddStep(b, site.steps[i], i);
  b.Add(K::kCases, 0, "cases/index.html", "Case studies");
  b.Add(K::kCompare, 0, "cases/compare.html", "Compare the case studies");
  for (size_t i : CaseOrder(site)) AddCase(b, site, site.cases[i], i);
  b.Add(K::kGlossary, 0, "glossary/index.html", "Glossary");
  for (auto& [category, terms] : GlossaryOrder(site))
    for (size_t i : terms) AddTerm(b, site.terms[i], i);
  AddPractice(b, site);
  b.Add(K::kProgress, 0, "progress.html", "Progress");
  AddSheets(b, site);
  AddAnkiDeck(b, site);
  map.first_of_kind.assign(PageKinds().size(), std::string::npos);
  for (size_t i = 0; i < map.pages.size(); ++i) {
    size_t& first = map.first_of_kind[static_cast<size_t>(map.pages[i].kind)];
    if (first == std::string::npos) first = i;
    if (KindInfo(map.pages[i].kind).in_nav) map.nav.push_back(i);
    if (!KindInfo(map.pages[i].kind).in_sequence) map.views.insert(map.pages[i].url);
  }
  for (size_t i = 0; i < site.terms.size(); ++i) map.term_ids.emplace(site.terms[i].id, i);
  for (size_t i = 0; i < site.cases.size(); ++i) map.case_ids.emplace(site.cases[i].id, i);
  return map;
}

}  // namespace casebook
