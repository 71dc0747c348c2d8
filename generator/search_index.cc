#include "search_index.h"

#include <cstdint>
#include <mutex>
#include <cstdlib>
#include <iterator>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "parallel.h"
#include "text.h"

namespace casebook {

namespace {

// What the collector needs to know of a tag name, as bits.
enum TagFlag : uint8_t {
  kInline = 1,      // runs inside a line of text: no word break at its edges
  kVoid = 2,        // has no end tag
  kNotReading = 4,  // its text is not reading matter (MathML, SVG, code, ...)
};

// The tag names casebook's pages are made of. Each is known by its index
// here, so the scanner compares and counts small integers, not strings;
// a name not listed is given the next free number per page (see TagId).
struct KnownTag {
  std::string_view name;
  uint8_t flags;
};
constexpr KnownTag kKnownTags[] = {
    // Inline elements.
    {"a", kInline}, {"abbr", kInline}, {"b", kInline}, {"bdi", kInline}, {"cite", kInline},
    {"code", kInline}, {"data", kInline}, {"del", kInline}, {"dfn", kInline}, {"em", kInline},
    {"i", kInline}, {"ins", kInline}, {"kbd", kInline}, {"mark", kInline}, {"q", kInline},
    {"s", kInline}, {"samp", kInline}, {"small", kInline}, {"span", kInline},
    {"strong", kInline}, {"sub", kInline}, {"sup", kInline}, {"time", kInline},
    {"u", kInline}, {"var", kInline}, {"wbr", kInline | kVoid},
    // Void elements.
    {"area", kVoid}, {"base", kVoid}, {"br", kVoid}, {"col", kVoid}, {"embed", kVoid},
    {"hr", kVoid}, {"img", kVoid}, {"input", kVoid}, {"link", kVoid}, {"meta", kVoid},
    {"source", kVoid}, {"track", kVoid},
    // Elements whose text is left out.
    {"math", kNotReading}, {"svg", kNotReading}, {"script", kNotReading},
    {"style", kNotReading}, {"button", kNotReading}, {"template", kNotReading},
    // Other common elements: no flags, only a number.
    {"p", 0}, {"div", 0}, {"section", 0}, {"article", 0}, {"aside", 0}, {"nav", 0},
    {"header", 0}, {"footer", 0}, {"main", 0}, {"h1", 0}, {"h2", 0}, {"h3", 0}, {"h4", 0},
    {"h5", 0}, {"h6", 0}, {"ul", 0}, {"ol", 0}, {"li", 0}, {"dl", 0}, {"dt", 0}, {"dd", 0},
    {"pre", 0}, {"blockquote", 0}, {"figure", 0}, {"figcaption", 0}, {"table", 0},
    {"thead", 0}, {"tbody", 0}, {"tfoot", 0}, {"tr", 0}, {"th", 0}, {"td", 0},
    {"caption", 0}, {"colgroup", 0}, {"details", 0}, {"summary", 0}, {"label", 0},
    {"form", 0}, {"dialog", 0}, {"picture", 0}, {"video", 0}, {"audio", 0},
    // Inside <math> and <svg>.
    {"mi", 0}, {"mo", 0}, {"mn", 0}, {"ms", 0}, {"mtext", 0}, {"mrow", 0}, {"msup", 0},
    {"msub", 0}, {"msubsup", 0}, {"mfrac", 0}, {"msqrt", 0}, {"mroot", 0}, {"mover", 0},
    {"munder", 0}, {"munderover", 0}, {"mtable", 0}, {"mtr", 0}, {"mtd", 0},
    {"mstyle", 0}, {"mspace", 0}, {"mpadded", 0}, {"mphantom", 0}, {"semantics", 0},
    {"annotation", 0}, {"g", 0}, {"path", 0}, {"rect", 0}, {"circle", 0}, {"ellipse", 0},
    {"line", 0}, {"polyline", 0}, {"polygon", 0}, {"text", 0}, {"tspan", 0}, {"title", 0},
    {"defs", 0}, {"use", 0}, {"marker", 0}, {"desc", 0}, {"symbol", 0}, {"clippath", 0},
    {"lineargradient", 0}, {"stop", 0}, {"foreignobject", 0},
};
constexpr int kKnownTagCount = static_cast<int>(std::size(kKnownTags));

// The index of `name` in kKnownTags, or -1.
int KnownTagId(std::string_view name) {
  static const NameIndex index = [] {
    std::vector<std::string_view> names;
    for (const KnownTag& t : kKnownTags) names.push_back(t.name);
    return NameIndex(names);
  }();
  return index.Find(name);
}

// A tag name lower-cased, without a new string per tag: names are short,
// so one fits a buffer on the stack; a longer one (a custom element) goes
// to a string kept for reuse.
class LowerName {
 public:
  std::string_view Set(std::string_view s) {
    char* out = buffer_;
    if (s.size() > sizeof(buffer_)) {
      long_.resize(s.size());
      out = long_.data();
    }
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      out[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return std::string_view(out, s.size());
  }

 private:
  char buffer_[32];
  std::string long_;
};

// `name` equals `lower`, a lower-case literal, ignoring ASCII case: what
// comparing AsciiLower(name) would say, without the copy.
bool EqualsLower(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// The attributes of a start tag the collector reads, each the first of
// its name (as a browser keeps it), as views into the page; an absent one
// reads as "". Read the way a browser reads them: a quoted value may hold
// spaces, "=" and other attributes' names, which are not attributes.
struct TagAttributes {
  std::string_view id, cls, aria_hidden;
  bool nosearch = false;  // data-nosearch is present
};
TagAttributes ParseAttributes(std::string_view s) {
  TagAttributes out;
  bool seen_id = false, seen_class = false, seen_aria_hidden = false;
  size_t i = 0, n = s.size();
  auto space = [&](size_t k) {
    return s[k] == ' ' || s[k] == '\n' || s[k] == '\t' || s[k] == '\r';
  };
  while (i < n) {
    while (i < n && (space(i) || s[i] == '/')) ++i;
    size_t name_start = i;
    while (i < n && !space(i) && s[i] != '=' && s[i] != '/') ++i;
    if (i == name_start) break;
    std::string_view name = s.substr(name_start, i - name_start);
    std::string_view value;
    while (i < n && space(i)) ++i;
    if (i < n && s[i] == '=') {
      ++i;
      while (i < n && space(i)) ++i;
      if (i < n && (s[i] == '"' || s[i] == '\'')) {
        size_t close = s.find(s[i], i + 1);
        if (close == std::string_view::npos) close = n;
        value = s.substr(i + 1, close - i - 1);
        i = close == n ? n : close + 1;
      } else {
        size_t value_start = i;
        while (i < n && !space(i)) ++i;
        value = s.substr(value_start, i - value_start);
      }
    }
    auto keep_first = [&](bool& seen, std::string_view& field) {
      if (!seen) field = value;
      seen = true;
    };
    if (EqualsLower(name, "id")) keep_first(seen_id, out.id);
    else if (EqualsLower(name, "class")) keep_first(seen_class, out.cls);
    else if (EqualsLower(name, "aria-hidden")) keep_first(seen_aria_hidden, out.aria_hidden);
    else if (EqualsLower(name, "data-nosearch")) out.nosearch = true;
  }
  return out;
}

// `cls` is one of the space-separated words of a class attribute.
bool HasClass(std::string_view value, std::string_view cls) {
  size_t i = 0;
  while (i < value.size()) {
    size_t end = value.find(' ', i);
    if (end == std::string_view::npos) end = value.size();
    if (value.substr(i, end - i) == cls) return true;
    i = end + 1;
  }
  return false;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Text between tags, entities decoded: the five casebook's escaping writes
// and numeric references (cmark turns named ones into characters). An
// entity it does not know stays as written. The text between entities is
// appended a run at a time.
void AppendText(std::string_view s, std::string& out) {
  size_t i = 0;
  while (i < s.size()) {
    size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) amp = s.size();
    out.append(s, i, amp - i);
    if (amp == s.size()) break;
    i = amp;
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += '&';
      ++i;
      continue;
    }
    std::string_view name = s.substr(i + 1, semi - i - 1);
    uint32_t cp = 0;
    if (name == "amp") cp = '&';
    else if (name == "lt") cp = '<';
    else if (name == "gt") cp = '>';
    else if (name == "quot") cp = '"';
    else if (name == "apos") cp = '\'';
    else if (name.size() > 1 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string digits(name.substr(hex ? 2 : 1));
      char* end = nullptr;
      unsigned long v = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (!digits.empty() && *end == '\0' && v > 0 && v <= 0x10FFFF && (v < 0xD800 || v > 0xDFFF))
        cp = static_cast<uint32_t>(v);
    }
    if (cp == 0) {
      out += '&';
      ++i;
      continue;
    }
    AppendUtf8(cp, out);
    i = semi + 1;
  }
}

// Runs of ASCII whitespace to one space, trimmed; in place, since the text
// is only ever shortened (no second string per section).
void Collapse(std::string& s) {
  size_t out = 0;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = out > 0;
      continue;
    }
    if (space) s[out++] = ' ';
    space = false;
    s[out++] = c;
  }
  s.resize(out);
}

struct OpenElement {
  int tag;              // see SectionCollector::TagId
  std::string_view id;  // a view into the page
  bool skip = false;         // its text is not reading matter
  bool named_section = false;  // a <section id> whose first heading names it
};

// Builds the sections while the scanner walks the page. The page must
// outlive it: ids are kept as views into it.
class SectionCollector {
 public:
  SectionCollector() : open_count_(kKnownTagCount, 0) {}

  std::vector<SearchSection> Finish() {
    Flush();
    return std::move(sections_);
  }

  // `tag` is lower-case.
  void StartTag(std::string_view tag, std::string_view attr_text, bool self_closing) {
    int id = TagId(tag, /*add=*/true);
    uint8_t flags = Flags(id);
    TagAttributes attrs = ParseAttributes(attr_text);
    bool skip = !open_.empty() && open_.back().skip;
    skip = skip || (flags & kNotReading) || HasClass(attrs.cls, "tip") ||
           attrs.aria_hidden == "true" || attrs.nosearch;
    if (!(flags & kInline)) Space();
    if (self_closing || (flags & kVoid)) return;
    OpenElement e;
    e.tag = id;
    e.id = attrs.id;
    e.skip = skip;
    e.named_section = tag == "section" && !e.id.empty();
    // A heading starts a section only if a result can link to it.
    std::string_view anchor;
    bool heading = !skip && (tag == "h1" || ((tag == "h2" || tag == "h3") &&
                                            !(anchor = HeadingAnchor(e.id)).empty()));
    if (heading) StartSection(tag, anchor);
    ++open_count_[static_cast<size_t>(id)];
    open_.push_back(e);
    if (heading) heading_depth_ = open_.size();
  }

  // `tag` is lower-case.
  void EndTag(std::string_view tag) {
    int id = TagId(tag, /*add=*/false);
    if (!(Flags(id) & kInline)) Space();
    // Tolerant: close up to the nearest open element of that name; an end
    // tag with none open is ignored without a walk of the stack.
    if (id < 0 || open_count_[static_cast<size_t>(id)] == 0) return;
    while (!open_.empty()) {
      bool match = open_.back().tag == id;
      --open_count_[static_cast<size_t>(open_.back().tag)];
      open_.pop_back();
      if (heading_depth_ > open_.size()) heading_depth_ = 0;
      if (match) break;
    }
  }

  void Text(std::string_view text) {
    if (!open_.empty() && open_.back().skip) return;
    AppendText(text, heading_depth_ ? heading_ : text_);
  }

 private:
  // A tag name's number: its index in kKnownTags, else kKnownTagCount plus
  // its index in other_tags_, where it is added if `add` (a start tag);
  // -1 for an end tag of a name never opened. Pages use few names outside
  // the list, so other_tags_ is short and walked.
  int TagId(std::string_view tag, bool add) {
    int id = KnownTagId(tag);
    if (id >= 0) return id;
    for (size_t i = 0; i < other_tags_.size(); ++i)
      if (other_tags_[i] == tag) return kKnownTagCount + static_cast<int>(i);
    if (!add) return -1;
    other_tags_.emplace_back(tag);
    open_count_.push_back(0);
    return kKnownTagCount + static_cast<int>(other_tags_.size() - 1);
  }

  static uint8_t Flags(int id) {
    return id >= 0 && id < kKnownTagCount ? kKnownTags[id].flags : 0;
  }

  void Space() { (heading_depth_ ? heading_ : text_) += ' '; }

  // The anchor a heading with id `heading_id` gives its section: that of
  // the generated <section> it is the first heading of, else its own.
  // Marks such a section as named.
  std::string_view HeadingAnchor(std::string_view heading_id) {
    for (size_t i = open_.size(); i-- > 0;) {
      if (open_[i].id.empty()) continue;
      if (open_[i].named_section) {
        open_[i].named_section = false;
        return open_[i].id;
      }
      break;
    }
    return heading_id;
  }

  void StartSection(std::string_view tag, std::string_view anchor) {
    Flush();
    lead_title_ = tag == "h1";  // the page's own title: its lead
    if (lead_title_) anchor_.clear();
    else anchor_.assign(anchor);
  }

  void Flush() {
    SearchSection s;
    s.anchor = anchor_;
    if (!lead_title_) {
      Collapse(heading_);
      s.heading = std::move(heading_);
    }
    Collapse(text_);
    s.text = std::move(text_);
    if (!s.heading.empty() || !s.text.empty()) {
      // Two pieces of one lead (text before and after the h1) stay one.
      if (!sections_.empty() && s.anchor.empty() && sections_.back().anchor.empty() &&
          s.heading.empty()) {
        std::string& t = sections_.back().text;
        if (!t.empty() && !s.text.empty()) t += ' ';
        t += s.text;
      } else {
        sections_.push_back(std::move(s));
      }
    }
    heading_.clear();
    text_.clear();
  }

  std::vector<OpenElement> open_;
  std::vector<int> open_count_;  // open elements by tag number (TagId)
  std::vector<std::string> other_tags_;  // names outside kKnownTags, by number
  size_t heading_depth_ = 0;  // open_.size() inside the current heading, else 0
  std::string anchor_;
  bool lead_title_ = false;
  std::string heading_, text_;
  std::vector<SearchSection> sections_;
};

// What a page is called, for the box to rank first: its title, and a
// glossary term's aliases.
std::string PageNames(const Site& site, const Page& p) {
  std::string names = p.title;
  if (p.kind == PageKind::kTerm)
    for (const std::string& a : site.terms[p.index].aliases) names += " · " + a;
  return names;
}

}  // namespace

std::string SearchIndexUrl() { return "assets/search-index.js"; }
std::string SearchLibraryUrl() { return "assets/lunr.js"; }
std::string DefaultSearchLibraryPath() { return "/usr/share/javascript/lunr/lunr.min.js"; }

std::vector<SearchSection> SearchSections(const std::string& html) {
  SectionCollector c;
  LowerName lower;
  size_t i = 0, n = html.size();
  while (i < n) {
    size_t lt = html.find('<', i);
    if (lt == std::string::npos) lt = n;
    if (lt > i) c.Text(std::string_view(html).substr(i, lt - i));
    if (lt == n) break;
    if (html.compare(lt, 4, "<!--") == 0) {
      size_t end = html.find("-->", lt + 4);
      i = end == std::string::npos ? n : end + 3;
      continue;
    }
    // The tag ends at the first '>' outside a quoted value; a value is
    // skipped whole (values are most of a tag's bytes).
    size_t gt = lt + 1;
    while (gt < n && html[gt] != '>') {
      if (html[gt] == '"' || html[gt] == '\'') {
        gt = html.find(html[gt], gt + 1);
        if (gt == std::string::npos) gt = n;
        else ++gt;
      } else {
        ++gt;
      }
    }
    std::string_view tag_text = std::string_view(html).substr(lt + 1, gt - lt - 1);
    i = gt < n ? gt + 1 : n;
    bool closing = !tag_text.empty() && tag_text[0] == '/';
    if (closing) tag_text.remove_prefix(1);
    size_t name_end = 0;
    while (name_end < tag_text.size() && tag_text[name_end] != ' ' && tag_text[name_end] != '\n' &&
           tag_text[name_end] != '/')
      ++name_end;
    std::string_view tag = lower.Set(tag_text.substr(0, name_end));
    if (tag.empty() || tag[0] == '!') continue;  // <!doctype>
    if (closing) {
      c.EndTag(tag);
    } else {
      bool self_closing = !tag_text.empty() && tag_text.back() == '/';
      c.StartTag(tag, tag_text.substr(name_end), self_closing);
    }
  }
  return c.Finish();
}

bool IsSearched(const Page& page) { return KindInfo(page.kind).search_label != nullptr; }

std::vector<SearchSection> CachedSearchSections(const std::string& content,
                                                const SearchCache* cache) {
  if (cache) {
    auto hit = cache->find(content);
    if (hit != cache->end()) return hit->second;
  }
  return SearchSections(content);
}

std::string SearchIndexScript(const Site& site, const PageMap& map,
                              const std::vector<std::string>& contents, std::string_view client,
                              int jobs, SearchCache* cache) {
  std::vector<std::vector<SearchSection>> found(map.pages.size());
  ParallelFor(map.pages.size(), jobs, [&](size_t i) {
    if (IsSearched(map.pages[i])) found[i] = CachedSearchSections(contents[i], cache);
  });
  if (cache) {
    SearchCache next;
    for (size_t i = 0; i < map.pages.size(); ++i)
      if (IsSearched(map.pages[i])) next[contents[i]] = found[i];
    *cache = std::move(next);
  }
  return SearchIndexScript(site, map, std::move(found), client, jobs);
}

struct SearchIndexBuilder::State {
  const Site& site;
  const PageMap& map;
  std::vector<size_t> number;  // by page: its number among the searched, or kNone
  static constexpr size_t kNone = static_cast<size_t>(-1);
  std::string pages;
  std::vector<std::string> rows;  // by number

  std::mutex mutex;  // guards what follows
  std::vector<char> done;  // by number
  size_t hashed = 0;       // rows[0, hashed) are in the version
  bool hashing = false;    // a worker is hashing (and owns `version`)
  bool first = true;       // the first row of all starts with "\n[", the others ",\n["
  ShortHasher version;

  State(const Site& s, const PageMap& m) : site(s), map(m), number(m.pages.size(), kNone) {}
};

SearchIndexBuilder::SearchIndexBuilder(const Site& site, const PageMap& map)
    : s_(std::make_unique<State>(site, map)) {
  // Numbered in page order; each page's rows are then written on any
  // thread, so the script does not depend on jobs.
  State& s = *s_;
  size_t k = 0;
  for (size_t i = 0; i < map.pages.size(); ++i) {
    const Page& p = map.pages[i];
    if (!IsSearched(p)) continue;
    s.number[i] = k++;
    s.pages += s.pages.empty() ? "\n[" : ",\n[";
    AppendJsonString(p.url, s.pages);
    s.pages += ',';
    AppendJsonString(p.title, s.pages);
    s.pages += ',';
    AppendJsonString(KindInfo(p.kind).search_label, s.pages);
    s.pages += ']';
  }
  s.rows.resize(k);
  s.done.resize(k, 0);
  // The version names this data and the script that indexes it: the box
  // keeps the index it builds under it, so new content or a new search.js
  // never meets an index an older one kept. It hashes the pages, the rows
  // and the script, in that order.
  s.version.Add(s.pages);
}

SearchIndexBuilder::~SearchIndexBuilder() = default;

void SearchIndexBuilder::Add(size_t page, const std::vector<SearchSection>& sections) {
  State& s = *s_;
  const size_t k = s.number[page];
  if (k == State::kNone) return;
  std::string names = PageNames(s.site, s.map.pages[page]);
  std::string& out = s.rows[k];
  for (const SearchSection& section : sections) {
    out += ",\n[";
    out += std::to_string(k) + ',';
    AppendJsonString(section.anchor, out);
    out += ',';
    AppendJsonString(section.heading, out);
    out += ',';
    AppendJsonString(section.text, out);
    out += ',';
    AppendJsonString(section.anchor.empty() ? names : "", out);
    out += ']';
  }
  std::unique_lock<std::mutex> lock(s.mutex);
  s.done[k] = 1;
  if (s.hashing) return;  // the hasher will come to it
  s.hashing = true;
  while (s.hashed < s.rows.size() && s.done[s.hashed]) {
    std::string& row = s.rows[s.hashed];
    if (s.first && !row.empty()) {
      row.erase(0, 1);
      s.first = false;
    }
    lock.unlock();  // the row is done: no worker touches it again
    s.version.Add(row);
    lock.lock();
    ++s.hashed;
  }
  s.hashing = false;
}

std::vector<std::string> SearchIndexBuilder::Finish(std::string_view client) {
  State& s = *s_;
  s.version.Add(client);
  // The sections, most of a large site's index, are never joined: the
  // writer takes them as they are.
  std::vector<std::string> pieces;
  pieces.reserve(s.rows.size() + 2);
  pieces.push_back(
      "// Generated by casebook: the sections the search box indexes.\n"
      "// pages: [url, title, kind]; sections: [page, anchor, heading, text, names].\n"
      "window.casebookSearchData = {\"version\": \"" + s.version.Hex() + "\", \"pages\": [" +
      s.pages + "],\n\"sections\": [");
  for (std::string& row : s.rows) pieces.push_back(std::move(row));
  pieces.push_back("]};\n");
  return pieces;
}

std::vector<std::string> SearchIndexPieces(const Site& site, const PageMap& map,
                                           std::vector<std::vector<SearchSection>> found,
                                           std::string_view client, int jobs) {
  SearchIndexBuilder builder(site, map);
  ParallelFor(map.pages.size(), jobs, [&](size_t i) {
    builder.Add(i, found[i]);
    std::vector<SearchSection>().swap(found[i]);
  });
  return builder.Finish(client);
}

std::string SearchIndexScript(const Site& site, const PageMap& map,
                              std::vector<std::vector<SearchSection>> found,
                              std::string_view client, int jobs) {
  std::vector<std::string> pieces = SearchIndexPieces(site, map, std::move(found), client, jobs);
  size_t size = 0;
  for (const std::string& p : pieces) size += p.size();
  std::string script;
  script.reserve(size);
  for (const std::string& p : pieces) script += p;
  return script;
}

}  // namespace casebook
