#include "search_index.h"

#include <cstdlib>
#include <map>
#include <string_view>
#include <utility>

#include "parallel.h"
#include "text.h"

namespace casebook {

namespace {

// Elements that run inside a line of text: no word break at their edges.
bool IsInline(std::string_view tag) {
  static const char* const kInline[] = {"a",   "abbr", "b",    "bdi", "cite", "code", "data",
                                        "del", "dfn",  "em",   "i",   "ins",  "kbd",  "mark",
                                        "q",   "s",    "samp", "small", "span", "strong", "sub",
                                        "sup", "time", "u",    "var", "wbr"};
  for (const char* t : kInline)
    if (tag == t) return true;
  return false;
}

bool IsVoid(std::string_view tag) {
  static const char* const kVoid[] = {"area", "base", "br",   "col",   "embed", "hr",  "img",
                                      "input", "link", "meta", "source", "track", "wbr"};
  for (const char* t : kVoid)
    if (tag == t) return true;
  return false;
}

// A start tag's attributes as (lower-case name, value) pairs, read the way
// a browser reads them: a quoted value may hold spaces, "=" and other
// attributes' names, which are not attributes.
using Attributes = std::vector<std::pair<std::string, std::string>>;
Attributes ParseAttributes(std::string_view s) {
  Attributes out;
  size_t i = 0, n = s.size();
  auto space = [&](size_t k) {
    return s[k] == ' ' || s[k] == '\n' || s[k] == '\t' || s[k] == '\r';
  };
  while (i < n) {
    while (i < n && (space(i) || s[i] == '/')) ++i;
    size_t name_start = i;
    while (i < n && !space(i) && s[i] != '=' && s[i] != '/') ++i;
    if (i == name_start) break;
    std::string name = AsciiLower(s.substr(name_start, i - name_start));
    std::string value;
    while (i < n && space(i)) ++i;
    if (i < n && s[i] == '=') {
      ++i;
      while (i < n && space(i)) ++i;
      if (i < n && (s[i] == '"' || s[i] == '\'')) {
        size_t close = s.find(s[i], i + 1);
        if (close == std::string_view::npos) close = n;
        value = std::string(s.substr(i + 1, close - i - 1));
        i = close == n ? n : close + 1;
      } else {
        size_t value_start = i;
        while (i < n && !space(i)) ++i;
        value = std::string(s.substr(value_start, i - value_start));
      }
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

const std::string* Find(const Attributes& attrs, std::string_view name) {
  for (const auto& [n, v] : attrs)
    if (n == name) return &v;
  return nullptr;
}

std::string Value(const Attributes& attrs, std::string_view name) {
  const std::string* v = Find(attrs, name);
  return v ? *v : "";
}

bool HasClass(const Attributes& attrs, std::string_view cls) {
  std::string value = Value(attrs, "class");
  size_t i = 0;
  while (i < value.size()) {
    size_t end = value.find(' ', i);
    if (end == std::string::npos) end = value.size();
    if (std::string_view(value).substr(i, end - i) == cls) return true;
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
// entity it does not know stays as written.
void AppendText(std::string_view s, std::string& out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += '&';
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
      continue;
    }
    AppendUtf8(cp, out);
    i = semi;
  }
}

// Runs of ASCII whitespace to one space, trimmed.
std::string Collapse(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

struct OpenElement {
  std::string tag;
  std::string id;
  bool skip = false;         // its text is not reading matter
  bool named_section = false;  // a <section id> whose first heading names it
};

// Builds the sections while the scanner walks the page.
class SectionCollector {
 public:
  std::vector<SearchSection> Finish() {
    Flush();
    return std::move(sections_);
  }

  void StartTag(std::string_view tag, std::string_view attr_text, bool self_closing) {
    Attributes attrs = ParseAttributes(attr_text);
    bool skip = !open_.empty() && open_.back().skip;
    skip = skip || tag == "math" || tag == "svg" || tag == "script" || tag == "style" ||
           tag == "button" || tag == "template" || HasClass(attrs, "tip") ||
           Value(attrs, "aria-hidden") == "true" || Find(attrs, "data-nosearch") != nullptr;
    if (!IsInline(tag)) Space();
    if (self_closing || IsVoid(tag)) return;
    OpenElement e;
    e.tag = std::string(tag);
    e.id = Value(attrs, "id");
    e.skip = skip;
    e.named_section = tag == "section" && !e.id.empty();
    // A heading starts a section only if a result can link to it.
    std::string anchor;
    bool heading = !skip && (tag == "h1" || ((tag == "h2" || tag == "h3") &&
                                            !(anchor = HeadingAnchor(e.id)).empty()));
    if (heading) StartSection(tag, anchor);
    ++open_count_[e.tag];
    open_.push_back(std::move(e));
    if (heading) heading_depth_ = open_.size();
  }

  void EndTag(std::string_view tag) {
    if (!IsInline(tag)) Space();
    // Tolerant: close up to the nearest open element of that name; an end
    // tag with none open is ignored without a walk of the stack.
    auto count = open_count_.find(std::string(tag));
    if (count == open_count_.end() || count->second == 0) return;
    while (!open_.empty()) {
      bool match = open_.back().tag == tag;
      --open_count_[open_.back().tag];
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
  void Space() { (heading_depth_ ? heading_ : text_) += ' '; }

  // The anchor a heading with id `heading_id` gives its section: that of
  // the generated <section> it is the first heading of, else its own.
  // Marks such a section as named.
  std::string HeadingAnchor(const std::string& heading_id) {
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

  void StartSection(std::string_view tag, const std::string& anchor) {
    Flush();
    lead_title_ = tag == "h1";  // the page's own title: its lead
    anchor_ = lead_title_ ? "" : anchor;
  }

  void Flush() {
    SearchSection s;
    s.anchor = anchor_;
    s.heading = lead_title_ ? "" : Collapse(heading_);
    s.text = Collapse(text_);
    if (!s.heading.empty() || !s.text.empty()) {
      // Two pieces of one lead (text before and after the h1) stay one.
      if (!sections_.empty() && s.anchor.empty() && sections_.back().anchor.empty() &&
          s.heading.empty()) {
        std::string& t = sections_.back().text;
        t += (t.empty() || s.text.empty() ? "" : " ") + s.text;
      } else {
        sections_.push_back(std::move(s));
      }
    }
    heading_.clear();
    text_.clear();
  }

  std::vector<OpenElement> open_;
  std::map<std::string, int> open_count_;  // open elements by tag
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
    size_t gt = lt + 1;
    char quote = 0;  // inside a value quoted with it
    while (gt < n && (quote || html[gt] != '>')) {
      if (quote == 0 && (html[gt] == '"' || html[gt] == '\'')) quote = html[gt];
      else if (html[gt] == quote) quote = 0;
      ++gt;
    }
    std::string_view tag_text = std::string_view(html).substr(lt + 1, gt - lt - 1);
    i = gt < n ? gt + 1 : n;
    bool closing = !tag_text.empty() && tag_text[0] == '/';
    if (closing) tag_text.remove_prefix(1);
    size_t name_end = 0;
    while (name_end < tag_text.size() && tag_text[name_end] != ' ' && tag_text[name_end] != '\n' &&
           tag_text[name_end] != '/')
      ++name_end;
    std::string tag = AsciiLower(tag_text.substr(0, name_end));
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

std::string SearchIndexScript(const Site& site, const PageMap& map,
                              std::vector<std::vector<SearchSection>> found,
                              std::string_view client, int jobs) {
  // Numbered in page order first; each page's rows are then written on any
  // thread and joined in order, so the script does not depend on jobs.
  std::vector<size_t> searched;
  for (size_t i = 0; i < map.pages.size(); ++i)
    if (IsSearched(map.pages[i])) searched.push_back(i);
  std::vector<std::string> rows(searched.size());
  ParallelFor(searched.size(), jobs, [&](size_t k) {
    size_t i = searched[k];
    std::string names = PageNames(site, map.pages[i]);
    std::string& out = rows[k];
    for (const SearchSection& s : found[i]) {
      out += ",\n[";
      out += std::to_string(k) + ',';
      AppendJsonString(s.anchor, out);
      out += ',';
      AppendJsonString(s.heading, out);
      out += ',';
      AppendJsonString(s.text, out);
      out += ',';
      AppendJsonString(s.anchor.empty() ? names : "", out);
      out += ']';
    }
    std::vector<SearchSection>().swap(found[i]);
  });
  std::string pages, sections;
  for (size_t k = 0; k < searched.size(); ++k) {
    const Page& p = map.pages[searched[k]];
    pages += pages.empty() ? "\n[" : ",\n[";
    AppendJsonString(p.url, pages);
    pages += ',';
    AppendJsonString(p.title, pages);
    pages += ',';
    AppendJsonString(KindInfo(p.kind).search_label, pages);
    pages += ']';
    // Each row starts with ",\n[": the first of all starts with "\n[".
    sections.append(rows[k], sections.empty() && !rows[k].empty() ? 1 : 0);
    std::string().swap(rows[k]);
  }
  // The version names this data and the script that indexes it: the box
  // keeps the index it builds under it, so new content or a new search.js
  // never meets an index an older one kept.
  std::string version = ShortHash(pages + sections + std::string(client));
  return "// Generated by casebook: the sections the search box indexes.\n"
         "// pages: [url, title, kind]; sections: [page, anchor, heading, text, names].\n"
         "window.casebookSearchData = {\"version\": \"" + version + "\", \"pages\": [" +
         pages + "],\n\"sections\": [" + sections + "]};\n";
}

}  // namespace casebook
