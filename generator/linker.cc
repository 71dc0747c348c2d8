#include "linker.h"

#include <algorithm>
#include <climits>
#include <functional>
#include <tuple>

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

// The one rule for where a mention points and what it is called.
std::shared_ptr<const MentionPlace> PlaceOn(const Page& page, const std::string& anchor,
                                            const std::string& title) {
  auto place = std::make_shared<MentionPlace>();
  place->url = page.url + (anchor.empty() ? "" : "#" + anchor);
  place->title = page.title + (title.empty() ? "" : " \xE2\x80\xBA " + title);
  return place;
}

// The one rule for whether a mention counts as a use: the glossary linking
// to itself says nothing about where a term is used.
Mention MentionAt(const Page& page, std::shared_ptr<const MentionPlace> place) {
  return {std::move(place), page.kind != PageKind::kTerm};
}

// One page being linked, and what linking it produced.
struct PageJob {
  const Page* page = nullptr;

  Diagnostics diags;
  std::vector<std::pair<int, Mention>> mentions;
  std::set<std::string> media;
  std::set<std::string> linked_files;
  std::vector<std::pair<std::string, std::string>> checked;  // see LinkedPage
  std::set<int> tipped;  // terms linked with a tooltip (before KeepFirstTips)
  std::vector<AnchorCheck> anchors;  // checked once every page is linked
  std::vector<CodeBlocks> blocks;    // by slot: see Prepare
  bool has_blocks = false;           // linked in the second round
  bool tentative = false;            // taken from the cache, but has blocks: see LinkSite
  size_t size = 0;                   // of its fragments' text, before any is dropped

  uint64_t key = 0;  // with a cache: the page's (PageKey)
  std::shared_ptr<const LinkedPage> cached;  // the cache's entry for the page, if any
  std::shared_ptr<const LinkedPage> reused;  // the cache's, when taken from it
  uint64_t conversions = 0;  // with blocks: their conversions' hash (ConversionsHash)
  // Each term's href from this page, escaped, once asked for ("" until then):
  // a page links the same few terms many times.
  mutable std::vector<std::string> term_hrefs;
};

class Linker {
 public:
  Linker(const Site& site, const SiteIndex& index,
         const std::map<std::string, std::string>& math,
         const std::map<std::string, Diagram>& diagrams, const std::string& content_dir)
      : site_(site), index_(index), math_(math), diagrams_(diagrams),
        content_dir_(content_dir) {
    for (const Term& t : site.terms) escaped_tips_.push_back(HtmlEscape(t.tooltip));
    // Outside the site a formula is its TeX, between the delimiters of the
    // MathJax that Anki and most note tools render.
    for (const auto& [tex, mathml] : math) tex_[tex] = "\\[" + HtmlEscape(tex) + "\\]";
  }

  void Run(PageJob& job) const {
    const Page& page = *job.page;
    int serial = 0;
    std::vector<Tip> tips;  // every automatic term link, with its tooltip
    // Terms linked so far in each section of the page, across fragments.
    std::map<std::string, std::set<int>> linked;
    // The places mentions point to, by their anchor and title (which live
    // as long as the page): one per section, however many terms it names.
    std::map<std::pair<const std::string*, const std::string*>,
             std::shared_ptr<const MentionPlace>> places;
    for (size_t i = 0; i < page.fragments.size(); ++i) {
      const FragmentSlot& slot = page.fragments[i];
      Fragment& f = *slot.fragment;
      std::vector<const Heading*> sections = {nullptr};  // [0]: before any H2
      for (const Heading& h : f.headings)
        if (h.level == 2 && h.top_level) sections.push_back(&h);
      auto heading_of = [&](int section) {
        return sections[std::min(static_cast<size_t>(section), sections.size() - 1)];
      };
      auto anchor_of = [&](int section) -> const std::string& {
        const Heading* h = heading_of(section);
        return h ? h->id : slot.anchor;
      };
      // A file read outside the site links no term by itself (a link to an
      // entry it cannot show only distracts) and shows formulas as TeX.
      const bool standalone = !IsWebPage(page.kind);
      LinkContext ctx;
      ctx.resolve = [&](const std::string& url, bool image, const SourceLocation& at) {
        LinkContext::Target t = Resolve(job, slot, url, image, at);
        if (standalone) t.url = StandaloneUrl(page.url, t.url);
        return t;
      };
      ctx.terms = standalone ? nullptr : &index_.matcher;
      ctx.own_term = page.own_term;
      ctx.serial = &serial;
      ctx.math = standalone ? &tex_ : &math_;
      ctx.diagrams = &diagrams_;
      if (i > 0) ctx.footnote_prefix = "f" + std::to_string(i) + "-";
      ctx.term_open = [&](int term, int n, std::string& out) {
        tips.push_back({n, term, i});
        job.tipped.insert(term);
        TermOpen(job, term, n, out);
      };
      ctx.term_close = [&](int term, int n, std::string& out) { TermClose(term, n, out); };
      ctx.linked = [&](int section) -> std::set<int>& { return linked[anchor_of(section)]; };
      ctx.on_mention = [&](int term, int section) {
        const Heading* h = heading_of(section);
        const std::string& anchor = anchor_of(section);
        const std::string& title = h ? h->title : slot.title;
        std::shared_ptr<const MentionPlace>& place = places[{&anchor, &title}];
        if (!place) place = PlaceOn(page, anchor, title);
        job.mentions.push_back({term, MentionAt(page, place)});
      };
      RenderMarkdown(f, ctx, job.diags);
    }
    KeepFirstTips(job, tips);
    std::vector<std::string>().swap(job.term_hrefs);  // every job is kept until all are done
  }

 private:
  struct Tip {
    int serial, term;
    size_t fragment;
    // Where the link is in reading order; set by KeepFirstTips.
    std::tuple<size_t, size_t, size_t, size_t> order{};
    // Where its TermOpen is in the fragment's HTML, and its length; set by
    // FindTips.
    size_t section = 0, at = std::string::npos, open_size = 0;
  };

  // A change to a section's HTML: `size` bytes at `at` become `with`
  // joined. The views point into the job's term_hrefs and literals, which
  // outlive the edits (KeepFirstTips).
  struct Edit {
    size_t at, size;
    std::string_view with[3];
  };
  using Edits = std::map<std::string*, std::vector<Edit>>;  // by the HTML they change

  // Only the first link to each term in the page's reading order keeps its
  // tooltip; the later ones become plain links to the term's entry. A
  // definition once per page is enough (the reader has met it), and a
  // case page otherwise carries the same tip dozens of times, most of its
  // weight and noise.
  void KeepFirstTips(const PageJob& job, std::vector<Tip>& tips) const {
    std::map<std::string, size_t> body_sections;  // H2 id -> its section's index
    if (const Fragment* body = job.page->body) {
      size_t h2 = 0;
      for (const Heading& h : body->headings)
        if (h.level == 2 && h.top_level) body_sections[h.id] = ++h2;
    }
    FindTips(job, tips);
    std::vector<Tip> placed;
    for (Tip& t : tips)
      if (PlaceTip(job, body_sections, t)) placed.push_back(t);
    std::stable_sort(placed.begin(), placed.end(),
                     [](const Tip& a, const Tip& b) { return a.order < b.order; });
    std::set<int> tipped;
    Edits edits;
    for (const Tip& t : placed)
      if (!tipped.insert(t.term).second) DropTip(job, t, edits);
    for (auto& [html, list] : edits) ApplyEdits(*html, list);
  }

  // Finds each tip's TermOpen in its fragment's HTML: the first section that
  // has it, and the first place in that section, as a find() per tip would.
  // One scan of each section finds them all; a search per tip was quadratic
  // in the term links on a page.
  void FindTips(const PageJob& job, std::vector<Tip>& tips) const {
    std::vector<int> by_serial;  // serial -> its tip's index, or -1
    std::set<size_t> fragments;  // those with tips; the others need no scan
    for (size_t i = 0; i < tips.size(); ++i) {
      size_t serial = static_cast<size_t>(tips[i].serial);  // from 0: Run counts them
      if (serial >= by_serial.size()) by_serial.resize(serial + 1, -1);
      // A serial is unique on the page (LinkContext::term_open says so).
      if (by_serial[serial] < 0) by_serial[serial] = static_cast<int>(i);
      fragments.insert(tips[i].fragment);
    }
    for (size_t f : fragments) {
      const std::vector<std::string>& html = job.page->fragments[f].fragment->sections;
      for (size_t s = 0; s < html.size(); ++s) ScanSection(job, html[s], f, s, by_serial, tips);
    }
  }

  // Records, for each term link in `html` whose tip is not yet found, where
  // it is. Every TermOpen starts with kTermOpen, which cannot overlap
  // itself, so stepping over each match misses none.
  void ScanSection(const PageJob& job, const std::string& html, size_t fragment,
                   size_t section, const std::vector<int>& by_serial,
                   std::vector<Tip>& tips) const {
    for (size_t at = html.find(kTermOpen); at != std::string::npos;
         at = html.find(kTermOpen, at + kTermOpen.size())) {
      long serial = SerialAt(html, at + kTermOpen.size());
      if (serial < 0 || static_cast<size_t>(serial) >= by_serial.size()) continue;
      int i = by_serial[static_cast<size_t>(serial)];
      if (i < 0) continue;
      Tip& t = tips[static_cast<size_t>(i)];
      // Raw HTML could hold the same markup: only the exact TermOpen counts.
      if (t.fragment != fragment || t.at != std::string::npos) continue;
      size_t size = TermOpenSizeAt(job, html, at, t.term, t.serial);
      if (size == 0) continue;
      t.section = section;
      t.at = at;
      t.open_size = size;
    }
  }

  static bool StartsWithAt(const std::string& html, size_t at, std::string_view s) {
    return html.compare(at, s.size(), s) == 0;
  }

  // The length of TermOpen(job, term, serial) when `html` holds exactly
  // that at `at`, else 0; compared in place, as a page has hundreds.
  size_t TermOpenSizeAt(const PageJob& job, const std::string& html, size_t at, int term,
                        int serial) const {
    const std::string& href = TermHref(job, term);
    const std::string digits = std::to_string(serial);
    size_t i = at;
    for (std::string_view part : {kTermOpen, std::string_view(href), kTermTip,
                                  std::string_view(digits), kTermOpenEnd}) {
      if (!StartsWithAt(html, i, part)) return 0;
      i += part.size();
    }
    return i - at;
  }

  // The serial in `..." aria-describedby="tip-N">` that starts at `from`
  // (just after the href's opening quote), or -1 when the HTML there is not
  // a term link's. The href is escaped, so its first quote ends it.
  static long SerialAt(const std::string& html, size_t from) {
    size_t q = html.find('"', from);
    if (q == std::string::npos || !StartsWithAt(html, q, kTermTip)) return -1;
    long serial = 0;
    size_t i = q + kTermTip.size(), digits = 0;
    for (; i < html.size() && html[i] >= '0' && html[i] <= '9' && digits < 10; ++i, ++digits)
      serial = serial * 10 + (html[i] - '0');
    if (digits == 0 || serial > INT_MAX || i >= html.size() || html[i] != '"') return -1;
    return serial;
  }

  // Sets the place in reading order of `t` (found by FindTips): the body's
  // H2 sections in order, each followed by the fragments the page places in
  // it (a case page's checklist for that step), then every other fragment in
  // page-map order, which is the order their templates show them in. False
  // when the link is not in the HTML (it is then left alone).
  bool PlaceTip(const PageJob& job, const std::map<std::string, size_t>& body_sections,
                Tip& t) const {
    if (t.at == std::string::npos) return false;
    const FragmentSlot& slot = job.page->fragments[t.fragment];
    const size_t kAfterBody = static_cast<size_t>(-1);
    auto in = body_sections.find(slot.anchor);
    size_t major = slot.is_body                  ? t.section
                   : in != body_sections.end() ? in->second
                                               : kAfterBody;
    t.order = {major, slot.is_body ? 0 : t.fragment + 1, t.section, t.at};
    return true;
  }

  // Plans turning the term link `t` (placed) into a plain link: no span, no
  // tip. Within a section, drops come left to right, so the HTML from `t.at`
  // on is still as rendered and the close is found there as before.
  void DropTip(const PageJob& job, const Tip& t, Edits& edits) const {
    std::string& html = job.page->fragments[t.fragment].fragment->sections[t.section];
    std::string close = TermClose(t.term, t.serial);
    size_t end = html.find(close, t.at + t.open_size);
    if (end == std::string::npos) return;  // never: TermClose follows each TermOpen
    std::vector<Edit>& list = edits[&html];
    list.push_back({t.at, t.open_size, {"<a href=\"", TermHref(job, t.term), "\">"}});
    list.push_back({end, close.size(), {"</a>", {}, {}}});
  }

  // Rebuilds `html` with all its edits in one pass, left to right: a
  // replace() per edit moved the rest of the section each time.
  static void ApplyEdits(std::string& html, std::vector<Edit>& edits) {
    std::sort(edits.begin(), edits.end(),
              [](const Edit& a, const Edit& b) { return a.at < b.at; });
    std::string out;
    out.reserve(html.size());
    size_t pos = 0;
    for (const Edit& e : edits) {
      out.append(html, pos, e.at - pos);
      for (std::string_view w : e.with) out += w;
      pos = e.at + e.size;
    }
    out.append(html, pos, std::string::npos);
    html = std::move(out);
  }

  // The link from this page to the term's entry, escaped.
  const std::string& TermHref(const PageJob& job, int term) const {
    size_t k = static_cast<size_t>(term);
    if (job.term_hrefs.size() <= k) job.term_hrefs.resize(site_.terms.size());
    std::string& href = job.term_hrefs[k];
    if (href.empty()) href = HtmlEscape(RelativeUrl(job.page->url, TermUrl(site_.terms[k].id)));
    return href;
  }

  // A term link with its tip is kTermOpen, the href, kTermTip, the tip's
  // number and kTermOpenEnd; then the link text and TermClose.
  static constexpr std::string_view kTermOpen = "<span class=\"term\"><a href=\"";
  static constexpr std::string_view kTermTip = "\" aria-describedby=\"tip-";
  static constexpr std::string_view kTermOpenEnd = "\">";

  void TermOpen(const PageJob& job, int term, int n, std::string& out) const {
    out += kTermOpen;
    out += TermHref(job, term);
    out += kTermTip;
    out += std::to_string(n);
    out += kTermOpenEnd;
  }

  std::string TermClose(int term, int n) const {
    std::string out;
    TermClose(term, n, out);
    return out;
  }

  void TermClose(int term, int n, std::string& out) const {
    out += "</a><span class=\"tip\" role=\"tooltip\" id=\"tip-";
    out += std::to_string(n);
    out += "\">";
    out += escaped_tips_[static_cast<size_t>(term)];
    out += "</span></span>";
  }

  // Notes `anchor` ("" means none) to be checked against the target page
  // once every page's headings are known (CheckAnchors); a link with a
  // wrong one fails the build then, so its output never matters.
  static void CheckAnchor(PageJob& job, const std::string& page_url, const std::string& anchor,
                          const SourceLocation& at) {
    if (!anchor.empty()) job.anchors.push_back({page_url, anchor, at});
  }

  LinkContext::Target Internal(PageJob& job, const std::string& kind, const std::string& id,
                               const std::string& anchor, const SourceLocation& at) const {
    const std::map<std::string, int>* ids =
        kind == "case" ? &index_.cases : kind == "step" ? &index_.steps : &index_.terms;
    auto it = ids->find(id);
    if (it == ids->end() && kind == "term" && site_.glossary_incomplete) return {"", -1};
    // A file that failed to load has its own error; every link to it need not add one.
    if (it == ids->end() && ((kind == "case" && site_.unloaded_cases.count(id)) ||
                             (kind == "step" && site_.unloaded_steps.count(id))))
      return {"", -1};
    if (it == ids->end()) {
      job.diags.Error(at, "unknown " + std::string(kind == "term" ? "glossary term" : kind == "case" ? "case study" : "step") +
                              " '" + Abbreviated(id) + "'" + DidYouMean(id, *ids));
      return {"", -1};
    }
    std::string url = kind == "case" ? CaseUrl(id) : kind == "step" ? StepUrl(id) : TermUrl(id);
    CheckAnchor(job, url, anchor, at);
    LinkContext::Target t;
    // On its own page, a link to a section needs only the anchor.
    bool same_page = url == job.page->url && !anchor.empty();
    t.url = (same_page ? "" : RelativeUrl(job.page->url, url)) + (anchor.empty() ? "" : "#" + anchor);
    t.term = kind == "term" ? it->second : -1;
    return t;
  }

  // A link of a file read outside the site (the Anki deck): an absolute
  // URL stays; one into the site becomes absolute under base_url, or ""
  // without one, which leaves the link as its text.
  std::string StandaloneUrl(const std::string& from, const std::string& url) const {
    std::string scheme;
    if (url.empty() || HasScheme(url, &scheme)) return url;
    const std::string& base = site_.config.base_url;
    if (base.empty() || url[0] == '#') return "";
    // `url` is relative to `from`, and pages are at most one folder deep.
    size_t slash = from.rfind('/');
    if (url.rfind("../", 0) == 0) return base + url.substr(3);
    return base + (slash == std::string::npos ? "" : from.substr(0, slash + 1)) + url;
  }

  LinkContext::Target File(PageJob& job, const FragmentSlot& slot, const std::string& path,
                           const std::string& anchor, bool image,
                           const SourceLocation& at) const {
    // A relative path is relative to the file it was written in.
    const std::string& source = slot.origin_source.empty() ? job.page->source : slot.origin_source;
    std::string dir = source.substr(0, source.rfind('/') == std::string::npos ? 0 : source.rfind('/'));
    std::string rel;
    if (!NormalizeRelative(dir, path, &rel)) {
      job.diags.Error(at, "link '" + Abbreviated(path) + "' leaves the content folder");
      return {"", -1};
    }
    if (!image && rel.size() > 3 && rel.compare(rel.size() - 3, 3, ".md") == 0) {
      auto it = index_.by_source.find(rel);
      if (it == index_.by_source.end()) {
        job.diags.Error(at, "no content file '" + Abbreviated(rel) + "'" + DidYouMean(rel, index_.by_source));
        return {"", -1};
      }
      CheckAnchor(job, it->second, anchor, at);
      return {RelativeUrl(job.page->url, it->second) + (anchor.empty() ? "" : "#" + anchor), -1};
    }
    job.linked_files.insert(rel);
    std::string problem = CheckMediaFile(content_dir_, rel);
    job.checked.emplace_back(rel, problem);
    if (!problem.empty()) {
      job.diags.Error(at, problem);
      return {"", -1};
    }
    job.media.insert(rel);
    return {RelativeUrl(job.page->url, "media/" + rel), -1};
  }

  LinkContext::Target Resolve(PageJob& job, const FragmentSlot& slot, const std::string& raw,
                              bool image, const SourceLocation& at) const {
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
    if (url.empty()) {  // #anchor on the page it was written for
      const std::string& home = slot.origin_url.empty() ? job.page->url : slot.origin_url;
      CheckAnchor(job, home, anchor, at);
      if (home == job.page->url) return {raw, -1};
      return {RelativeUrl(job.page->url, home) + "#" + anchor, -1};
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
      job.diags.Error(at, "links with '" + Abbreviated(scheme) + ":' are not allowed; use https:, "
                          "mailto:, case:, step:, term: or a relative path");
      return {"", -1};
    }
    if (url.rfind("//", 0) == 0 || url[0] == '/') {
      job.diags.Error(at, "'" + Abbreviated(url) + "': use a relative path, or case:, step: or term:");
      return {"", -1};
    }
    return File(job, slot, url, anchor, image, at);
  }

  const Site& site_;
  const SiteIndex& index_;
  const std::map<std::string, std::string>& math_;
  const std::map<std::string, Diagram>& diagrams_;
  const std::string& content_dir_;
  std::map<std::string, std::string> tex_;  // TeX -> itself, for MathJax
  std::vector<std::string> escaped_tips_;    // by term
};

}  // namespace

namespace {

// A chain of hashes, each piece with its length (see HashBytes).
struct Hasher {
  uint64_t h = kHashSeed;
  void Add(std::string_view s) { h = HashBytes(h, s); }
  void Add(long long n) { Add(std::to_string(n)); }
  void Add(const SourceLocation& at) {
    Add(at.path);
    Add(at.line);
    Add(at.column);
  }
};

// Everything linking a page reads besides the page itself and the media
// files (see LinkCache): if a field is added there, it is added here.
uint64_t LinkEnvironment(const Site& site, const SiteIndex& index,
                         const std::string& content_dir) {
  Hasher h;
  h.Add(content_dir);
  h.Add(site.config.base_url);
  h.Add(site.glossary_incomplete);
  for (const std::set<std::string>* ids : {&site.unloaded_cases, &site.unloaded_steps}) {
    h.Add(static_cast<long long>(ids->size()));
    for (const std::string& id : *ids) h.Add(id);
  }
  h.Add(static_cast<long long>(site.terms.size()));
  for (const Term& t : site.terms) {  // ids and the matcher's names (tips: TipsHash)
    h.Add(t.id);
    h.Add(t.term);
    h.Add(static_cast<long long>(t.aliases.size()));
    for (const std::string& a : t.aliases) h.Add(a);
  }
  for (const std::map<std::string, int>* ids : {&index.steps, &index.cases, &index.terms}) {
    h.Add(static_cast<long long>(ids->size()));
    for (const auto& [id, n] : *ids) {
      h.Add(id);
      h.Add(n);
    }
  }
  h.Add(static_cast<long long>(index.by_source.size()));
  for (const auto& [source, url] : index.by_source) {
    h.Add(source);
    h.Add(url);
  }
  h.Add(static_cast<long long>(index.pages.size()));
  for (const auto& [url, info] : index.pages) {  // not anchors: see CheckAnchors
    h.Add(url);
    h.Add(info.title);
  }
  return h.h;
}

// What a page's blocks were converted to (for a page with blocks, the
// part of linking it that the environment does not cover).
uint64_t ConversionsHash(const std::vector<CodeBlocks>& blocks,
                         const std::map<std::string, std::string>& math,
                         const std::map<std::string, Diagram>& diagrams) {
  Hasher h;
  for (const CodeBlocks& b : blocks) {
    for (const auto& [tex, at] : b.math) {
      auto it = math.find(tex);
      h.Add(it != math.end());
      if (it != math.end()) h.Add(it->second);
    }
    for (const DiagramSource& d : b.diagrams) {
      auto it = diagrams.find(d.dot);
      h.Add(it != diagrams.end());
      if (it != diagrams.end()) {
        h.Add(it->second.svg);
        h.Add(it->second.label);
      }
    }
  }
  return h.h;
}

// Everything of the page itself that linking it reads.
uint64_t PageKey(const Page& page) {
  Hasher h;
  h.Add(static_cast<long long>(page.kind));
  h.Add(page.url);
  h.Add(page.title);
  h.Add(page.source);
  h.Add(page.own_term);
  auto add_fragment = [&h](const Fragment& f) {
    h.Add(f.source);
    h.Add(f.at);
    h.Add(f.block);
    h.Add(f.indent);
    h.Add(f.is_inline);
    h.Add(f.exact);
    // Not its tree or headings: they are made from the source (and, for a
    // case study, the steps' titles, which the environment holds).
  };
  h.Add(page.body != nullptr);
  if (page.body) add_fragment(*page.body);
  h.Add(static_cast<long long>(page.fragments.size()));
  for (const FragmentSlot& slot : page.fragments) {
    h.Add(slot.anchor);
    h.Add(slot.title);
    h.Add(slot.is_body);
    h.Add(slot.fragment == page.body);
    h.Add(slot.origin_url);
    h.Add(slot.origin_source);
    add_fragment(*slot.fragment);
  }
  return h.h;
}

// The tooltips of `terms`: a page's HTML holds those of the terms it
// linked, so a glossary edit links again only the pages that show its tip.
uint64_t TipsHash(const Site& site, const std::vector<int>& terms) {
  Hasher h;
  for (int term : terms) {
    h.Add(term);
    h.Add(site.terms[static_cast<size_t>(term)].tooltip);
  }
  return h.h;
}

// Replaces in `html` each tooltip whose text is `from` (as TermClose wrote
// it, after the serial) by `to`; returns how many it replaced.
size_t ReplaceTip(std::string& html, const std::string& from, const std::string& to) {
  static const std::string kTip = "<span class=\"tip\" role=\"tooltip\" id=\"tip-";
  size_t count = 0, done = 0;
  std::string out;
  for (size_t at = html.find(kTip); at != std::string::npos; at = html.find(kTip, at)) {
    at += kTip.size();
    while (at < html.size() && html[at] >= '0' && html[at] <= '9') ++at;
    if (html.compare(at, from.size(), from) != 0) continue;
    out.append(html, done, at - done);
    out += to;
    done = at += from.size();
    ++count;
  }
  if (count == 0) return 0;
  out.append(html, done, std::string::npos);
  html = std::move(out);
  return count;
}

// `cached` with the tooltips its HTML shows as they are now, or null when
// that cannot be done exactly (linking the page again then does it). A
// page shows each term's tip once at most (KeepFirstTips), as TermClose
// wrote it, and nothing else on a page looks like one (content's text is
// escaped and its raw HTML dropped), so replacing a tip's text is what
// linking again writes, unless two tips on the page have the same text.
std::shared_ptr<const LinkedPage> WithTipsOfNow(const LinkedPage& cached, const Site& site) {
  if (cached.tip_texts.size() != cached.tipped.size()) return nullptr;
  std::set<std::string> texts(cached.tip_texts.begin(), cached.tip_texts.end());
  if (texts.size() != cached.tip_texts.size()) return nullptr;
  auto now = std::make_shared<LinkedPage>(cached);
  for (size_t k = 0; k < cached.tipped.size(); ++k) {
    const std::string& tip = site.terms[static_cast<size_t>(cached.tipped[k])].tooltip;
    if (tip == cached.tip_texts[k]) continue;
    const std::string from = "\">" + HtmlEscape(cached.tip_texts[k]) + "</span></span>";
    const std::string to = "\">" + HtmlEscape(tip) + "</span></span>";
    size_t count = 0;
    for (LinkedPage::Fragment& f : now->fragments)
      for (std::string& html : f.sections) count += ReplaceTip(html, from, to);
    if (count > 1) return nullptr;
    now->tip_texts[k] = tip;
  }
  now->tips = TipsHash(site, now->tipped);
  return now;
}

// Takes job's page from `kept` when it is still valid: the page's key
// matches and every media file it checked answers as it did; the tips it
// shows are brought up to date.
bool Reuse(const std::shared_ptr<const LinkedPage>& kept, Site& site,
           const std::string& content_dir, PageJob& job) {
  const Page& page = *job.page;
  if (!kept || kept->key != job.key || kept->fragments.size() != page.fragments.size())
    return false;
  for (const auto& [rel, problem] : kept->checked)
    if (CheckMediaFile(content_dir, rel) != problem) return false;
  std::shared_ptr<const LinkedPage> cached = kept;
  if (TipsHash(site, kept->tipped) != kept->tips && !(cached = WithTipsOfNow(*kept, site)))
    return false;
  for (size_t i = 0; i < page.fragments.size(); ++i) {
    Fragment& f = *page.fragments[i].fragment;
    f.sections = cached->fragments[i].sections;
    f.diagrams = cached->fragments[i].diagrams;
    f.headings = cached->fragments[i].headings;
    f.parsed = f.linked = true;
    f.tree.reset();  // as RenderMarkdown leaves it
  }
  if (page.kind == PageKind::kCase) site.cases[page.index].section_steps = cached->section_steps;
  job.diags = cached->diags;
  job.mentions = cached->mentions;
  job.media = cached->media;
  job.linked_files = cached->linked_files;
  job.anchors = cached->anchors;
  job.blocks = cached->blocks;
  job.has_blocks = job.tentative = cached->has_blocks;
  job.conversions = cached->conversions;
  job.reused = cached;
  return true;
}

std::shared_ptr<const LinkedPage> Keep(const Site& site, PageJob& job) {
  if (job.reused) return job.reused;
  auto kept = std::make_shared<LinkedPage>();
  kept->key = job.key;
  kept->tipped.assign(job.tipped.begin(), job.tipped.end());
  for (int term : kept->tipped) kept->tip_texts.push_back(site.terms[static_cast<size_t>(term)].tooltip);
  kept->tips = TipsHash(site, kept->tipped);
  for (const FragmentSlot& slot : job.page->fragments)
    kept->fragments.push_back(
        {slot.fragment->sections, slot.fragment->diagrams, slot.fragment->headings});
  if (job.page->kind == PageKind::kCase)
    kept->section_steps = site.cases[job.page->index].section_steps;
  kept->has_blocks = job.has_blocks;
  kept->blocks = job.blocks;
  kept->conversions = job.conversions;
  kept->diags = job.diags;
  kept->mentions = job.mentions;
  kept->media = job.media;
  kept->linked_files = job.linked_files;
  kept->checked = std::move(job.checked);
  kept->anchors = job.anchors;
  return kept;
}

// Reports each #anchor of `job`'s links that its target page lacks.
void CheckAnchors(const SiteIndex& index, const PageJob& job, Diagnostics& diags) {
  for (const AnchorCheck& c : job.anchors) {
    const PageInfo& page = index.pages.at(c.page_url);
    if (page.anchors.count(c.anchor)) continue;
    diags.Error(c.at, "no section '#" + Abbreviated(c.anchor) + "' in " + c.page_url +
                          DidYouMean(c.anchor, page.anchors));
  }
}

// The part of a page's work before linking: parses its fragments that are
// not yet parsed (a term's definition is, for the tooltips), gives its
// headings ids, refuses headings in fields and collects its ```math and
// ```dot blocks, by slot.
void Prepare(Site& site, PageJob& job) {
  const Page& page = *job.page;
  std::vector<Fragment*> unparsed;
  for (const FragmentSlot& slot : page.fragments)
    if (!slot.fragment->parsed) unparsed.push_back(slot.fragment);
  ParseFragments(unparsed, job.diags);
  // A body's text is read by nothing after parsing (a field's is: a
  // checklist item's and a question's are hashed into keys later).
  for (const FragmentSlot& slot : page.fragments)
    if (slot.is_body && slot.fragment->parsed) slot.fragment->DropSource();
  AssignPageHeadingIds(site, page, job.diags);
  job.blocks.resize(page.fragments.size());
  for (size_t i = 0; i < page.fragments.size(); ++i) {
    const FragmentSlot& slot = page.fragments[i];
    const Fragment& f = *slot.fragment;
    // Headings belong to page bodies; in a YAML field they would break the
    // page's outline and have no anchor.
    if (!slot.is_body && !f.headings.empty())
      job.diags.Error(f.headings.front().at,
                      "headings are not allowed in this field; use **bold** text");
    job.blocks[i] = {CollectMath(f), CollectDiagrams(f)};
    if (!job.blocks[i].empty()) job.has_blocks = true;
  }
}

}  // namespace

void LinkSite(Site& site, const PageMap& map, SiteIndex& index, const ConvertBlocks& convert,
              const std::string& content_dir, int jobs_count, Diagnostics& diags,
              LinkCache* cache) {
  std::vector<PageJob> jobs(map.pages.size());
  for (size_t i = 0; i < jobs.size(); ++i) jobs[i].page = &map.pages[i];
  const uint64_t environment = cache ? LinkEnvironment(site, index, content_dir) : 0;
  const bool same_environment = cache && cache->environment == environment;
  // Round one: every page, each linked at once unless it has blocks.
  const std::map<std::string, std::string> no_math;
  const std::map<std::string, Diagram> no_diagrams;
  const Linker first(site, index, no_math, no_diagrams, content_dir);
  ParallelFor(jobs.size(), jobs_count, [&](size_t i) {
    PageJob& job = jobs[i];
    for (const FragmentSlot& slot : job.page->fragments) job.size += slot.fragment->source.size();
    if (cache) {
      job.key = PageKey(*job.page);
      if (same_environment) {
        auto it = cache->pages.find(job.page->url);  // read-only while threads run
        if (it != cache->pages.end()) job.cached = it->second;
      }
      // A page with blocks is taken tentatively: the second round checks
      // that its blocks still convert as they did.
      if (job.cached && Reuse(job.cached, site, content_dir, job)) return;
    }
    Prepare(site, job);
    if (!job.has_blocks) first.Run(job);
  });
  AddHeadingAnchors(map, index);

  // The blocks of the whole site, converted in one batch each.
  std::vector<CodeBlocks> blocks;
  std::vector<PageJob*> second_round;
  for (PageJob& job : jobs)
    if (job.has_blocks) {  // a page taken from the cache brings its blocks
      second_round.push_back(&job);
      blocks.insert(blocks.end(), job.blocks.begin(), job.blocks.end());
    }
  // Largest first, so that no big page is left to run alone at the end
  // (the results do not depend on the order).
  std::stable_sort(second_round.begin(), second_round.end(),
                   [](const PageJob* a, const PageJob* b) { return a->size > b->size; });
  std::map<std::string, std::string> math;
  std::map<std::string, Diagram> diagrams;
  convert(blocks, math, diagrams);
  const Linker second(site, index, math, diagrams, content_dir);
  ParallelFor(second_round.size(), jobs_count, [&](size_t k) {
    PageJob& job = *second_round[k];
    if (cache) {  // only a cached page needs to know what its blocks became
      const uint64_t conversions = ConversionsHash(job.blocks, math, diagrams);
      if (job.tentative) {
        if (conversions == job.conversions) return;
        // Linked anew after all, from a fresh parse.
        PageJob fresh;
        fresh.page = job.page;
        fresh.key = job.key;
        job = std::move(fresh);
        for (const FragmentSlot& slot : job.page->fragments) slot.fragment->parsed = false;
        Prepare(site, job);
      }
      job.conversions = conversions;
    }
    second.Run(job);
  });

  if (cache) {
    LinkCache next{environment, {}, 0};
    for (PageJob& job : jobs) {
      if (!job.reused) ++next.linked;
      next.pages[job.page->url] = Keep(site, job);
    }
    *cache = std::move(next);
  }
  // Gathered by term number, and each term's list moved to its id once: a
  // lookup by id per mention was most of this serial stretch.
  std::vector<std::vector<Mention>> by_term(site.terms.size());
  for (PageJob& job : jobs) {
    diags.Append(job.diags);
    CheckAnchors(index, job, diags);
    for (auto& [term, mention] : job.mentions)  // the cache, if any, has its copy
      by_term[static_cast<size_t>(term)].push_back(std::move(mention));
    std::vector<std::pair<int, Mention>>().swap(job.mentions);
    site.media.insert(job.media.begin(), job.media.end());
    site.linked_files.insert(job.linked_files.begin(), job.linked_files.end());
  }
  for (size_t t = 0; t < by_term.size(); ++t) {
    if (by_term[t].empty()) continue;
    std::vector<Mention>& list = site.mentions[site.terms[t].id];
    if (list.empty()) list = std::move(by_term[t]);
    else list.insert(list.end(), std::make_move_iterator(by_term[t].begin()),
                     std::make_move_iterator(by_term[t].end()));
  }
  // Listing a term as a metric mentions it in the case study's metrics.
  for (const Page& page : map.pages) {
    if (page.kind != PageKind::kCase) continue;
    const CaseStudy& c = site.cases[page.index];
    const GeneratedSection& metrics = Generated("metrics");
    auto place = PlaceOn(page, metrics.anchor, metrics.title);
    for (const auto* list : {&c.offline_metrics, &c.online_metrics})
      for (const IdRef& r : *list)
        if (index.terms.count(r.id)) site.mentions[r.id].push_back(MentionAt(page, place));
  }
  // Sorted term by term on the workers: a large guide has a hundred
  // thousand mentions, and this runs while nothing else does.
  std::vector<std::vector<Mention>*> lists;
  for (auto& [id, list] : site.mentions) lists.push_back(&list);
  ParallelFor(lists.size(), jobs_count, [&](size_t i) {
    std::vector<Mention>& list = *lists[i];
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  });
}

void CheckReferences(const Site& site, const SiteIndex& index, Diagnostics& diags) {
  // The suggestions' candidates, listed once per id map (not once per
  // check: there is one check per term).
  auto names_of = [](const std::map<std::string, int>& ids) {
    std::vector<std::string> names;
    names.reserve(ids.size());
    for (const auto& [name, _] : ids) names.push_back(name);
    return names;
  };
  const std::vector<std::string> term_names = names_of(index.terms);
  const std::vector<std::string> case_names = names_of(index.cases);
  auto check = [&](const std::vector<IdRef>& refs, const std::map<std::string, int>& ids,
                   const std::vector<std::string>& names, const char* what) {
    for (const IdRef& r : refs)
      if (!ids.count(r.id))
        diags.Error(r.at, "unknown " + std::string(what) + " '" + Abbreviated(r.id) + "'" +
                              DidYouMean(r.id, names));
  };
  std::set<std::string> used;
  for (const CaseStudy& c : site.cases) {
    if (!site.glossary_incomplete) {  // its own error says why
      check(c.offline_metrics, index.terms, term_names, "glossary term");
      check(c.online_metrics, index.terms, term_names, "glossary term");
    }
    check(c.related, index.cases, case_names, "case study");
    if (c.references.empty())
      diags.Warning({c.body.at.path, 0, 0}, "case study has no references");
  }
  for (const Term& t : site.terms) check(t.related, index.terms, term_names, "glossary term");
  for (const auto& [id, mentions] : site.mentions)
    if (std::any_of(mentions.begin(), mentions.end(), [](const Mention& m) { return m.use; }))
      used.insert(id);
  // After an error, a page that would mention a term may not have loaded;
  // the warning would only add noise.
  if (diags.has_errors()) return;
  for (const Term& t : site.terms)
    if (!used.count(t.id))
      diags.Warning(t.at, "glossary term '" + t.id + "' is not used outside the glossary");
}

}  // namespace casebook
