// The page map: every page the site has, in reading order, with its kind,
// URL, title, template and source, and every piece of Markdown it shows
// with the section that piece belongs to. It is the only place that knows
// which pages exist and what is on them: parsing, the index, linking and
// rendering all walk it and keep no list of their own.
//
// It also holds the one table of the sections templates generate (anchor
// and title), which every page reserves as anchors.
//
// Lifetime: a PageMap points into the Site it was built from. Build it once
// the content is loaded (and case studies have their checklist copies),
// and add or remove no model object while it is in use. The map itself is
// read-only after BuildPageMap, so any number of threads may read it; the
// fragments it points to are written by the parse and link phases, one
// page (one fragment) per thread.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "site_model.h"

namespace casebook {

enum class PageKind {
  kHome, kPage, kFramework, kStep, kCases, kCompare, kCase, kGlossary, kTerm, kPractice,
  kProgress, kCaseSheet, kFrameworkSheet, kMetricsSheet, kAnkiDeck
};

struct PageKindInfo {
  PageKind kind;
  // templates/<name>.html; nullptr for a file that is not a web page (the
  // Anki deck), which its own writer makes and whose fragments are linked
  // to stand alone: no term is linked by itself, and a link into the site
  // is absolute (site.yaml's base_url) or, without one, left as its text.
  const char* template_name;
  bool in_nav;                // listed in the site's navigation bar
  bool from_content;          // one page per content entry (else generated)
  // A chapter of the guide's reading sequence: previous / next links go
  // from one such page to the next, and a whole-guide document includes it.
  // False for views of other pages (the cheat sheets), which have no
  // previous / next and which such a document skips. Every page, in the
  // sequence or not, is written and listed in the sitemap.
  bool in_sequence;
  // Its badge in search results ("Case study"); nullptr when the search box
  // leaves it out: index pages and views repeat what their pages say, and
  // the progress page holds no reading matter.
  const char* search_label;
};

// Every page kind, in the order of the enum.
const std::vector<PageKindInfo>& PageKinds();
const PageKindInfo& KindInfo(PageKind kind);
// Whether pages of `kind` are HTML pages made from a template.
bool IsWebPage(PageKind kind);

// A section that a template writes itself (not a heading of the content).
struct GeneratedSection {
  const char* anchor;
  // Its name in "used in" lists ("Ad click prediction › Failure modes");
  // "" for a page's lead (a term's definition), which the page title names.
  const char* title;
};

// Every generated section. Their anchors are reserved on every page, so a
// heading never takes one.
const std::vector<GeneratedSection>& GeneratedSections();
// The section with `anchor`. REQUIRES: it is in GeneratedSections().
const GeneratedSection& Generated(const char* anchor);
// Anchors the layout itself uses on every page.
const std::vector<std::string>& LayoutAnchors();
// The practice page's own sections. Nothing from content is on that page,
// so they are its anchors alone, not reserved everywhere.
const std::vector<std::string>& PracticeAnchors();

// One piece of Markdown on a page and where it sits.
struct FragmentSlot {
  Fragment* fragment = nullptr;
  std::string anchor;  // the page section it is in; "" for the body
  std::string title;   // that section's title for "used in" lists
  bool is_body = false;  // a page body: the only fragments with headings
  // A fragment written in another page's file and shown here (a copy, or a
  // cheat sheet's field): that page's URL and source file, against which
  // its #anchor and relative links resolve. Both "" for the page's own.
  std::string origin_url, origin_source;
};

struct Page {
  PageKind kind = PageKind::kHome;
  size_t index = 0;  // into site.pages, steps, cases or terms, by kind
  std::string url;   // site-relative output path
  std::string title;
  std::string source;  // content-relative source file, or "" (generated)
  Fragment* body = nullptr;  // its headings give the page's anchors
  int own_term = -1;  // a term's own page never links to itself
  std::vector<FragmentSlot> fragments;
};

struct PageMap {
  // In reading order (sitemap; previous / next among in_sequence pages).
  std::vector<Page> pages;
  std::vector<size_t> nav;  // the pages of the navigation bar, in order
  // Term id -> index into site.terms (the first, if two share an id).
  std::map<std::string, size_t> term_ids;
  std::map<std::string, size_t> case_ids;  // case-study id -> index into site.cases
  std::vector<size_t> first_of_kind;  // by PageKind; npos when there is none
  // URLs of the pages outside the reading sequence (the cheat sheets).
  std::set<std::string, std::less<>> views;  // looked up by string_view too

  // Every fragment of the site, page by page, in a fixed order. No fragment
  // is in two slots, so phases may write to them in parallel, page by page.
  std::vector<Fragment*> AllFragments() const;
  // The first page of `kind` (the index pages are single). REQUIRES: one exists.
  const Page& First(PageKind kind) const;
};

PageMap BuildPageMap(Site& site);

// Site-relative output paths. Every link between pages is relative and
// names its .html file, so the site works from file://, from a local server
// and under a GitHub Pages project path alike.
std::string HomeUrl();
std::string PageUrl(const std::string& id);
std::string StepUrl(const std::string& id);
std::string CaseUrl(const std::string& id);
std::string TermUrl(const std::string& id);
// The cheat sheets: one per case study, one of the framework, one of the
// metrics. A case study cannot be named like the latter two (the loader
// reports it).
std::string SheetUrl(const std::string& case_id);
std::string FrameworkSheetUrl();
std::string MetricsSheetUrl();
// practice.html, or practice/index.html when a free page has that name
// (a guide that had one before the practice page keeps building).
std::string PracticeUrl(const Site& site);
std::string AnkiDeckUrl();
std::string NotFoundUrl();

// "../" repeated once per folder of `from`: the way back to the site root.
std::string RootPrefix(const std::string& from);
// The relative URL from page `from` to page `to` (both site-relative).
std::string RelativeUrl(const std::string& from, const std::string& to);

// The anchor of a category's section on the case-study and glossary indexes.
std::string CategoryAnchor(const std::string& category);

// Case studies by category (alphabetical), then title: their reading order.
std::vector<size_t> CaseOrder(const Site& site);
// Glossary categories in the order they first appear; terms alphabetical.
std::vector<std::pair<std::string, std::vector<size_t>>> GlossaryOrder(const Site& site);

// The browser storage key of a checklist item: `scope` names the list
// ("step/evaluation", "case/ad-click/evaluation"), and the hash of the
// item's text makes rewording an item reset that item only.
std::string ChecklistScope(const Step& step);
std::string ChecklistScope(const CaseStudy& c, const Step& step);
std::string ChecklistKey(const std::string& scope, const ChecklistItem& item);

// The browser storage keys of a list of questions (a step's or a case
// study's), in order: "practice/" + scope + "/" + the hash of the question's
// text, so that rewording a question resets its schedule alone (a repeated
// question gets "-2", "-3"). The Anki deck's GUIDs derive from them too.
std::string QuestionScope(const CaseStudy& c);  // ChecklistScope(step) for a step
std::vector<std::string> QuestionKeys(const std::string& scope,
                                      const std::vector<Question>& questions);

// One step's or case study's questions, as the practice page and the Anki
// deck present them. QuestionGroups lists the groups that have questions in
// the one order both use: steps, then case studies in reading order.
struct QuestionGroup {
  bool is_case = false;
  size_t index = 0;   // into site.steps or site.cases, and their copies
  std::string scope;  // of the questions' keys
  std::string title;  // "1. Clarify requirements", "Ad click prediction"
  std::string url;    // the page that asks them
  std::string source; // its content file
  std::string category;  // a case study's category slug (CategorySlugs), else ""
  const std::vector<Question>* questions = nullptr;  // the originals
};
std::vector<QuestionGroup> QuestionGroups(const Site& site);

// Each case-study category's slug for practice decks and Anki tags: ASCII
// only (Anki splits tags at any white space), never empty, and unique ("-2"
// for a second category with the same slug).
std::map<std::string, std::string> CategorySlugs(const Site& site);

// The interview lengths that every step has a budget for, each with the
// minutes its steps add up to, shortest first. Empty when a step has none.
std::map<int, int> MockLengths(const Site& site);
// Whether the practice page runs a mock interview: lengths every step has a
// budget for, and a case study to run it on.
bool HasMock(const Site& site);

}  // namespace casebook
