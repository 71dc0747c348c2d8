// Offline search: the data the browser's search box indexes.
//
// The site carries two generated files: assets/search-index.js, one plain
// script that assigns every searchable section of the guide to
// `window.casebookSearchData`, and assets/lunr.js, Debian's libjs-lunr
// copied as it is. Both are loaded by <script> elements, because fetch()
// and XHR fail on file://; the page's search.js (a template asset) builds
// the lunr index from the data when a reader first uses the box.
//
// A section is what a result links to: the part of a page from one heading
// (h1, h2 or h3) to the next, with the heading's anchor, or the anchor of
// the generated <section> it opens ("#metrics", not "#metrics-title"); a
// heading nothing can link to (no id) is text of the section it is in. Its
// text is what a reader sees there, taken from the page's rendered content
// (so generated sections are searchable like written ones) minus what is
// not reading matter: tooltips (the glossary's own pages hold the
// definitions), MathML and SVG, elements hidden from assistive technology
// (heading permalinks), and elements a template marks `data-nosearch`
// because they repeat what another page says (a term's "Used in" list).
// Content cannot set attributes, so only templates decide what is left out.
//
// The scanner reads casebook's own output, as print_page does: text is
// escaped, so `<` always starts a tag or a comment, and attribute values
// are quoted. One pass, linear in the size of the page.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <string_view>
#include <vector>

#include "page_map.h"
#include "site_model.h"

namespace casebook {

// Site-relative URLs of the two files.
std::string SearchIndexUrl();
std::string SearchLibraryUrl();

// Where Debian's libjs-lunr puts the library; `casebook build` reads it
// from here unless told otherwise.
std::string DefaultSearchLibraryPath();

struct SearchSection {
  std::string anchor;   // "" for the page's lead (before its first h2)
  std::string heading;  // the heading's text; "" for the lead
  std::string text;     // plain text, whitespace collapsed
};

// The sections of one page's rendered content, in document order. A section
// with neither heading nor text is left out.
std::vector<SearchSection> SearchSections(const std::string& html);

// assets/search-index.js for the pages of `map` that are searched
// (PageKindInfo::search_label), from the content each page rendered
// (`contents` is indexed like map.pages). A page's lead section carries its
// names, which the box ranks first: its title, and a term's aliases. The
// data's version hashes it and `client`, the search.js that indexes it.
// The text is JSON inside a script: every character that could end the
// string, the script or a line (", \, <, >, &, controls, U+2028, U+2029) is
// escaped. Pages are read on up to `jobs` threads; the text does not
// depend on `jobs`.
// With a `cache` (`casebook serve`), the sections of a content it holds are
// not found again; it is left holding this build's contents only.
using SearchCache = std::unordered_map<std::string, std::vector<SearchSection>>;
std::string SearchIndexScript(const Site& site, const PageMap& map,
                              const std::vector<std::string>& contents, std::string_view client,
                              int jobs = 1, SearchCache* cache = nullptr);

// The same script from each page's sections, found as each page was
// rendered (`found` is indexed like map.pages; entries of pages not
// searched are ignored), so that the contents need not be kept.
std::string SearchIndexScript(const Site& site, const PageMap& map,
                              std::vector<std::vector<SearchSection>> found,
                              std::string_view client, int jobs = 1);
// The same script as pieces to be written one after the other: one per
// searched page's sections, between a head and a tail, never joined.
std::vector<std::string> SearchIndexPieces(const Site& site, const PageMap& map,
                                           std::vector<std::vector<SearchSection>> found,
                                           std::string_view client, int jobs = 1);
// The same pieces, made as the pages are rendered: each searched page's
// rows are written where its sections are found, on any thread, and
// hashed into the version in page order as soon as every page before
// them is. Add() is thread-safe; Finish() comes after the last Add.
class SearchIndexBuilder {
 public:
  SearchIndexBuilder(const Site& site, const PageMap& map);
  ~SearchIndexBuilder();
  // Page `page` (an index into map.pages) and its sections; pages not
  // searched are ignored. Each searched page must be added exactly once.
  void Add(size_t page, const std::vector<SearchSection>& sections);
  std::vector<std::string> Finish(std::string_view client);

 private:
  struct State;
  std::unique_ptr<State> s_;
};
// Whether the index holds `page` (its kind has a search_label).
bool IsSearched(const Page& page);
// SearchSections(content), or what `cache` holds for it. Only reads the
// cache: safe on many threads at once.
std::vector<SearchSection> CachedSearchSections(const std::string& content,
                                                const SearchCache* cache);

}  // namespace casebook
