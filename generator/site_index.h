// Phase 3, index: every page's URL and anchors, and the lookups that links,
// ids and glossary terms resolve against. Built once the Markdown is parsed
// (headings give anchors), then read-only, so linking can run in parallel.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "site_model.h"
#include "term_matcher.h"

namespace casebook {

// Site-relative output paths. Every link between pages is relative and
// names its .html file, so the site works from file://, from a local server
// and under a GitHub Pages project path alike.
std::string HomeUrl();
std::string PageUrl(const std::string& id);
std::string StepUrl(const std::string& id);
std::string CaseUrl(const std::string& id);
std::string TermUrl(const std::string& id);
std::string FrameworkUrl();
std::string CasesUrl();
std::string GlossaryUrl();
std::string ProgressUrl();

// "../" repeated once per folder of `from`: the way back to the site root.
std::string RootPrefix(const std::string& from);
// The relative URL from page `from` to page `to` (both site-relative).
std::string RelativeUrl(const std::string& from, const std::string& to);

// Anchors each kind of page has besides its headings; headings never take them.
extern const std::vector<std::string> kReservedAnchors;

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

// Gives every heading of the site an id, unique on its page, and checks
// that each case study has one H2 per framework step, titled as the step
// and in the framework's order (their ids are then the step ids).
void AssignHeadingIds(Site& site, Diagnostics& diags);

// Builds the index; reports duplicate ids and glossary names claimed by two
// terms.
SiteIndex BuildIndex(const Site& site, Diagnostics& diags);

}  // namespace casebook
