// Phase 4, link: resolves every link (case:, step:, term:, relative .md and
// media paths, #anchors), links glossary terms where prose mentions them
// (the first link to each term in a page's reading order with its tooltip),
// records those mentions for the glossary's "used in" lists, and renders
// every fragment to HTML. Which files a link may publish is media.h's call.
// Pages are independent here, so they run in parallel; results merge in
// page order, so output does not depend on the number of threads.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "diagnostics.h"
#include "diagram.h"
#include "page_map.h"
#include "site_index.h"
#include "site_model.h"

namespace casebook {

// A link's #anchor, checked against its target page once every page's
// headings are known: linking a page never reads another page's headings.
struct AnchorCheck {
  std::string page_url, anchor;
  SourceLocation at;
};

// What linking one page produced: its fragments' HTML and figures (in
// slot order) and what it reported and found.
struct LinkedPage {
  uint64_t key = 0;  // the page as linked (see LinkCache)
  struct Fragment {
    std::vector<std::string> sections, diagrams;
  };
  std::vector<Fragment> fragments;
  Diagnostics diags;
  std::vector<std::pair<int, Mention>> mentions;  // by index into site.terms
  std::set<std::string> media, linked_files;
  // Each media file the page checked, with CheckMediaFile's answer then.
  std::vector<std::pair<std::string, std::string>> checked;
  std::vector<AnchorCheck> anchors;  // checked again at every build
  // The terms whose tooltips the page's HTML holds, and a hash of those tips.
  std::vector<int> tipped;
  uint64_t tips = 0;
};

// Each page's LinkedPage from the last build of one process (`casebook
// serve`). A page is not linked again when its own fragments (text,
// position, headings, slots) hash as they did, everything else linking
// reads (the index's ids, sources and titles, the glossary's names,
// formulas, graphs, the base URL) hashes as it did, the tooltips it shows are unchanged, and every media
// file it checked gives the same answer: linking is a function of exactly
// those. Not thread-safe.
struct LinkCache {
  uint64_t environment = 0;
  std::unordered_map<std::string, std::shared_ptr<const LinkedPage>> pages;  // by url
  int linked = 0;  // pages the last build linked anew, not taken from here
};

// Links every fragment of `map`, page by page, and records site.mentions
// (including each case study's metrics lists), site.media and
// site.linked_files. Each fragment's ```dot blocks become the figures of
// `diagrams` (from ConvertDiagrams), also listed in Fragment::diagrams.
// With a cache, pages it holds are taken from it (the result is the same),
// and it then holds this build's pages.
void LinkSite(Site& site, const PageMap& map, const SiteIndex& index,
              const std::map<std::string, std::string>& math,
              const std::map<std::string, Diagram>& diagrams,
              const std::string& content_dir, int jobs, Diagnostics& diags,
              LinkCache* cache = nullptr);

// Checks the ids that front matter names (metrics, related) and warns about
// glossary terms nothing mentions and case studies without references.
// REQUIRES: LinkSite has run (mentions are known).
void CheckReferences(const Site& site, const SiteIndex& index, Diagnostics& diags);

}  // namespace casebook
