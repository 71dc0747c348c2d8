#include "sheet_data.h"

#include <map>

#include "entry_data.h"
#include "front_matter.h"

namespace casebook {

namespace {

Data HtmlItems(const std::vector<Fragment>& fragments) {
  Data items = List();
  for (const Fragment& f : fragments) {
    Data item;
    Put(item, "html", Str(f.Html()));
    items.push_back(item);
  }
  return items;
}

Data MetricRefs(const Site& site, const PageMap& map, const std::vector<IdRef>& ids,
                const std::string& url) {
  Data list = List();
  for (const IdRef& r : ids) list.push_back(TermRef(site, map, r.id, url));
  return list;
}

// The steps with decisions, in framework order (not the order written).
Data DecisionSteps(const Site& site, const CaseStudy& c, const std::string& url) {
  Data steps = List();
  for (size_t i = 0; i < site.steps.size(); ++i)
    for (const SheetDecisions& d : c.sheet.decisions) {
      if (d.step != site.steps[i].id) continue;
      Data step = StepSummary(site, i, url);
      Put(step, "decisions", HtmlItems(d.items));
      steps.push_back(step);
    }
  return steps;
}

}  // namespace

std::vector<const ScaleRow*> SheetScaleRows(const CaseStudy& c) {
  std::vector<const ScaleRow*> rows;
  for (const ScaleRow& r : c.scale)
    if (r.headline || r.sheet) rows.push_back(&r);
  // A case that marks nothing still shows the numbers it opens with.
  if (rows.empty())
    for (size_t i = 0; i < c.scale.size() && i < 3; ++i) rows.push_back(&c.scale[i]);
  return rows;
}

const std::string& CaseSheetShape() {
  static const std::string kShape =
      "case{" + CaseSummaryShape() + "} problem case_url scale{quantity value headline} "
      "has_scale offline_metrics{" + TermRefShape() + "} online_metrics{" + TermRefShape() +
      "} has_metrics diagram steps{" + StepSummaryShape() + " decisions{html}} has_decisions "
      "failure_modes{failure mitigation} has_failure_modes probes{html} has_probes "
      "framework_sheet{" + LinkShape() + "}";
  return kShape;
}

void CaseSheetData(Data& d, const Site& site, const PageMap& map, const CaseStudy& c,
                   const std::string& url) {
  Put(d, "case", CaseSummary(c, url));
  Put(d, "case_url", Str(RelativeUrl(url, CaseUrl(c.id))));
  Put(d, "problem", Str(c.sheet.problem.empty() ? c.summary : c.sheet.problem));
  Data scale = List();
  for (const ScaleRow* r : SheetScaleRows(c)) {
    Data row;
    Put(row, "quantity", Str(r->quantity));
    Put(row, "value", Str(r->value));
    Put(row, "headline", r->headline);
    scale.push_back(row);
  }
  Put(d, "has_scale", !scale.list_value().empty());
  Put(d, "scale", scale);
  Put(d, "offline_metrics", MetricRefs(site, map, c.offline_metrics, url));
  Put(d, "online_metrics", MetricRefs(site, map, c.online_metrics, url));
  Put(d, "has_metrics", !c.offline_metrics.empty() || !c.online_metrics.empty());
  // Raw HTML: the link phase rendered and sanitized the figure.
  Put(d, "diagram", Str(c.body.diagrams.empty() ? "" : c.body.diagrams.front()));
  Put(d, "steps", DecisionSteps(site, c, url));
  Put(d, "has_decisions", !c.sheet.decisions.empty());
  Data failures = List();
  for (const FailureMode& f : c.sheet_failures) {
    Data row;
    Put(row, "failure", Str(f.failure.Html()));
    Put(row, "mitigation", Str(f.mitigation.Html()));
    failures.push_back(row);
  }
  Put(d, "failure_modes", failures);
  Put(d, "has_failure_modes", !c.sheet_failures.empty());
  Put(d, "probes", HtmlItems(c.sheet.probes));
  Put(d, "has_probes", !c.sheet.probes.empty());
  Put(d, "framework_sheet", Link("Framework cheat sheet", RelativeUrl(url, FrameworkSheetUrl())));
}

const std::string& FrameworkSheetShape() {
  static const std::string kShape = "steps{" + StepSummaryShape() + " items{html}} has_steps";
  return kShape;
}

void FrameworkSheetData(Data& d, const Site& site, const std::string& url) {
  Data steps = List();
  for (size_t i = 0; i < site.steps.size(); ++i) {
    Data step = StepSummary(site, i, url);
    Data items = List();
    for (const ChecklistItem& item : site.steps[i].checklist) {
      Data entry;
      Put(entry, "html", Str(item.brief.Html()));
      items.push_back(entry);
    }
    Put(step, "items", items);
    steps.push_back(step);
  }
  Put(d, "steps", steps);
  Put(d, "has_steps", !site.steps.empty());
}

const std::string& MetricsSheetShape() {
  static const std::string kShape =
      "categories{name terms{" + TermRefShape() + " formula range better better_text}} has_terms";
  return kShape;
}

void MetricsSheetData(Data& d, const Site& site, const std::string& url) {
  static const std::map<std::string, std::string> kBetter = {
      {"higher", "higher is better"}, {"lower", "lower is better"},
      {"target", "closest to its target"}};
  Data cats = List();
  bool any = false;
  for (auto& [cat, terms] : GlossaryOrder(site)) {
    Data list = List();
    for (size_t i : terms) {
      const Term& t = site.terms[i];
      if (!t.sheet) continue;
      Data term = TermRef(t, url);
      Put(term, "formula", Str(t.mathml));
      Put(term, "range", Str(t.range));
      Put(term, "better", Str(t.better));
      Put(term, "better_text", Str(t.better.empty() ? "" : kBetter.at(t.better)));
      list.push_back(term);
    }
    if (list.list_value().empty()) continue;
    any = true;
    Data c;
    Put(c, "name", Str(cat));
    Put(c, "terms", list);
    cats.push_back(c);
  }
  Put(d, "categories", cats);
  Put(d, "has_terms", any);
}

}  // namespace casebook
