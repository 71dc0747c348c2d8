#include "linker.h"

#include <algorithm>
#include <functional>

#include "markdown.h"
#include "media.h"
#include "parallel.h"
#include "text.h"

namespace casebook {

namespace {

bool HasScheme(const std::string& url, std::string* scheme) {
  size_t colon = url.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = url[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
  }
  *scheme = AsciiLower(url.substr(0, colon));
  return true;
}

// Joins a relative path onto a folder and removes "." and "..". Returns
// false when the result would leave the content folder.
bool NormalizeRelative(const std::string& dir, const std::string& rel, std::string* out) {
  std::vector<std::string> parts;
  std::string joined = dir.empty() ? rel : dir + "/" + rel;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) return false;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  out->clear();
  for (const std::string& p : parts) *out += (out->empty() ? "" : "/") + p;
  return !out->empty();
}

// One page being linked: where it is, and what linking it produced.
struct PageJob {
  std::string url;
  std::string title;
  std::string source;  // content-relative path of its file, or ""
  int own_term = -1;
  std::vector<Fragment*> fragments;
  // Where mentions from YAML fields point: the page's section for them.
  std::vector<std::string> fragment_anchor;

  Diagnostics diags;
  std::vector<std::pair<int, Mention>> mentions;
  std::set<std::string> media;
  std::set<std::string> linked_files;
};

class Linker {
 public:
  Linker(const Site& site, const SiteIndex& index,
         const std::map<std::string, std::string>& math, const std::string& content_dir)
      : site_(site), index_(index), math_(math), content_dir_(content_dir) {}

  void Run(PageJob& job) const {
    int serial = 0;
    // Terms linked so far in each section of the page, across fragments.
    std::map<std::string, std::set<int>> linked;
    for (size_t i = 0; i < job.fragments.size(); ++i) {
      Fragment& f = *job.fragments[i];
      std::vector<std::string> section_ids = {job.fragment_anchor[i]};
      for (const Heading& h : f.headings)
        if (h.level == 2 && h.top_level) section_ids.push_back(h.id);
      auto anchor_of = [&](int section) -> const std::string& {
        return section_ids[std::min(static_cast<size_t>(section), section_ids.size() - 1)];
      };
      LinkContext ctx;
      ctx.resolve = [&](const std::string& url, bool image, const SourceLocation& at) {
        return Resolve(job, url, image, at);
      };
      ctx.terms = &index_.matcher;
      ctx.own_term = job.own_term;
      ctx.serial = &serial;
      ctx.math = &math_;
      if (i > 0) ctx.footnote_prefix = "f" + std::to_string(i) + "-";
      ctx.term_open = [&](int term, int n) { return TermOpen(job, term, n); };
      ctx.term_close = [&](int term, int n) { return TermClose(term, n); };
      ctx.linked = [&](int section) -> std::set<int>& { return linked[anchor_of(section)]; };
      ctx.on_mention = [&](int term, int section) {
        const std::string& anchor = anchor_of(section);
        job.mentions.push_back({term, Mention{job.url + (anchor.empty() ? "" : "#" + anchor),
                                              SectionTitle(job, f, anchor)}});
      };
      RenderMarkdown(f, ctx, job.diags);
    }
  }

 private:
  std::string SectionTitle(const PageJob& job, const Fragment& f,
                           const std::string& anchor) const {
    static const std::map<std::string, std::string> kFixed = {
        {"checklist", "Checklist"},         {"mistakes", "Common mistakes"},
        {"scale", "Back of the envelope"}, {"failure-modes", "Failure modes"},
        {"questions", "Test yourself"},     {"pitfalls", "Pitfalls"},
        {"source", "Source"}};
    const std::string sep = " \xE2\x80\xBA ";
    for (const Heading& h : f.headings)
      if (h.id == anchor) return job.title + sep + h.title;
    auto fixed = kFixed.find(anchor);
    return fixed == kFixed.end() ? job.title : job.title + sep + fixed->second;
  }

  std::string TermOpen(const PageJob& job, int term, int n) const {
    const Term& t = site_.terms[static_cast<size_t>(term)];
    return "<span class=\"term\"><a href=\"" + HtmlEscape(RelativeUrl(job.url, TermUrl(t.id))) +
           "\" aria-describedby=\"tip-" + std::to_string(n) + "\">";
  }

  std::string TermClose(int term, int n) const {
    const Term& t = site_.terms[static_cast<size_t>(term)];
    return "</a><span class=\"tip\" role=\"tooltip\" id=\"tip-" + std::to_string(n) +
           "\">" + HtmlEscape(t.tooltip) + "</span></span>";
  }

  // Checks `anchor` against the target page; "" means no anchor.
  bool CheckAnchor(PageJob& job, const std::string& page_url, const std::string& anchor,
                   const SourceLocation& at) const {
    if (anchor.empty()) return true;
    const PageInfo& page = index_.pages.at(page_url);
    if (page.anchors.count(anchor)) return true;
    std::vector<std::string> names(page.anchors.begin(), page.anchors.end());
    job.diags.Error(at, "no section '#" + anchor + "' in " + page_url +
                            DidYouMean(anchor, names));
    return false;
  }

  LinkContext::Target Internal(PageJob& job, const std::string& kind, const std::string& id,
                               const std::string& anchor, const SourceLocation& at) const {
    const std::map<std::string, int>* ids =
        kind == "case" ? &index_.cases : kind == "step" ? &index_.steps : &index_.terms;
    auto it = ids->find(id);
    if (it == ids->end() && kind == "term" && site_.glossary_incomplete) return {"", -1};
    if (it == ids->end()) {
      std::vector<std::string> names;
      for (const auto& [name, _] : *ids) names.push_back(name);
      job.diags.Error(at, "unknown " + std::string(kind == "term" ? "glossary term" : kind == "case" ? "case study" : "step") +
                              " '" + id + "'" + DidYouMean(id, names));
      return {"", -1};
    }
    std::string url = kind == "case" ? CaseUrl(id) : kind == "step" ? StepUrl(id) : TermUrl(id);
    if (!CheckAnchor(job, url, anchor, at)) return {"", -1};
    LinkContext::Target t;
    // On its own page, a link to a section needs only the anchor.
    bool same_page = url == job.url && !anchor.empty();
    t.url = (same_page ? "" : RelativeUrl(job.url, url)) + (anchor.empty() ? "" : "#" + anchor);
    t.term = kind == "term" ? it->second : -1;
    return t;
  }

  LinkContext::Target File(PageJob& job, const std::string& path, const std::string& anchor,
                           bool image, const SourceLocation& at) const {
    std::string dir = job.source.substr(0, job.source.rfind('/') == std::string::npos
                                                ? 0 : job.source.rfind('/'));
    std::string rel;
    if (!NormalizeRelative(dir, path, &rel)) {
      job.diags.Error(at, "link '" + path + "' leaves the content folder");
      return {"", -1};
    }
    if (!image && rel.size() > 3 && rel.compare(rel.size() - 3, 3, ".md") == 0) {
      auto it = index_.by_source.find(rel);
      if (it == index_.by_source.end()) {
        std::vector<std::string> names;
        for (const auto& [src, _] : index_.by_source) names.push_back(src);
        job.diags.Error(at, "no content file '" + rel + "'" + DidYouMean(rel, names));
        return {"", -1};
      }
      if (!CheckAnchor(job, it->second, anchor, at)) return {"", -1};
      return {RelativeUrl(job.url, it->second) + (anchor.empty() ? "" : "#" + anchor), -1};
    }
    job.linked_files.insert(rel);
    std::string problem = CheckMediaFile(content_dir_, rel);
    if (!problem.empty()) {
      job.diags.Error(at, problem);
      return {"", -1};
    }
    job.media.insert(rel);
    return {RelativeUrl(job.url, "media/" + rel), -1};
  }

  LinkContext::Target Resolve(PageJob& job, const std::string& raw, bool image,
                              const SourceLocation& at) const {
    std::string url = raw, anchor;
    size_t hash = url.find('#');
    if (hash != std::string::npos) {
      anchor = url.substr(hash + 1);
      url = url.substr(0, hash);
    }
    if (raw.empty()) {
      job.diags.Error(at, "empty link destination");
      return {"", -1};
    }
    std::string scheme;
    if (url.empty()) {  // #anchor on this page
      if (!CheckAnchor(job, job.url, anchor, at)) return {"", -1};
      return {raw, -1};
    }
    if (HasScheme(url, &scheme)) {
      std::string rest = url.substr(scheme.size() + 1);
      if (scheme == "case" || scheme == "step" || scheme == "term")
        return Internal(job, scheme, rest, anchor, at);
      if (scheme == "http" || scheme == "https" || scheme == "mailto") {
        if (image) {
          job.diags.Error(at, "images must be files in content/: the site makes no "
                              "request to another host");
          return {"", -1};
        }
        return {raw, -1};
      }
      job.diags.Error(at, "links with '" + scheme + ":' are not allowed; use https:, "
                          "mailto:, case:, step:, term: or a relative path");
      return {"", -1};
    }
    if (url.rfind("//", 0) == 0 || url[0] == '/') {
      job.diags.Error(at, "'" + url + "': use a relative path, or case:, step: or term:");
      return {"", -1};
    }
    return File(job, url, anchor, image, at);
  }

  const Site& site_;
  const SiteIndex& index_;
  const std::map<std::string, std::string>& math_;
  const std::string& content_dir_;
};

void AddFragment(PageJob& job, Fragment& f, const std::string& anchor) {
  job.fragments.push_back(&f);
  job.fragment_anchor.push_back(anchor);
}

std::vector<PageJob> PlanJobs(Site& site) {
  std::vector<PageJob> jobs;
  auto page = [&](const std::string& url, const std::string& title, const std::string& src) {
    PageJob j;
    j.url = url;
    j.title = title;
    j.source = src;
    jobs.push_back(std::move(j));
    return &jobs.back();
  };
  jobs.reserve(3 + site.pages.size() + site.steps.size() + site.cases.size() + site.terms.size());
  AddFragment(*page(HomeUrl(), site.config.title, site.home.path), site.home.body, "");
  for (FreePage& p : site.pages) AddFragment(*page(PageUrl(p.id), p.title, p.path), p.body, "");
  for (Step& s : site.steps) {
    PageJob* j = page(StepUrl(s.id), s.title, s.path);
    AddFragment(*j, s.body, "");
    for (ChecklistItem& c : s.checklist) {
      AddFragment(*j, c.text, "checklist");
      AddFragment(*j, c.why, "checklist");
    }
    for (Fragment& m : s.mistakes) AddFragment(*j, m, "mistakes");
  }
  for (CaseStudy& c : site.cases) {
    PageJob* j = page(CaseUrl(c.id), c.title, c.path);
    AddFragment(*j, c.body, "");
    for (size_t s = 0; s < c.checklists.size(); ++s)
      for (ChecklistItem& item : c.checklists[s]) {
        AddFragment(*j, item.text, site.steps[s].id);
        AddFragment(*j, item.why, site.steps[s].id);
      }
    for (ScaleRow& r : c.scale) AddFragment(*j, r.note, "scale");
    for (FailureMode& f : c.failure_modes) {
      AddFragment(*j, f.failure, "failure-modes");
      AddFragment(*j, f.signal, "failure-modes");
      AddFragment(*j, f.mitigation, "failure-modes");
    }
    for (Question& q : c.questions) {
      AddFragment(*j, q.question, "questions");
      AddFragment(*j, q.answer, "questions");
    }
  }
  for (size_t i = 0; i < site.terms.size(); ++i) {
    Term& t = site.terms[i];
    PageJob* j = page(TermUrl(t.id), t.term, "glossary.yaml");
    j->own_term = static_cast<int>(i);
    AddFragment(*j, t.definition, "definition");
    AddFragment(*j, t.pitfalls, "pitfalls");
    AddFragment(*j, t.source, "source");
  }
  return jobs;
}

}  // namespace

void LinkSite(Site& site, const SiteIndex& index,
              const std::map<std::string, std::string>& math,
              const std::string& content_dir, int jobs_count, Diagnostics& diags) {
  std::vector<PageJob> jobs = PlanJobs(site);
  Linker linker(site, index, math, content_dir);
  ParallelFor(jobs.size(), jobs_count, [&](size_t i) { linker.Run(jobs[i]); });
  for (PageJob& job : jobs) {
    diags.Append(job.diags);
    for (auto& [term, mention] : job.mentions)
      site.mentions[site.terms[static_cast<size_t>(term)].id].push_back(mention);
    site.media.insert(job.media.begin(), job.media.end());
    site.linked_files.insert(job.linked_files.begin(), job.linked_files.end());
  }
  for (auto& [id, list] : site.mentions) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
}

void CheckReferences(const Site& site, const SiteIndex& index, Diagnostics& diags) {
  auto check = [&](const std::vector<IdRef>& refs, const std::map<std::string, int>& ids,
                   const char* what) {
    std::vector<std::string> names;
    for (const auto& [name, _] : ids) names.push_back(name);
    for (const IdRef& r : refs)
      if (!ids.count(r.id))
        diags.Error(r.at, "unknown " + std::string(what) + " '" + r.id + "'" +
                              DidYouMean(r.id, names));
  };
  std::set<std::string> used;
  for (const CaseStudy& c : site.cases) {
    if (!site.glossary_incomplete) {  // its own error says why
      check(c.offline_metrics, index.terms, "glossary term");
      check(c.online_metrics, index.terms, "glossary term");
    }
    check(c.related, index.cases, "case study");
    for (const auto* list : {&c.offline_metrics, &c.online_metrics})
      for (const IdRef& r : *list) used.insert(r.id);
    if (c.references.empty())
      diags.Warning({c.body.at.path, 0, 0}, "case study has no references");
  }
  for (const Term& t : site.terms) check(t.related, index.terms, "glossary term");
  // A term counts as used when a case study lists it as a metric or a page
  // outside the glossary mentions it.
  for (const auto& [id, mentions] : site.mentions)
    for (const Mention& m : mentions)
      if (m.url.rfind("glossary/", 0) != 0) used.insert(id);
  // After an error, a page that would mention a term may not have loaded;
  // the warning would only add noise.
  if (diags.has_errors()) return;
  for (const Term& t : site.terms)
    if (!used.count(t.id))
      diags.Warning(t.at, "glossary term '" + t.id + "' is not used outside the glossary");
}

}  // namespace casebook
