// Phase 6, render: turns the linked Site into output files, one per page of
// the page map, through the templates. Pages render in parallel; the file
// list comes out in a fixed order.
#pragma once

#include <string>
#include <vector>

#include "page_map.h"
#include "site_model.h"
#include "templates.h"
#include "writer.h"

namespace casebook {

// The HTML pages, 404.html, .nojekyll, sitemap.xml (with base_url) and the
// template assets. Media files are added by the caller.
// REQUIRES: LoadTemplates reported no errors; the site is linked.
std::vector<OutputFile> RenderSite(const Site& site, const PageMap& map,
                                   const Templates& templates, int jobs);

}  // namespace casebook
