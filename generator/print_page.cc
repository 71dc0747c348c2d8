#include "print_page.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <string_view>

#include "parallel.h"
#include "text.h"

namespace casebook {

namespace {

// Ids print.html itself uses around the pages.
constexpr std::string_view kOwnIds[] = {"main"};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// `s` in lower case in `buf`, or "" when it is longer than any name the
// rewriter knows (such a name is one it leaves alone).
std::string_view LowerInto(std::string_view s, char (&buf)[32]) {
  if (s.size() > sizeof buf) return {};
  for (size_t i = 0; i < s.size(); ++i)
    buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
  return std::string_view(buf, s.size());
}

// What the rewriter does with an attribute, by its lower-case name: one
// lookup per attribute instead of a comparison with every known name.
enum class AttrKind {
  kOther,
  kId,
  kAriaLabel,
  kAriaLabelledBy,
  kIdList,  // a space-separated list of ids
  kUrl,
  kPaint,  // where SVG takes a url(#id) reference: only these, since the same
           // words in an alt text or a title are the author's text
  kOpen,
  kRole,
};

// A lookup table: names and what they are, indexed alike.
template <typename Kind>
struct KindTable {
  NameIndex index;
  std::vector<Kind> kinds;
  KindTable(const std::vector<std::pair<std::string_view, Kind>>& entries)
      : index(Names(entries)) {
    for (const auto& e : entries) kinds.push_back(e.second);
  }
  static std::vector<std::string_view> Names(
      const std::vector<std::pair<std::string_view, Kind>>& entries) {
    std::vector<std::string_view> names;
    for (const auto& e : entries) names.push_back(e.first);
    return names;
  }
  Kind Find(std::string_view name, Kind none) const {
    int i = index.Find(name);
    return i < 0 ? none : kinds[static_cast<size_t>(i)];
  }
};

AttrKind KindOfAttribute(std::string_view name) {
  static const KindTable<AttrKind> kKinds = [] {
    std::vector<std::pair<std::string_view, AttrKind>> m = {
        {"id", AttrKind::kId},
        {"aria-label", AttrKind::kAriaLabel},
        {"aria-labelledby", AttrKind::kAriaLabelledBy},
        {"href", AttrKind::kUrl},
        {"xlink:href", AttrKind::kUrl},
        {"src", AttrKind::kUrl},
        {"open", AttrKind::kOpen},
        {"role", AttrKind::kRole}};
    for (std::string_view n : {"for", "headers", "list", "form", "popovertarget",
                               "aria-describedby", "aria-controls", "aria-owns", "aria-flowto",
                               "aria-details", "aria-errormessage", "aria-activedescendant"})
      m.emplace_back(n, AttrKind::kIdList);
    for (std::string_view n : {"style", "fill", "stroke", "clip-path", "mask", "filter",
                               "marker-start", "marker-mid", "marker-end"})
      m.emplace_back(n, AttrKind::kPaint);
    return KindTable<AttrKind>(m);
  }();
  char buf[32];
  return kKinds.Find(LowerInto(name, buf), AttrKind::kOther);
}

// What the rewriter does with an element, by its tag name in lower case.
enum class TagKind { kOther, kLandmark, kDetails, kRawText };

TagKind KindOfTag(std::string_view lower_name) {
  static const KindTable<TagKind> kKinds({
      {"section", TagKind::kLandmark}, {"aside", TagKind::kLandmark},
      {"nav", TagKind::kLandmark},     {"form", TagKind::kLandmark},
      {"search", TagKind::kLandmark},  {"header", TagKind::kLandmark},
      {"footer", TagKind::kLandmark},  {"main", TagKind::kLandmark},
      {"details", TagKind::kDetails},  {"style", TagKind::kRawText},
      {"script", TagKind::kRawText}});
  return kKinds.Find(lower_name, TagKind::kOther);
}

// "https:", "mailto:": a scheme before any '/', '?' or '#'.
bool HasScheme(std::string_view v) {
  if (v.empty() || !IsAlpha(v[0])) return false;
  for (char c : v) {
    if (c == ':') return true;
    if (!IsAlpha(c) && !IsDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

// `path` (relative) resolved against the folder of site-relative `from`;
// nullopt when it climbs above the site root.
std::optional<std::string> ResolvePath(const std::string& from, std::string_view path) {
  std::vector<std::string_view> parts;
  std::string_view dir(from);
  size_t slash = dir.rfind('/');
  dir = slash == std::string_view::npos ? std::string_view() : dir.substr(0, slash);
  auto push = [&](std::string_view s, bool keep_empty) {
    size_t at = 0;
    while (at <= s.size()) {
      size_t end = std::min(s.find('/', at), s.size());
      std::string_view seg = s.substr(at, end - at);
      if (seg == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else if (seg != "." && (!seg.empty() || (keep_empty && end == s.size()))) {
        parts.push_back(seg);
      }
      at = end + 1;
    }
    return true;
  };
  if (!dir.empty()) push(dir, false);
  if (!push(path, true)) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + std::string(parts[i]);
  return out;
}

// A landmark's name in the document starts with its page's title:
// "Search ranking —" (escaped for an attribute).
std::string PrintNamePrefix(const std::string& title) { return HtmlEscape(title) + " \u2014"; }

// The id of the hidden element that holds the prefix, for the landmarks named
// by aria-labelledby: the page's prefix alone. Every other id the rewriter
// writes has a non-empty id after the prefix, so none can be this one.
std::string PrintNameId(const std::string& slug) { return slug + "--"; }

// Rewrites one page's HTML in one pass, copying what it does not change.
class Rewriter {
 public:
  // The rewritten page is appended to `head`.
  Rewriter(std::string_view html, const std::string& url, const std::string& title,
           const PrintSlugs& slugs, std::string head = "")
      : out_(std::move(head)),
        html_(html),
        url_(url),
        slugs_(slugs),
        slug_(PrintSlug(url)),
        prefix_(slug_ + "--"),
        name_prefix_(PrintNamePrefix(title)),
        name_id_(PrintNameId(slug_)),
        dir_(url.substr(0, url.rfind('/') + 1)) {}

  std::string Run() {
    out_.reserve(out_.size() + html_.size() + html_.size() / 8);
    size_t i = 0;
    while ((i = html_.find('<', i)) != std::string::npos) i = Markup(i);
    Copy(html_.size());
    return std::move(out_);
  }

 private:
  void Copy(size_t upto) {
    out_.append(html_, copied_, upto - copied_);
    copied_ = upto;
  }
  // Replaces html_[from, to) with `text`.
  void Replace(size_t from, size_t to, const std::string& text) {
    Copy(from);
    out_ += text;
    copied_ = to;
  }
  size_t Skip(size_t from, std::string_view until) const {
    size_t end = html_.find(until, from);
    return end == std::string::npos ? html_.size() : end + until.size();
  }

  // At a '<': returns where scanning resumes.
  size_t Markup(size_t at) {
    if (html_.compare(at, 4, "<!--") == 0) return Skip(at + 4, "-->");
    char next = at + 1 < html_.size() ? html_[at + 1] : '\0';
    if (next == '/' || next == '!' || next == '?') return Skip(at + 1, ">");
    if (!IsAlpha(next)) return at + 1;  // not a tag (casebook escapes text)
    return StartTag(at + 1);
  }

  // One attribute of a start tag: what its name is and where its value is
  // (begin == end when it has none).
  struct Attr {
    AttrKind kind;
    size_t begin = 0, end = 0;
  };

  size_t StartTag(size_t at) {
    size_t end = at;
    while (end < html_.size() && !IsSpace(html_[end]) && html_[end] != '>' && html_[end] != '/')
      ++end;
    char buf[32];
    const std::string_view name = LowerInto(std::string_view(html_).substr(at, end - at), buf);
    TagKind tag = KindOfTag(name);
    attrs_.clear();  // reused: a page has thousands of tags
    size_t i = end;
    for (;;) {
      while (i < html_.size() && (IsSpace(html_[i]) || html_[i] == '/')) ++i;
      if (i >= html_.size() || html_[i] == '>') break;
      i = Attribute(i, attrs_);
    }
    bool landmark = IsLandmark(tag, attrs_);
    bool has_open = false;
    for (const Attr& a : attrs_) {
      has_open = has_open || a.kind == AttrKind::kOpen;
      Rewrite(a, landmark);
    }
    if (i >= html_.size()) return i;  // a cut-off tag
    if (tag == TagKind::kDetails && !has_open) Replace(i, i, " open");
    ++i;
    // Raw text: a stylesheet or script is not markup (casebook writes
    // neither into content; an SVG's <style> is copied as it is).
    if (tag == TagKind::kRawText) return Skip(i, "</" + std::string(name));
    return i;
  }

  // Reads one attribute at `at` into `attrs`; returns the index after it.
  size_t Attribute(size_t at, std::vector<Attr>& attrs) const {
    size_t i = at;
    while (i < html_.size() && !IsSpace(html_[i]) && html_[i] != '=' && html_[i] != '>' &&
           html_[i] != '/')
      ++i;
    if (i == at) return i + 1;  // a stray character: step over it
    Attr a{KindOfAttribute(std::string_view(html_).substr(at, i - at)), i, i};
    size_t j = i;
    while (j < html_.size() && IsSpace(html_[j])) ++j;
    if (j >= html_.size() || html_[j] != '=') {  // no value
      attrs.push_back(a);
      return i;
    }
    ++j;
    while (j < html_.size() && IsSpace(html_[j])) ++j;
    a.begin = j;
    if (j < html_.size() && (html_[j] == '"' || html_[j] == '\'')) {
      a.begin = j + 1;
      a.end = std::min(html_.find(html_[j], a.begin), html_.size());
      j = std::min(a.end + 1, html_.size());
    } else {
      while (j < html_.size() && !IsSpace(html_[j]) && html_[j] != '>') ++j;
      a.end = j;
    }
    attrs.push_back(a);
    return j;
  }

  // Whether the element is (or, once named, becomes) a landmark, by its tag
  // or its role: only landmarks need names no other one has.
  bool IsLandmark(TagKind tag, const std::vector<Attr>& attrs) const {
    static constexpr std::string_view kRoles[] = {
        "region", "complementary", "navigation", "form", "search", "banner", "contentinfo",
        "main"};
    if (tag == TagKind::kLandmark) return true;
    for (const Attr& a : attrs) {
      if (a.kind != AttrKind::kRole) continue;
      std::string role = AsciiLower(std::string_view(html_).substr(a.begin, a.end - a.begin));
      return std::find(std::begin(kRoles), std::end(kRoles), role) != std::end(kRoles);
    }
    return false;
  }

  // Writes attribute `a`'s value as the document needs it, straight into
  // the output (a page has thousands of attributes: no string per value).
  void Rewrite(const Attr& a, bool landmark) {
    std::string_view value = html_.substr(a.begin, a.end - a.begin);
    if (value.empty()) return;
    switch (a.kind) {
      case AttrKind::kId:
        Copy(a.begin);
        out_ += prefix_;
        break;  // the value follows as it is
      // Landmark names: see print_page.h.
      case AttrKind::kAriaLabel:
        if (!landmark) return;
        Copy(a.begin);
        out_ += name_prefix_;
        out_ += ' ';
        break;
      case AttrKind::kAriaLabelledBy:
        Copy(a.begin);
        if (landmark) {
          out_ += name_id_;
          out_ += ' ';
        }
        PrefixList(value);
        copied_ = a.end;
        break;
      case AttrKind::kIdList:
        Copy(a.begin);
        PrefixList(value);
        copied_ = a.end;
        break;
      case AttrKind::kUrl:
        Link(a, value);
        break;
      case AttrKind::kPaint:
        if (value.find("url(#") == std::string_view::npos) return;
        Copy(a.begin);
        PrefixUrlRefs(value);
        copied_ = a.end;
        break;
      case AttrKind::kOther:
      case AttrKind::kOpen:
      case AttrKind::kRole:
        return;
    }
  }

  // Each id of a space-separated list, prefixed, one space apart.
  void PrefixList(std::string_view value) {
    bool first = true;
    size_t i = 0;
    while (i < value.size()) {
      while (i < value.size() && IsSpace(value[i])) ++i;
      size_t end = i;
      while (end < value.size() && !IsSpace(value[end])) ++end;
      if (end > i) {
        if (!first) out_ += ' ';
        first = false;
        out_ += prefix_;
        out_ += value.substr(i, end - i);
      }
      i = end;
    }
  }

  // SVG paint and clip references: fill="url(#grad)".
  void PrefixUrlRefs(std::string_view value) {
    size_t last = 0, at;
    while ((at = value.find("url(#", last)) != std::string_view::npos) {
      out_ += value.substr(last, at + 5 - last);
      out_ += prefix_;
      last = at + 5;
    }
    out_ += value.substr(last);
  }

  // Whether `path` (relative, no scheme) names a file without ".", ".." or
  // empty segments (but perhaps a trailing '/'): then resolving it against
  // the page's folder is only joining the two. Links of casebook's own
  // output are nearly all like that.
  static bool PlainRelative(std::string_view path) {
    size_t at = 0;
    while (at < path.size()) {
      size_t end = std::min(path.find('/', at), path.size());
      std::string_view seg = path.substr(at, end - at);
      if (seg.empty() || seg == "." || seg == "..") return false;
      at = end + 1;
    }
    return true;
  }

  // A URL attribute (href, src): see print_page.h for what becomes of it.
  void Link(const Attr& a, std::string_view value) {
    if (value[0] == '#') {
      Copy(a.begin);
      out_ += '#';
      if (value.size() == 1) {
        out_ += slug_;
      } else {
        out_ += prefix_;
        out_ += value.substr(1);
      }
      copied_ = a.end;
      return;
    }
    if (HasScheme(value) || value[0] == '/') return;
    const size_t hash = value.find('#');
    std::string_view path = value.substr(0, hash);
    std::string_view fragment =
        hash == std::string_view::npos ? std::string_view() : value.substr(hash + 1);
    const size_t query = path.find('?');
    std::string_view rest = query == std::string_view::npos ? std::string_view() : path.substr(query);
    path = path.substr(0, query);
    if (path.empty()) {
      target_ = url_;
    } else if (PlainRelative(path)) {
      target_.assign(dir_);
      target_ += path;
    } else if (std::optional<std::string> resolved = ResolvePath(url_, path)) {
      target_ = std::move(*resolved);
    } else {
      return;  // above the site root: left as written
    }
    Copy(a.begin);
    auto page = slugs_.find(target_);
    if (page != slugs_.end()) {
      out_ += '#';
      out_ += page->second;
      if (!fragment.empty()) {
        out_ += "--";
        out_ += fragment;
      }
    } else {
      out_ += target_;
      out_ += rest;
      if (hash != std::string_view::npos) {
        out_ += '#';
        out_ += fragment;
      }
    }
    copied_ = a.end;
  }

  std::string out_;  // first: the constructor fills it first
  std::string_view html_;
  const std::string& url_;
  const PrintSlugs& slugs_;
  const std::string slug_, prefix_;
  const std::string name_prefix_, name_id_;  // PrintNamePrefix(title), PrintNameId(slug_)
  const std::string dir_;  // url_'s folder with its '/' ("" at the root)
  std::string target_;     // Link's resolved path (reused: one per link)
  std::vector<Attr> attrs_;  // the current start tag's
  size_t copied_ = 0;
};

bool IsSub(const std::string& url) {
  const std::string index = "/index.html";
  return url.find('/') != std::string::npos &&
         !(url.size() >= index.size() &&
           url.compare(url.size() - index.size(), index.size(), index) == 0);
}

}  // namespace

std::string PrintUrl() { return "print.html"; }

bool InPrintDocument(const Page& page) {
  return KindInfo(page.kind).in_sequence && page.kind != PageKind::kProgress;
}

bool StartsNewSheet(const Page& page) { return page.kind != PageKind::kTerm; }

std::string PrintSlug(const std::string& url) {
  std::string slug = url;
  const std::string ext = ".html";
  if (slug.size() > ext.size() && slug.compare(slug.size() - ext.size(), ext.size(), ext) == 0)
    slug.resize(slug.size() - ext.size());
  std::replace(slug.begin(), slug.end(), '/', '_');
  // '_' is in no URL, so "main_page" cannot be another page's slug.
  if (std::find(std::begin(kOwnIds), std::end(kOwnIds), slug) != std::end(kOwnIds))
    slug += "_page";
  return slug;
}

std::string RewriteForPrint(std::string_view html, const std::string& url,
                            const std::string& title, const PrintSlugs& slugs) {
  return Rewriter(html, url, title, slugs).Run();
}

namespace {

// What a part's section depends on, besides the document's slugs.
std::string PieceKey(const PrintPart& p) {
  std::string key = p.url + '\0' + p.title + '\0' + (p.new_sheet ? '1' : '0') + '\0';
  key += p.html;
  return key;
}

}  // namespace

PrintBook::PrintBook(const std::vector<PrintPart>& parts, PrintCache* cache, Sink sink)
    : parts_(parts), cache_(cache), sink_(cache ? Sink() : std::move(sink)),
      pieces_(parts.size()), keys_(cache ? parts.size() : 0),
      done_(sink_ ? parts.size() : 0) {
  uint64_t slugs_hash = kHashSeed;
  for (const PrintPart& p : parts) {
    std::string& slug = slugs_[p.url];
    slug = PrintSlug(p.url);
    slugs_hash = HashBytes(HashBytes(slugs_hash, p.url), slug);
  }
  if (cache_ && cache_->slugs != slugs_hash) *cache_ = PrintCache{slugs_hash, {}};
}

void PrintBook::Make(size_t k, std::string_view html) {
  PrintPart p = parts_[k];
  p.html = html;
  if (cache_) {
    keys_[k] = PieceKey(p);
    auto hit = cache_->pieces.find(keys_[k]);  // read-only while threads run
    if (hit != cache_->pieces.end()) {
      pieces_[k] = hit->second;
      return;
    }
  }
  std::string head = "<section class=\"print-page" + std::string(p.new_sheet ? " print-break" : "") +
                     "\" id=\"" + HtmlEscape(PrintSlug(p.url)) + "\">\n" + "<span hidden id=\"" +
                     HtmlEscape(PrintNameId(PrintSlug(p.url))) + "\">" + PrintNamePrefix(p.title) +
                     "</span>\n";
  // Rewritten straight after its head: the page is not copied again.
  pieces_[k] = Rewriter(p.html, p.url, p.title, slugs_, std::move(head)).Run();
  pieces_[k] += "</section>\n";
  if (!sink_) return;
  // Whoever makes the section the sink waits for writes out the run of
  // sections made after it; the others only mark theirs done.
  std::lock_guard<std::mutex> lock(mutex_);
  done_[k] = 1;
  for (; next_ < pieces_.size() && done_[next_]; ++next_) {
    sink_(pieces_[next_]);
    std::string().swap(pieces_[next_]);
  }
}

std::vector<std::string> PrintBook::Finish() {
  if (sink_) return {};  // every section was made, so every one was sunk
  if (cache_) {
    std::unordered_map<std::string, std::string> next;
    for (size_t k = 0; k < parts_.size(); ++k) next[std::move(keys_[k])] = pieces_[k];
    cache_->pieces = std::move(next);
  }
  return std::move(pieces_);
}

std::vector<std::string> PrintPieces(const std::vector<PrintPart>& parts, int jobs,
                                     PrintCache* cache) {
  PrintBook book(parts, cache);
  ParallelFor(parts.size(), jobs, [&](size_t k) { book.Make(k, parts[k].html); });
  return book.Finish();
}

std::string CombineForPrint(const std::vector<PrintPart>& parts, int jobs,
                            std::string_view before, std::string_view after,
                            PrintCache* cache) {
  std::vector<std::string> pieces = PrintPieces(parts, jobs, cache);
  // A large guide's document is tens of megabytes: one allocation, and
  // each piece freed once copied.
  size_t size = before.size() + after.size();
  for (const std::string& piece : pieces) size += piece.size();
  std::string body;
  body.reserve(size);
  body += before;
  for (std::string& piece : pieces) {
    body += piece;
    std::string().swap(piece);
  }
  body += after;
  return body;
}

const std::string& PrintShape() {
  static const std::string kShape =
      "site{id title description repository language} page{title url} "
      "contents{title url pages{title url} has_pages} body";
  return kShape;
}

TemplateData PrintData(const SiteConfig& site, const std::vector<PrintPart>& parts,
                       const std::string& body) {
  using Data = TemplateData;
  auto str = [](const std::string& s) { return s.empty() ? Data(false) : Data(s); };
  auto link = [&](const std::string& title, const std::string& url) {
    Data d;
    d.set("title", str(title));
    d.set("url", str(url));
    return d;
  };
  Data s;
  s.set("id", str(site.id));
  s.set("title", str(site.title));
  s.set("description", str(site.description));
  s.set("repository", str(site.repository));
  s.set("language", str(site.language));
  // Top-level pages, each with the pages of its section (a step under the
  // framework, a term under the glossary).
  std::vector<Data> groups;
  std::vector<Data> members;
  auto close_group = [&] {
    if (groups.empty()) return;
    Data list(Data::type::list);
    for (Data& m : members) list.push_back(m);
    groups.back().set("pages", list);
    groups.back().set("has_pages", !members.empty());
    members.clear();
  };
  for (const PrintPart& p : parts) {
    Data entry = link(p.title, "#" + PrintSlug(p.url));
    if (p.sub && !groups.empty()) {
      members.push_back(entry);
      continue;
    }
    close_group();
    groups.push_back(entry);
  }
  close_group();
  Data contents(Data::type::list);
  for (Data& g : groups) contents.push_back(g);
  Data d;
  d.set("site", s);
  d.set("page", link("The whole guide", PrintUrl()));
  d.set("contents", contents);
  d.set("body", Data(body));
  return d;
}

std::vector<PrintPart> PrintParts(const PageMap& map, const std::vector<std::string>& contents) {
  std::vector<PrintPart> parts;
  for (size_t i = 0; i < map.pages.size() && i < contents.size(); ++i) {
    const Page& p = map.pages[i];
    if (!InPrintDocument(p)) continue;
    parts.push_back({p.url, p.title, contents[i], StartsNewSheet(p), IsSub(p.url)});
  }
  return parts;
}

std::vector<PrintPart> PrintParts(const PageMap& map, std::vector<size_t>* part_of) {
  std::vector<PrintPart> parts;
  part_of->assign(map.pages.size(), kNoPart);
  for (size_t i = 0; i < map.pages.size(); ++i) {
    const Page& p = map.pages[i];
    if (!InPrintDocument(p)) continue;
    (*part_of)[i] = parts.size();
    parts.push_back({p.url, p.title, {}, StartsNewSheet(p), IsSub(p.url)});
  }
  return parts;
}

}  // namespace casebook
