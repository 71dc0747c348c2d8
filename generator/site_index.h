// Phase 3, index: every page's URL and anchors, and the lookups that links,
// ids and glossary terms resolve against. Built once the Markdown is parsed
// (headings give anchors), then read-only, so linking can run in parallel.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "diagnostics.h"
#include "page_map.h"
#include "site_model.h"
#include "term_matcher.h"

namespace casebook {

// Anchors every page has besides its headings (generated sections and the
// layout's own); headings never take them.
const std::vector<std::string>& ReservedAnchors();

// Hands out heading ids unique within one page: `base`, else `base-2`,
// `base-3`, ... (the smallest suffix not yet taken), with "h-" before a
// base that names an id the templates make themselves.
class IdAllocator {
 public:
  IdAllocator();  // the reserved anchors are taken
  // Takes `id` as it is; false if it was already taken.
  bool Claim(const std::string& id);
  std::string Unique(std::string base);

 private:
  std::set<std::string> used_;
  // Per base: no suffix below this one is free.
  std::unordered_map<std::string, int> next_suffix_;
};

struct PageInfo {
  std::string title;
  std::set<std::string> anchors;
};

struct SiteIndex {
  std::map<std::string, int> steps, cases, terms;     // id -> index
  std::map<std::string, std::string> by_source;       // "case-studies/x.md" -> url
  std::map<std::string, PageInfo> pages;              // url -> page
  TermMatcher matcher;
};

// Gives every heading of a page's body an id, unique on its page, and
// checks that a case study has one H2 per framework step, titled as the
// step and in the framework's order (their ids are then the step ids).
// Reads only the page's own fragments and the steps, so pages may run in
// parallel.
void AssignPageHeadingIds(Site& site, const Page& page, Diagnostics& diags);
// AssignPageHeadingIds of every page.
void AssignHeadingIds(Site& site, const PageMap& map, Diagnostics& diags);

// Builds the index from the page map; reports two pages at one URL (an id
// that a generated page already has), duplicate ids and glossary names
// claimed by two terms. Anchors come from the headings parsed so far; the
// link phase adds the rest with AddHeadingAnchors once it has parsed them.
SiteIndex BuildIndex(const Site& site, const PageMap& map, Diagnostics& diags);
void AddHeadingAnchors(const PageMap& map, SiteIndex& index);

}  // namespace casebook
