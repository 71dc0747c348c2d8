// Phase 4, link: resolves every link (case:, step:, term:, relative .md and
// media paths, #anchors), links glossary terms where prose mentions them
// (the first link to each term in a page's reading order with its tooltip),
// records those mentions for the glossary's "used in" lists, and renders
// every fragment to HTML. Which files a link may publish is media.h's call.
// Pages are independent here, so they run in parallel; results merge in
// page order, so output does not depend on the number of threads.
#pragma once

#include <map>
#include <string>

#include "diagnostics.h"
#include "diagram.h"
#include "page_map.h"
#include "site_index.h"
#include "site_model.h"

namespace casebook {

// Links every fragment of `map`, page by page, and records site.mentions
// (including each case study's metrics lists), site.media and
// site.linked_files. Each fragment's ```dot blocks become the figures of
// `diagrams` (from ConvertDiagrams), also listed in Fragment::diagrams.
void LinkSite(Site& site, const PageMap& map, const SiteIndex& index,
              const std::map<std::string, std::string>& math,
              const std::map<std::string, Diagram>& diagrams,
              const std::string& content_dir, int jobs, Diagnostics& diags);

// Checks the ids that front matter names (metrics, related) and warns about
// glossary terms nothing mentions and case studies without references.
// REQUIRES: LinkSite has run (mentions are known).
void CheckReferences(const Site& site, const SiteIndex& index, Diagnostics& diags);

}  // namespace casebook
