// Phase 6, render: turns the linked Site into output files, one per page of
// the page map, through the templates. Pages render in parallel; the file
// list comes out in a fixed order. Each page's content is rendered once and
// serves both its own page (wrapped in the layout) and print.html.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "page_map.h"
#include "print_page.h"
#include "search_index.h"
#include "site_model.h"
#include "templates.h"
#include "writer.h"

namespace casebook {

// Each page's last output, kept between builds of one process (BuildCache):
// a page whose data has the same fingerprint (DataFingerprint, for the page
// template and the layout) under the same templates is not rendered again.
struct CachedPage {
  uint64_t fingerprint = 0;
  std::string content;  // what the layout wrapped (print.html and search read it)
  std::string file;
};
struct RenderCache {
  uint64_t templates = 0;                   // Templates::fingerprint of the entries
  std::map<std::string, CachedPage> pages;  // by url
  SearchCache search;                       // each content's search sections
  PrintCache print;                         // each page's section of print.html
};

// What each template may use: TemplateShapes() and print.html's.
const std::map<std::string, DataShape>& RenderShapes();

// The HTML pages, 404.html, print.html, .nojekyll, sitemap.xml (with base_url) and the
// template assets; with a `search_library` (lunr's bytes), the search index and the
// library, and every page's layout gets `has_search`. Media files are added by the caller.
// With a `cache`, pages it holds unchanged are taken from it, the cache is
// updated, and `rendered` (if given) counts the pages rendered anew; the
// files are the same as without a cache. With a `writer`, each file goes
// to it as soon as it is rendered and is not kept: the result lists the
// paths, with empty contents.
// REQUIRES: LoadTemplates reported no errors; the site is linked.
std::vector<OutputFile> RenderSite(const Site& site, const PageMap& map,
                                   const Templates& templates, const std::string* search_library,
                                   int jobs, RenderCache* cache = nullptr, int* rendered = nullptr,
                                   SiteWriter* writer = nullptr);

}  // namespace casebook
