#include "render.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "parallel.h"
#include "site_index.h"
#include "text.h"

namespace casebook {

namespace {

using Data = TemplateData;

Data List() { return Data(Data::type::list); }

// Sets a field of page data. Only names in TemplateVariables() may be set,
// because the template check rejects every other name; setting one is a
// bug in this file, caught by any test that renders a page.
void Put(Data& d, const std::string& key, const Data& value) {
  if (!TemplateVariables().count(key)) {
    std::fprintf(stderr, "casebook: bug: page data field '%s' is missing from TemplateVariables()\n",
                 key.c_str());
    std::abort();
  }
  d.set(key, value);
}

// Empty text is false, so that {{#field}} hides an empty field, and the key
// stays present, so that Mustache never finds a same-named outer value.
Data Str(const std::string& s) { return s.empty() ? Data(false) : Data(s); }

Data Link(const std::string& title, const std::string& url) {
  Data d;
  Put(d, "title", Str(title));
  Put(d, "url", Str(url));
  return d;
}

// One output page: what it is and where it sits in the reading order.
struct PagePlan {
  enum class Kind { kHome, kPage, kFramework, kStep, kCases, kCase, kGlossary, kTerm, kProgress };
  Kind kind;
  size_t index = 0;  // into pages, steps, cases or terms
  std::string url;
  std::string title;
  std::string template_name;
};

// Case studies by category (alphabetical), then title.
std::vector<size_t> CaseOrder(const Site& site) {
  std::vector<size_t> order(site.cases.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const CaseStudy &x = site.cases[a], &y = site.cases[b];
    return std::tie(x.category, x.title) < std::tie(y.category, y.title);
  });
  return order;
}

// Glossary categories in the order they first appear; terms alphabetical.
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

std::vector<PagePlan> PlanPages(const Site& site) {
  using K = PagePlan::Kind;
  std::vector<PagePlan> plan;
  plan.push_back({K::kHome, 0, HomeUrl(), site.config.title, "home"});
  for (size_t i = 0; i < site.pages.size(); ++i)
    plan.push_back({K::kPage, i, PageUrl(site.pages[i].id), site.pages[i].title, "page"});
  plan.push_back({K::kFramework, 0, FrameworkUrl(), "Framework", "framework"});
  for (size_t i = 0; i < site.steps.size(); ++i)
    plan.push_back({K::kStep, i, StepUrl(site.steps[i].id), site.steps[i].title, "step"});
  plan.push_back({K::kCases, 0, CasesUrl(), "Case studies", "cases"});
  for (size_t i : CaseOrder(site))
    plan.push_back({K::kCase, i, CaseUrl(site.cases[i].id), site.cases[i].title, "case"});
  plan.push_back({K::kGlossary, 0, GlossaryUrl(), "Glossary", "glossary"});
  for (auto& [cat, terms] : GlossaryOrder(site))
    for (size_t i : terms)
      plan.push_back({K::kTerm, i, TermUrl(site.terms[i].id), site.terms[i].term, "term"});
  plan.push_back({K::kProgress, 0, ProgressUrl(), "Progress", "progress"});
  return plan;
}

class Renderer {
 public:
  Renderer(const Site& site, const std::vector<PagePlan>& plan) : site_(site), plan_(plan) {}

  Data PageData(size_t n) const {
    const PagePlan& p = plan_[n];
    Data d = Common(p.url, p.title);
    if (n > 0) Put(d, "prev", Link(plan_[n - 1].title, RelativeUrl(p.url, plan_[n - 1].url)));
    if (n + 1 < plan_.size())
      Put(d, "next", Link(plan_[n + 1].title, RelativeUrl(p.url, plan_[n + 1].url)));
    Data crumbs = List();
    auto crumb = [&](const std::string& title, const std::string& url) {
      crumbs.push_back(Link(title, RelativeUrl(p.url, url)));
    };
    using K = PagePlan::Kind;
    if (p.kind != K::kHome) crumb("Home", HomeUrl());
    switch (p.kind) {
      case K::kHome: Home(d); break;
      case K::kPage: FreePageData(d, site_.pages[p.index]); break;
      case K::kFramework: Framework(d, p.url); break;
      case K::kStep: crumb("Framework", FrameworkUrl()); StepData(d, p.index, p.url); break;
      case K::kCases: Cases(d, p.url); break;
      case K::kCase: crumb("Case studies", CasesUrl()); CaseData(d, site_.cases[p.index], p.url); break;
      case K::kGlossary: Glossary(d, p.url); break;
      case K::kTerm: crumb("Glossary", GlossaryUrl()); TermData(d, site_.terms[p.index], p.url); break;
      case K::kProgress: Progress(d, p.url); break;
    }
    Put(d, "breadcrumbs", crumbs);
    Put(d, "has_breadcrumbs", p.kind != K::kHome);
    Put(d, "is_home", p.kind == K::kHome);
    return d;
  }

  // Data every page has: the site, the page, navigation and the way back
  // to the root.
  Data Common(const std::string& url, const std::string& title) const {
    const SiteConfig& c = site_.config;
    Data site;
    Put(site, "id", Str(c.id));
    Put(site, "title", Str(c.title));
    Put(site, "description", Str(c.description));
    Put(site, "repository", Str(c.repository));
    Put(site, "language", Str(c.language));
    Data d;
    Put(d, "site", site);
    Put(d, "root", Str(RootPrefix(url)));
    Put(d, "storage_prefix", Str("casebook:" + c.id + ":"));
    Data page;
    Put(page, "title", Str(title));
    Put(page, "url", Str(url));
    Put(d, "page", page);
    if (!c.base_url.empty()) Put(d, "canonical", c.base_url + (url == HomeUrl() ? "" : url));
    Data nav = List();
    const std::pair<const char*, std::string> kNav[] = {{"Framework", FrameworkUrl()},
                                                        {"Case studies", CasesUrl()},
                                                        {"Glossary", GlossaryUrl()},
                                                        {"Progress", ProgressUrl()}};
    for (const auto& [t, u] : kNav) {
      Data item = Link(t, RelativeUrl(url, u));
      std::string section = u.substr(0, u.find('/'));
      Put(item, "current", url == u || (u.find('/') != std::string::npos &&
                                       url.rfind(section + "/", 0) == 0));
      nav.push_back(item);
    }
    Put(d, "nav", nav);
    return d;
  }

 private:
  static Data Toc(const Fragment& f) {
    Data toc = List();
    for (const Heading& h : f.headings) {
      if (h.level > 3) continue;
      Data item;
      Put(item, "id", Str(h.id));
      Put(item, "title", Str(h.title));
      Put(item, "sub", h.level == 3);
      toc.push_back(item);
    }
    return toc;
  }

  void Body(Data& d, const Fragment& f) const {
    Put(d, "body", Str(f.Html()));
    Put(d, "toc", Toc(f));
    Put(d, "has_toc", !f.headings.empty());
  }

  Data StepSummary(size_t i, const std::string& from) const {
    const Step& s = site_.steps[i];
    Data d = Link(s.title, RelativeUrl(from, StepUrl(s.id)));
    Put(d, "number", Str(std::to_string(s.number)));
    Put(d, "summary", Str(s.summary));
    Put(d, "time", Str(s.time));
    Put(d, "count", Str(std::to_string(s.checklist.size())));
    return d;
  }

  Data CaseSummary(const CaseStudy& c, const std::string& from) const {
    Data d = Link(c.title, RelativeUrl(from, CaseUrl(c.id)));
    Put(d, "summary", Str(c.summary));
    Put(d, "category", Str(c.category));
    Put(d, "difficulty", Str(c.difficulty));
    Put(d, "task", Str(c.task));
    return d;
  }

  void Home(Data& d) const {
    Body(d, site_.home.body);
    Data steps = List(), pages = List();
    for (size_t i = 0; i < site_.steps.size(); ++i) steps.push_back(StepSummary(i, HomeUrl()));
    for (const FreePage& p : site_.pages) {
      Data item = Link(p.title, PageUrl(p.id));
      Put(item, "summary", Str(p.summary));
      pages.push_back(item);
    }
    Put(d, "steps", steps);
    Put(d, "pages", pages);
    Put(d, "categories", CaseCategories(HomeUrl()));
    Put(d, "case_count", Str(std::to_string(site_.cases.size())));
    Put(d, "term_count", Str(std::to_string(site_.terms.size())));
  }

  void FreePageData(Data& d, const FreePage& p) const {
    Body(d, p.body);
    Put(d, "summary", Str(p.summary));
  }

  void Framework(Data& d, const std::string& url) const {
    Data steps = List();
    for (size_t i = 0; i < site_.steps.size(); ++i) steps.push_back(StepSummary(i, url));
    Put(d, "steps", steps);
  }

  void StepData(Data& d, size_t i, const std::string& url) const {
    const Step& s = site_.steps[i];
    Body(d, s.body);
    Put(d, "step", StepSummary(i, url));
    Put(d, "checklist", ChecklistData(s.checklist, "step/" + s.id));
    Data mistakes = List();
    for (const Fragment& m : s.mistakes) {
      Data item;
      Put(item, "html", m.Html());
      mistakes.push_back(item);
    }
    Put(d, "mistakes", mistakes);
    Put(d, "has_mistakes", !s.mistakes.empty());
    Data cases = List();
    for (size_t ci : CaseOrder(site_)) {
      const CaseStudy& c = site_.cases[ci];
      if (std::find(c.section_steps.begin(), c.section_steps.end(), static_cast<int>(i)) ==
          c.section_steps.end())
        continue;
      Data item = CaseSummary(c, url);
      Put(item, "url", Str(RelativeUrl(url, CaseUrl(c.id)) + "#" + s.id));
      cases.push_back(item);
    }
    Put(d, "cases", cases);
    Put(d, "has_cases", !site_.cases.empty());
  }

  Data CaseCategories(const std::string& from) const {
    Data cats = List();
    std::string current;
    Data list = List();
    auto flush = [&] {
      if (current.empty() && list.list_value().empty()) return;
      Data cat;
      Put(cat, "name", Str(current));
      Put(cat, "id", Str(Slugify(current)));
      Put(cat, "cases", list);
      cats.push_back(cat);
    };
    bool first = true;
    for (size_t i : CaseOrder(site_)) {
      const CaseStudy& c = site_.cases[i];
      if (!first && c.category != current) {
        flush();
        list = List();
      }
      first = false;
      current = c.category;
      list.push_back(CaseSummary(c, from));
    }
    if (!first) flush();
    return cats;
  }

  void Cases(Data& d, const std::string& url) const {
    Put(d, "categories", CaseCategories(url));
  }

  Data TermRef(const std::string& id, const std::string& from) const {
    for (const Term& t : site_.terms)
      if (t.id == id) {
        Data d = Link(t.term, RelativeUrl(from, TermUrl(t.id)));
        Put(d, "tooltip", Str(t.tooltip));
        return d;
      }
    return Link(id, "");
  }

  void CaseData(Data& d, const CaseStudy& c, const std::string& url) const {
    Put(d, "case", CaseSummary(c, url));
    Put(d, "summary", Str(c.summary));
    Put(d, "intro", Str(c.body.sections.empty() ? "" : c.body.sections[0]));
    Put(d, "toc", Toc(c.body));
    Put(d, "has_toc", !c.body.headings.empty());
    Data sections = List();
    size_t h2 = 0;
    for (const Heading& h : c.body.headings) {
      if (h.level != 2 || !h.top_level) continue;
      ++h2;
      Data sec;
      Put(sec, "id", Str(h.id));
      Put(sec, "html", Str(h2 < c.body.sections.size() ? c.body.sections[h2] : ""));
      int step = h2 - 1 < c.section_steps.size() ? c.section_steps[h2 - 1] : -1;
      if (step >= 0) {
        const Step& s = site_.steps[static_cast<size_t>(step)];
        Data sd = StepSummary(static_cast<size_t>(step), url);
        Put(sd, "checklist", ChecklistData(c.checklists[static_cast<size_t>(step)], "case/" + c.id + "/" + s.id));
        Put(sec, "step", sd);
      }
      sections.push_back(sec);
    }
    Put(d, "sections", sections);
    Data offline = List(), online = List(), related = List();
    for (const IdRef& r : c.offline_metrics) offline.push_back(TermRef(r.id, url));
    for (const IdRef& r : c.online_metrics) online.push_back(TermRef(r.id, url));
    for (const IdRef& r : c.related)
      for (const CaseStudy& other : site_.cases)
        if (other.id == r.id) related.push_back(CaseSummary(other, url));
    Put(d, "offline_metrics", offline);
    Put(d, "online_metrics", online);
    Put(d, "has_metrics", !c.offline_metrics.empty() || !c.online_metrics.empty());
    Put(d, "related", related);
    Put(d, "has_related", !c.related.empty());
    Data scale = List(), failures = List(), questions = List(), refs = List();
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
    for (const Question& q : c.questions) {
      Data row;
      Put(row, "q", Str(q.question.Html()));
      Put(row, "a", Str(q.answer.Html()));
      questions.push_back(row);
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
    Put(d, "questions", questions);
    Put(d, "has_questions", !c.questions.empty());
    Put(d, "references", refs);
    Put(d, "has_references", !c.references.empty());
  }

  void Glossary(Data& d, const std::string& url) const {
    Data cats = List();
    for (auto& [cat, terms] : GlossaryOrder(site_)) {
      Data list = List();
      for (size_t i : terms) {
        const Term& t = site_.terms[i];
        Data item = Link(t.term, RelativeUrl(url, TermUrl(t.id)));
        Put(item, "tooltip", Str(t.tooltip));
        list.push_back(item);
      }
      Data c;
      Put(c, "name", Str(cat));
      Put(c, "id", Str(Slugify(cat)));
      Put(c, "terms", list);
      cats.push_back(c);
    }
    Put(d, "categories", cats);
    Put(d, "term_count", Str(std::to_string(site_.terms.size())));
  }

  void TermData(Data& d, const Term& t, const std::string& url) const {
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
    const std::map<std::string, std::string> kBetter = {
        {"higher", "Higher is better"}, {"lower", "Lower is better"},
        {"target", "Closest to its target is best"}};
    Put(term, "better_text", Str(t.better.empty() ? "" : kBetter.at(t.better)));
    Put(term, "pitfalls", Str(t.pitfalls.Html()));
    Put(term, "source", Str(t.source.Html()));
    Put(d, "term", term);
    Put(d, "summary", Str(t.tooltip));
    Data related = List(), used = List();
    for (const IdRef& r : t.related) related.push_back(TermRef(r.id, url));
    Put(d, "related", related);
    Put(d, "has_related", !t.related.empty());
    auto it = site_.mentions.find(t.id);
    // Case studies that list the term as a metric count as uses too.
    std::vector<Mention> mentions = it == site_.mentions.end() ? std::vector<Mention>{} : it->second;
    for (const CaseStudy& c : site_.cases)
      for (const auto* list : {&c.offline_metrics, &c.online_metrics})
        for (const IdRef& r : *list)
          if (r.id == t.id) mentions.push_back({CaseUrl(c.id) + "#metrics", c.title + " \xE2\x80\xBA Metrics"});
    std::sort(mentions.begin(), mentions.end());
    mentions.erase(std::unique(mentions.begin(), mentions.end()), mentions.end());
    for (const Mention& m : mentions) used.push_back(Link(m.title, RelativeUrl(url, m.url)));
    Put(d, "used_in", used);
    Put(d, "has_used_in", !mentions.empty());
  }

  void Progress(Data& d, const std::string& url) const {
    Data steps = List(), cases = List();
    size_t total = 0;
    auto keys_of = [](const Step& s, const std::string& scope) {
      std::string keys;
      for (const ChecklistItem& item : s.checklist)
        keys += (keys.empty() ? "" : " ") + scope + "/" + item.id + "/" + ShortHash(item.text.source);
      return keys;
    };
    for (size_t i = 0; i < site_.steps.size(); ++i) {
      const Step& s = site_.steps[i];
      Data item = StepSummary(i, url);
      Put(item, "keys", Str(keys_of(s, "step/" + s.id)));
      total += s.checklist.size();
      steps.push_back(item);
    }
    for (size_t ci : CaseOrder(site_)) {
      const CaseStudy& c = site_.cases[ci];
      std::string keys;
      size_t count = 0;
      for (int step : c.section_steps) {
        if (step < 0) continue;
        const Step& s = site_.steps[static_cast<size_t>(step)];
        std::string k = keys_of(s, "case/" + c.id + "/" + s.id);
        if (!k.empty()) keys += (keys.empty() ? "" : " ") + k;
        count += s.checklist.size();
      }
      Data item = CaseSummary(c, url);
      Put(item, "keys", Str(keys));
      Put(item, "count", Str(std::to_string(count)));
      total += count;
      cases.push_back(item);
    }
    Put(d, "steps", steps);
    Put(d, "cases", cases);
    Put(d, "total", Str(std::to_string(total)));
  }

  const Site& site_;
  const std::vector<PagePlan>& plan_;
};

std::string NotFoundRoot(const SiteConfig& c) {
  // GitHub Pages serves 404.html at any depth, so its links must be
  // absolute: the path of base_url when known, the host root otherwise.
  if (c.base_url.empty()) return "/";
  size_t scheme = c.base_url.find("://");
  size_t slash = c.base_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? "/" : c.base_url.substr(slash);
}

std::string Sitemap(const SiteConfig& c, const std::vector<PagePlan>& plan) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (const PagePlan& p : plan)
    xml += "  <url><loc>" + HtmlEscape(c.base_url + (p.url == HomeUrl() ? "" : p.url)) +
           "</loc></url>\n";
  return xml + "</urlset>\n";
}

}  // namespace

TemplateData ChecklistData(const std::vector<ChecklistItem>& checklist, const std::string& scope) {
  Data items = List();
  for (const ChecklistItem& c : checklist) {
    Data item;
    Put(item, "key", Str(scope + "/" + c.id + "/" + ShortHash(c.text.source)));
    Put(item, "id", Str(c.id));
    Put(item, "text", Str(c.text.Html()));
    Put(item, "why", Str(c.why.Html()));
    items.push_back(item);
  }
  Data d;
  Put(d, "scope", Str(scope));
  Put(d, "items", items);
  Put(d, "count", Str(std::to_string(checklist.size())));
  return d;
}

const std::set<std::string>& TemplateVariables() {
  static const std::set<std::string> kNames = {
      "a", "aliases", "authors", "better", "better_text", "body", "breadcrumbs", "canonical",
      "case", "case_count", "cases", "categories", "category", "checklist", "content", "count",
      "current", "definition", "description", "difficulty", "failure", "failure_modes",
      "formula", "has_breadcrumbs", "has_cases", "has_failure_modes", "has_metrics",
      "has_mistakes", "has_questions", "has_references", "has_related", "has_scale", "has_toc",
      "has_used_in", "html", "id", "intro", "is_home", "items", "key", "keys", "language",
      "mistakes", "mitigation", "name", "nav", "next", "note", "number", "offline_metrics",
      "online_metrics", "page", "pages", "pitfalls", "prev", "q", "quantity", "questions",
      "range", "references", "related", "repository", "root", "scale", "scope", "sections",
      "signal", "site", "source", "step", "steps", "storage_prefix", "sub", "summary", "task", "term",
      "term_count", "terms", "tex", "text", "time", "title", "toc", "tooltip", "total", "url",
      "used_in", "value", "venue", "why", "year"};
  return kNames;
}

std::vector<TemplateData> AllPageData(const Site& site, int jobs) {
  std::vector<PagePlan> plan = PlanPages(site);
  Renderer renderer(site, plan);
  std::vector<TemplateData> data(plan.size());
  ParallelFor(plan.size(), jobs, [&](size_t i) { data[i] = renderer.PageData(i); });
  return data;
}

std::vector<OutputFile> RenderSite(const Site& site, const Templates& templates, int jobs) {
  std::vector<PagePlan> plan = PlanPages(site);
  Renderer renderer(site, plan);
  std::vector<OutputFile> files(plan.size());
  ParallelFor(plan.size(), jobs, [&](size_t i) {
    files[i].path = plan[i].url;
    files[i].content = RenderPage(templates, plan[i].template_name, renderer.PageData(i));
  });
  Data nf = renderer.Common("404.html", "Page not found");
  Put(nf, "root", Str(NotFoundRoot(site.config)));
  Put(nf, "breadcrumbs", List());
  // Its navigation must work from any depth, so it is absolute too.
  Data nav = List();
  const Data home = renderer.Common(HomeUrl(), "");
  for (const Data& item : home.get("nav")->list_value()) {
    Data absolute = item;
    Put(absolute, "url", Str(NotFoundRoot(site.config) + item.get("url")->string_value()));
    Put(absolute, "current", false);
    nav.push_back(absolute);
  }
  Put(nf, "nav", nav);
  files.push_back({"404.html", RenderPage(templates, "404", nf)});
  files.push_back({".nojekyll", ""});
  if (!site.config.base_url.empty()) files.push_back({"sitemap.xml", Sitemap(site.config, plan)});
  for (const auto& [path, content] : templates.assets) files.push_back({"assets/" + path, content});
  return files;
}

}  // namespace casebook
