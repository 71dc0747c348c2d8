#include "entry_data.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string_view>
#include <unordered_set>

#include "front_matter.h"
#include "page_data.h"

namespace casebook {

Data List() { return Data(Data::type::list); }

void Put(Data& d, const std::string& key, Data value) {
  // Put runs for every field of every page: a hash set of views into
  // AllDataNames(), which lives as long as the program.
  static const std::unordered_set<std::string_view> kNames(AllDataNames().begin(),
                                                           AllDataNames().end());
  if (!d.is_object() || !kNames.count(key)) {
    std::fprintf(stderr, "casebook: bug: page data field '%s' is in no page shape\n", key.c_str());
    std::abort();
  }
  d[key] = std::move(value);
}

Data Str(const std::string& s) { return s.empty() ? Data(false) : Data(s); }

const std::string& LinkShape() {
  static const std::string kShape = "title url";
  return kShape;
}
const std::string& StepSummaryShape() {
  static const std::string kShape = LinkShape() + " number summary time count";
  return kShape;
}
const std::string& CaseSummaryShape() {
  static const std::string kShape = [] {
    std::string shape = LinkShape() + " summary category difficulty glance{title text} has_glance";
    for (const CompareColumn& column : CompareColumns()) shape += std::string(" ") + column.name;
    return shape;
  }();
  return kShape;
}
const std::string& TermRefShape() {
  static const std::string kShape = LinkShape() + " tooltip";
  return kShape;
}
const std::string& ChecklistShape() {
  static const std::string kShape = "scope label level items{key id text why} count";
  return kShape;
}
const std::string& ShortChecklistShape() {
  static const std::string kShape = "scope label items{key text} count step_url";
  return kShape;
}
const std::string& BodyShape() {
  static const std::string kShape = "body";  // toc and has_toc are common
  return kShape;
}

Data Link(const std::string& title, const std::string& url) {
  Data d;
  Put(d, "title", Str(title));
  Put(d, "url", Str(url));
  return d;
}

Data StepSummary(const Site& site, size_t i, const std::string& from) {
  const Step& s = site.steps[i];
  Data d = Link(s.title, RelativeUrl(from, StepUrl(s.id)));
  Put(d, "number", Str(std::to_string(s.number)));
  Put(d, "summary", Str(s.summary));
  Put(d, "time", Str(s.time));
  Put(d, "count", Str(std::to_string(s.checklist.size())));
  return d;
}

Data CaseSummary(const CaseStudy& c, const std::string& from) {
  Data d = Link(c.title, RelativeUrl(from, CaseUrl(c.id)));
  Put(d, "summary", Str(c.summary));
  Put(d, "category", Str(c.category));
  Put(d, "difficulty", Str(c.difficulty));
  // The one-line texts (task, inputs, ...), by name and, but for the task
  // (shown on its own), as the list a case page shows at a glance.
  Data glance = List();
  for (const CompareColumn& column : CompareColumns()) {
    std::string text = column.text(c);
    Put(d, column.name, Str(text));
    if (text.empty() || std::string_view(column.name) == "task") continue;
    Data item;
    Put(item, "title", Str(column.title));
    Put(item, "text", Str(text));
    glance.push_back(item);
  }
  Put(d, "has_glance", !glance.list_value().empty());
  Put(d, "glance", glance);
  return d;
}

Data TermRef(const Term& t, const std::string& from) {
  Data d = Link(t.term, RelativeUrl(from, TermUrl(t.id)));
  Put(d, "tooltip", Str(t.tooltip));
  return d;
}

Data TermRef(const Site& site, const PageMap& map, const std::string& id,
             const std::string& from) {
  auto it = map.term_ids.find(id);
  if (it != map.term_ids.end()) return TermRef(site.terms[it->second], from);
  Data d = Link(id, "");
  Put(d, "tooltip", false);
  return d;
}

namespace {

// What both forms of a checklist have: its scope, the count of its items and
// each item's key (one rule for keys: ticks made on one form are the same
// ticks wherever the keys match). `show` adds what the form shows of an item.
template <typename Show>
Data ChecklistOf(const std::vector<ChecklistItem>& checklist, const std::string& scope,
                 Show show) {
  Data items = List();
  for (const ChecklistItem& c : checklist) {
    Data item;
    Put(item, "key", Str(ChecklistKey(scope, c)));
    show(item, c);
    items.push_back(item);
  }
  Data d;
  Put(d, "scope", Str(scope));
  Put(d, "items", items);
  Put(d, "count", Str(std::to_string(checklist.size())));
  // Its heading's level: under the H2 of a case page's section by default.
  Put(d, "level", Str("3"));
  return d;
}

}  // namespace

Data ChecklistData(const std::vector<ChecklistItem>& checklist, const std::string& scope) {
  return ChecklistOf(checklist, scope, [](Data& item, const ChecklistItem& c) {
    Put(item, "id", Str(c.id));
    Put(item, "text", Str(c.text.Html()));
    Put(item, "why", Str(c.why.Html()));
  });
}

Data ShortChecklistData(const std::vector<ChecklistItem>& checklist, const std::string& scope,
                        const std::string& step_url) {
  Data d = ChecklistOf(checklist, scope, [](Data& item, const ChecklistItem& c) {
    Put(item, "text", Str(c.brief.Html()));
  });
  Put(d, "step_url", Str(step_url));
  return d;
}

// Every checklist is a region; its name says which step it belongs to, so a
// page with seven of them has seven distinct names ("Checklist: Data").
Data LabelledChecklist(Data checklist, const std::string& step_title) {
  Put(checklist, "label", Str("Checklist: " + step_title));
  return checklist;
}

namespace {

// A step's or a case study's questions, each {q, a}.
Data QuestionList(const std::vector<Question>& questions) {
  Data list = List();
  for (const Question& q : questions) {
    Data row;
    Put(row, "q", Str(q.question.Html()));
    Put(row, "a", Str(q.answer.Html()));
    list.push_back(row);
  }
  return list;
}

// --- The table of contents --------------------------------------------------
// A page's contents list every section in page order: the body's headings
// (H2, and H3 as sub-entries) and the sections its template generates, whose
// anchors and titles come from GeneratedSections() alone.

void TocEntry(Data& toc, const std::string& id, const std::string& title, bool sub) {
  Data item;
  Put(item, "id", Str(id));
  Put(item, "title", Str(title));
  Put(item, "sub", sub);
  toc.push_back(item);
}

void TocGenerated(Data& toc, const char* anchor) {
  const GeneratedSection& s = Generated(anchor);
  TocEntry(toc, s.anchor, s.title, false);
}

void TocHeading(Data& toc, const Heading& h) {
  if (h.level <= 3) TocEntry(toc, h.id, h.title, h.level == 3);
}

Data Toc(const Fragment& f) {
  Data toc = List();
  for (const Heading& h : f.headings) TocHeading(toc, h);
  return toc;
}

void SetToc(Data& d, const Data& toc) {
  Put(d, "has_toc", !toc.list_value().empty());
  Put(d, "toc", toc);
}

// The id a case page gives each step's checklist (partials/case-checklist.html;
// "-title" because it was once the checklist's heading, and links to it last).
std::string ChecklistHeadingId(const std::string& scope) { return scope + "-title"; }

// A case page: Metrics, then each body section with its step's checklist
// after it, then the tables and lists the template writes after the body.
Data CaseToc(const Site& site, const CaseStudy& c) {
  Data toc = List();
  if (!c.offline_metrics.empty() || !c.online_metrics.empty()) TocGenerated(toc, "metrics");
  size_t h2 = 0;
  auto checklist = [&] {  // of the section that just ended
    int step = h2 >= 1 && h2 - 1 < c.section_steps.size() ? c.section_steps[h2 - 1] : -1;
    if (step < 0) return;
    const Step& s = site.steps[static_cast<size_t>(step)];
    // Named by its step: seven entries all called "Checklist" would not
    // say which is which.
    std::string name = Generated("checklist").title;
    name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
    TocEntry(toc, ChecklistHeadingId(ChecklistScope(c, s)),
             "Step " + std::to_string(s.number) + " " + name, true);
  };
  for (const Heading& h : c.body.headings) {
    if (h.level == 2 && h.top_level) {
      checklist();
      ++h2;
    }
    TocHeading(toc, h);
  }
  checklist();
  if (!c.scale.empty()) TocGenerated(toc, "scale");
  if (!c.failure_modes.empty()) TocGenerated(toc, "failure-modes");
  if (!c.questions.empty()) TocGenerated(toc, "questions");
  if (!c.related.empty()) TocGenerated(toc, "related");
  if (!c.references.empty()) TocGenerated(toc, "references");
  return toc;
}

Data StepToc(const Site& site, const Step& s) {
  Data toc = Toc(s.body);
  TocGenerated(toc, "checklist");
  if (!s.mistakes.empty()) TocGenerated(toc, "mistakes");
  if (!s.questions.empty()) TocGenerated(toc, "questions");
  if (!site.cases.empty()) TocGenerated(toc, "case-studies");
  return toc;
}

Data TermToc(const Term& t) {
  Data toc = List();
  if (!t.mathml.empty()) TocGenerated(toc, "formula");
  if (!t.pitfalls.empty()) TocGenerated(toc, "pitfalls");
  if (!t.source.empty()) TocGenerated(toc, "source");
  if (!t.related.empty()) TocGenerated(toc, "related");
  TocGenerated(toc, "used-in");
  return toc;
}

}  // namespace

void Body(Data& d, const Fragment& f) {
  Put(d, "body", Str(f.Html()));
  SetToc(d, Toc(f));
}

const std::string& FreePageShape() {
  static const std::string kShape = BodyShape();
  return kShape;
}  // its summary is the common one

void FreePageData(Data& d, const FreePage& p) {
  Body(d, p.body);
  Put(d, "summary", Str(p.summary));
}

const std::string& StepShape() {
  static const std::string kShape = BodyShape() + " step{" + StepSummaryShape() + "} checklist{" +
                               ChecklistShape() + "} mistakes{html} has_mistakes questions{q a} has_questions cases{" +
                               CaseSummaryShape() + "} has_cases";
  return kShape;
}

void StepData(Data& d, const Site& site, size_t i, const std::string& url) {
  const Step& s = site.steps[i];
  Body(d, s.body);
  SetToc(d, StepToc(site, s));
  Put(d, "step", StepSummary(site, i, url));
  Data checklist = LabelledChecklist(ChecklistData(s.checklist, ChecklistScope(s)), s.title);
  // A section of the page, like the mistakes after it (and listed as one in
  // the contents): its heading is an H2, whatever the body's headings.
  Put(checklist, "level", Str("2"));
  Put(d, "checklist", checklist);
  Data mistakes = List();
  for (const Fragment& m : s.mistakes) {
    Data item;
    Put(item, "html", m.Html());
    mistakes.push_back(item);
  }
  Put(d, "mistakes", mistakes);
  Put(d, "has_mistakes", !s.mistakes.empty());
  Put(d, "questions", QuestionList(s.questions));
  Put(d, "has_questions", !s.questions.empty());
  Data cases = List();
  for (size_t ci : CaseOrder(site)) {
    const CaseStudy& c = site.cases[ci];
    if (std::find(c.section_steps.begin(), c.section_steps.end(), static_cast<int>(i)) ==
        c.section_steps.end())
      continue;
    Data item = CaseSummary(c, url);
    Put(item, "url", Str(RelativeUrl(url, CaseUrl(c.id)) + "#" + s.id));
    cases.push_back(item);
  }
  Put(d, "cases", cases);
  Put(d, "has_cases", !site.cases.empty());
}

namespace {

// The case page's body split at its H2s, each with its step's checklist.
Data CaseSections(const Site& site, const CaseStudy& c, const std::string& url) {
  Data sections = List();
  const std::vector<std::string>& html = c.body.Sections();
  size_t h2 = 0;
  for (const Heading& h : c.body.headings) {
    if (h.level != 2 || !h.top_level) continue;
    ++h2;
    Data sec;
    Put(sec, "id", Str(h.id));
    Put(sec, "html", Str(h2 < html.size() ? html[h2] : ""));
    int step = h2 - 1 < c.section_steps.size() ? c.section_steps[h2 - 1] : -1;
    if (step >= 0) {
      size_t si = static_cast<size_t>(step);
      Data sd = StepSummary(site, si, url);
      // The step page has the items in full, with why each matters.
      std::string full = RelativeUrl(url, StepUrl(site.steps[si].id)) + "#" +
                         Generated("checklist").anchor;
      Data list = ShortChecklistData(c.checklists[si], ChecklistScope(c, site.steps[si]), full);
      Put(sd, "checklist", LabelledChecklist(list, site.steps[si].title));
      Put(sec, "step", sd);
    }
    sections.push_back(sec);
  }
  return sections;
}

// The tables and lists after the body: scale, failure modes, questions,
// references.
void CaseTables(Data& d, const CaseStudy& c) {
  Data scale = List(), failures = List(), refs = List();
  for (const ScaleRow& r : c.scale) {
    Data row;
    Put(row, "quantity", Str(r.quantity));
    Put(row, "value", Str(r.value));
    Put(row, "note", Str(r.note.Html()));
    scale.push_back(row);
  }
  for (const FailureMode& f : c.failure_modes) {
    Data row;
    Put(row, "failure", Str(f.failure.Html()));
    Put(row, "signal", Str(f.signal.Html()));
    Put(row, "mitigation", Str(f.mitigation.Html()));
    failures.push_back(row);
  }
  for (const Reference& r : c.references) {
    Data row;
    Put(row, "title", Str(r.title));
    Put(row, "authors", Str(r.authors));
    Put(row, "venue", Str(r.venue));
    Put(row, "year", Str(std::to_string(r.year)));
    Put(row, "url", Str(r.url));
    refs.push_back(row);
  }
  Put(d, "scale", scale);
  Put(d, "has_scale", !c.scale.empty());
  Put(d, "failure_modes", failures);
  Put(d, "has_failure_modes", !c.failure_modes.empty());
  Put(d, "questions", QuestionList(c.questions));
  Put(d, "has_questions", !c.questions.empty());
  Put(d, "references", refs);
  Put(d, "has_references", !c.references.empty());
}

}  // namespace

const std::string& CaseShape() {
  static const std::string kShape =
      "case{" + CaseSummaryShape() + "} intro "
      "sections{id html step{" + StepSummaryShape() + " checklist{" + ShortChecklistShape() +
      "}}} "
      "offline_metrics{" + TermRefShape() + "} online_metrics{" + TermRefShape() + "} has_metrics "
      "related{" + CaseSummaryShape() + "} has_related scale{quantity value note} has_scale "
      "failure_modes{failure signal mitigation} has_failure_modes questions{q a} has_questions "
      "references{title authors venue year url} has_references sheet_url";
  return kShape;
}

void CaseData(Data& d, const Site& site, const PageMap& map, const CaseStudy& c,
              const std::string& url) {
  Put(d, "case", CaseSummary(c, url));
  Put(d, "summary", Str(c.summary));
  const std::vector<std::string>& html = c.body.Sections();
  Put(d, "intro", Str(html.empty() ? "" : html[0]));
  SetToc(d, CaseToc(site, c));
  Put(d, "sections", CaseSections(site, c, url));
  Data offline = List(), online = List(), related = List();
  for (const IdRef& r : c.offline_metrics) offline.push_back(TermRef(site, map, r.id, url));
  for (const IdRef& r : c.online_metrics) online.push_back(TermRef(site, map, r.id, url));
  for (const IdRef& r : c.related) {
    auto other = map.case_ids.find(r.id);
    if (other != map.case_ids.end()) related.push_back(CaseSummary(site.cases[other->second], url));
  }
  Put(d, "offline_metrics", offline);
  Put(d, "online_metrics", online);
  Put(d, "has_metrics", !c.offline_metrics.empty() || !c.online_metrics.empty());
  Put(d, "related", related);
  Put(d, "has_related", !c.related.empty());
  Put(d, "sheet_url", Str(RelativeUrl(url, SheetUrl(c.id))));
  CaseTables(d, c);
}

namespace {

// The "Used in" list as its <li> items, one per mention, already escaped as
// the template would have escaped them. A term of a large guide is
// mentioned thousands of times; one Mustache object per mention made
// this list most of a build's time (kainjow copies objects deeply).
std::string UsedInItems(const Site& site, const PageMap& map, const Term& t,
                        const std::string& url) {
  std::string items;
  auto it = site.mentions.find(t.id);
  if (it == site.mentions.end()) return items;
  for (const Mention& m : it->second) {
    // A cheat sheet repeats the pages it summarizes: listing it too would
    // name most places twice.
    if (map.views.count(std::string_view(m.url()).substr(0, m.url().find('#')))) continue;
    items += "<li><a href=\"";
    AppendTemplateEscaped(RelativeUrl(url, m.url()), items);
    items += "\">";
    AppendTemplateEscaped(m.title(), items);
    items += "</a></li>";
  }
  return items;
}

}  // namespace

const std::string& TermShape() {
  static const std::string kShape =
      "term{term category aliases definition formula tex range better better_text pitfalls "
      "source} related{" + TermRefShape() + "} has_related used_in has_used_in";
  return kShape;
}

void TermData(Data& d, const Site& site, const PageMap& map, const Term& t,
              const std::string& url) {
  Data term;
  Put(term, "term", Str(t.term));
  Put(term, "category", Str(t.category));
  std::string aliases;
  for (const std::string& a : t.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
  Put(term, "aliases", Str(aliases));
  Put(term, "definition", Str(t.definition.Html()));
  Put(term, "formula", Str(t.mathml));
  Put(term, "tex", Str(t.formula));
  Put(term, "range", Str(t.range));
  Put(term, "better", Str(t.better));
  static const std::map<std::string, std::string> kBetter = {
      {"higher", "Higher is better"}, {"lower", "Lower is better"},
      {"target", "Closest to its target is best"}};
  Put(term, "better_text", Str(t.better.empty() ? "" : kBetter.at(t.better)));
  Put(term, "pitfalls", Str(t.pitfalls.Html()));
  Put(term, "source", Str(t.source.Html()));
  Put(d, "term", term);
  SetToc(d, TermToc(t));
  Put(d, "summary", Str(t.tooltip));
  Data related = List();
  for (const IdRef& r : t.related) related.push_back(TermRef(site, map, r.id, url));
  Put(d, "related", std::move(related));
  Put(d, "has_related", !t.related.empty());
  std::string used = UsedInItems(site, map, t, url);
  Put(d, "has_used_in", !used.empty());
  Put(d, "used_in", Str(used));
}

}  // namespace casebook
