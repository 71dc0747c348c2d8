// Phase 6, render: turns the linked Site into output files, one per page of
// the page map, through the templates. Pages render in parallel; the file
// list comes out in a fixed order. Each page's content is rendered once and
// serves both its own page (wrapped in the layout) and print.html.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "page_map.h"
#include "site_model.h"
#include "templates.h"
#include "writer.h"

namespace casebook {

// What each template may use: TemplateShapes() and print.html's.
const std::map<std::string, DataShape>& RenderShapes();

// The HTML pages, 404.html, print.html, .nojekyll, sitemap.xml (with base_url) and the
// template assets; with a `search_library` (lunr's bytes), the search index and the
// library, and every page's layout gets `has_search`. Media files are added by the caller.
// REQUIRES: LoadTemplates reported no errors; the site is linked.
std::vector<OutputFile> RenderSite(const Site& site, const PageMap& map,
                                   const Templates& templates, const std::string* search_library,
                                   int jobs);

}  // namespace casebook
