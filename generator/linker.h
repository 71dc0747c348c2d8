// Phase 4, link: parses each page's Markdown, gives its headings ids,
// resolves every link (case:, step:, term:, relative .md and media paths,
// #anchors), links glossary terms where prose mentions them (the first link
// to each term in a page's reading order with its tooltip), records those
// mentions for the glossary's "used in" lists, and renders every fragment
// to HTML. Which files a link may publish is media.h's call.
//
// A page is parsed just before it is linked and its trees freed just
// after, so a large site's trees are never all alive. Linking a page reads
// no other page's headings (a link's #anchor is checked once every page is
// parsed), so pages run in parallel, in one round; only the pages with
// ```math or ```dot blocks wait for a second, once the whole site's
// formulas and graphs are converted (in one batch each). Results merge in
// page order, so output does not depend on the number of threads.
#pragma once

#include <functional>
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

// The ```math and ```dot blocks of one fragment, in order.
struct CodeBlocks {
  std::vector<std::pair<std::string, SourceLocation>> math;
  std::vector<DiagramSource> diagrams;
  bool empty() const { return math.empty() && diagrams.empty(); }
};

// Converts the site's blocks (every page's, in page order) into `math`
// (TeX -> MathML) and `diagrams` (DOT source -> diagram), reporting what
// does not convert; may take the blocks' contents.
using ConvertBlocks =
    std::function<void(std::vector<CodeBlocks>& blocks, std::map<std::string, std::string>& math,
                       std::map<std::string, Diagram>& diagrams)>;

// What linking one page produced: its fragments' HTML and figures (in
// slot order) and what it reported and found.
struct LinkedPage {
  uint64_t key = 0;  // the page as linked (see LinkCache)
  struct Fragment {
    std::vector<std::string> sections, diagrams;
    std::vector<Heading> headings;  // with their ids
  };
  std::vector<Fragment> fragments;
  Diagnostics diags;
  std::vector<std::pair<int, Mention>> mentions;  // by index into site.terms
  std::set<std::string> media, linked_files;
  // Each media file the page checked, with CheckMediaFile's answer then.
  std::vector<std::pair<std::string, std::string>> checked;
  std::vector<AnchorCheck> anchors;  // checked again at every build
  std::vector<int> section_steps;    // a case study's (CaseStudy::section_steps)
  // A page with ```math or ```dot blocks is kept only while their
  // conversions hash the same (they can change with no edit to the page:
  // the theme colours graphs); its blocks join the batch meanwhile.
  bool has_blocks = false;
  std::vector<CodeBlocks> blocks;  // by slot
  uint64_t conversions = 0;
  // The terms whose tooltips the page's HTML holds, those tips then, and
  // their hash.
  std::vector<int> tipped;
  std::vector<std::string> tip_texts;
  uint64_t tips = 0;
};

// Each page's LinkedPage from the last build of one process (`casebook
// serve`). A page is not linked again (nor parsed) when its own fragments
// (text, position, slots) hash as they did, everything else linking reads
// (the index's ids, sources and titles, the glossary's names and the base
// URL) hashes as it did, every media file it checked gives the same answer
// and, for a page with ```math or ```dot blocks, they convert as they did:
// linking is a function of exactly those and of the tooltips it shows. A
// changed tooltip is patched into the kept HTML, where that gives what
// linking would. Not thread-safe.
struct LinkCache {
  uint64_t environment = 0;
  std::unordered_map<std::string, std::shared_ptr<const LinkedPage>> pages;  // by url
  int linked = 0;  // pages the last build linked anew, not taken from here
};

// Parses and links every fragment of `map`, page by page, and records
// site.mentions (including each case study's metrics lists), site.media
// and site.linked_files; adds every heading's anchor to `index`. Calls
// `convert` once, between the two rounds; each fragment's ```math blocks
// then show its MathML and its ```dot blocks become figures, also listed
// in Fragment::diagrams. With a cache, pages it holds are taken from it
// (the result is the same), and it then holds this build's pages.
// REQUIRES: every term's definition is parsed (the tooltips are known).
void LinkSite(Site& site, const PageMap& map, SiteIndex& index, const ConvertBlocks& convert,
              const std::string& content_dir, int jobs, Diagnostics& diags,
              LinkCache* cache = nullptr);

// Checks the ids that front matter names (metrics, related) and warns about
// glossary terms nothing mentions and case studies without references.
// REQUIRES: LinkSite has run (mentions are known).
void CheckReferences(const Site& site, const SiteIndex& index, Diagnostics& diags);

}  // namespace casebook
