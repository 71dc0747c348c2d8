// The whole-guide print page (print.html): every page of the guide that makes
// sense on paper, in reading order, combined into one document.
//
// It combines what the page templates rendered (each page's content, before
// the layout wraps it), so nothing is rendered twice. Combining rewrites
// each page's HTML so that the pages can share one document:
//   - every id, and every attribute that names ids (`for`, `aria-*` lists,
//     `headers`, `href="#…"`, `url(#…)` in SVG), is prefixed with the page's
//     slug: `id="scale"` on cases/x.html becomes `id="cases_x--scale"`;
//   - a link to a page of the document becomes an in-document link
//     (`#cases_x`, or `#cases_x--scale` for a section); a link to a page or
//     file outside it (the progress page, media/) is made relative to the
//     site root, where print.html lives; links with a scheme stay as written;
//   - every <details> is opened;
//   - a landmark's name (aria-label, or aria-labelledby on a section, aside,
//     nav... or an element with a landmark role) starts with its page's
//     title, "Search ranking — Checklist: Data": print.html holds a step's
//     checklist next to each case's checklist of that step, and landmarks of
//     one role need distinct names. aria-labelledby gets the id of a hidden
//     element "Search ranking —" that CombineForPrint writes at the start of
//     each page.
//
// Slugs are unique and never contain "--" (page ids cannot), so a prefixed
// id can never equal a slug or another page's id.
//
// The scanner reads casebook's own output: text is always escaped, so `<`
// always starts a tag (or a comment), and attribute values are quoted. It
// runs in one pass over each page, linear in its size.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "page_map.h"
#include "site_model.h"
#include "templates.h"

namespace casebook {

// The print page's site-relative URL; no content page may take it.
std::string PrintUrl();

// Whether a page belongs in the printed guide: the pages of the reading
// sequence, except the progress page (ticks in this browser mean nothing on
// paper). Cheat sheets are views of those pages and print on their own.
bool InPrintDocument(const Page& page);

// Whether a page of the print document starts on a new sheet: every page
// but a glossary term's, which follow each other (one sheet per term would
// waste paper).
bool StartsNewSheet(const Page& page);

// The fragment id of a page in the print document, from its URL:
// "cases/ad-click.html" -> "cases_ad-click", "index.html" -> "index".
// The document's own id ("main", for the skip link) gets "_page" appended.
std::string PrintSlug(const std::string& url);

// One page of the document: its URL and title, and its rendered content.
struct PrintPart {
  std::string url;
  std::string title;
  std::string_view html;  // the page's content, which outlives the part
  bool new_sheet = true;
  bool sub = false;  // a page inside a section (listed under its index)
};

// The pages of the document in reading order, from the content each page
// of `map` rendered (`contents` is indexed like map.pages).
std::vector<PrintPart> PrintParts(const PageMap& map, const std::vector<std::string>& contents);

// The same parts without their content (each `html` empty), and for each
// page of `map` its part's index, or kNoPart for a page not in the document.
constexpr size_t kNoPart = static_cast<size_t>(-1);
std::vector<PrintPart> PrintParts(const PageMap& map, std::vector<size_t>* part_of);

// Page URL -> its slug, for every page of the document.
using PrintSlugs = std::unordered_map<std::string, std::string>;

// `html` (the content of the page at `url`, titled `title`) rewritten for
// the document as described above.
std::string RewriteForPrint(std::string_view html, const std::string& url,
                            const std::string& title, const PrintSlugs& slugs);

// Each part's section of the document from the last build of one process
// (`casebook serve`), by the part, valid while the document's pages (the
// slugs its links are rewritten to) stay the same. Not thread-safe.
struct PrintCache {
  uint64_t slugs = 0;  // a hash of every page's url and slug
  std::unordered_map<std::string, std::string> pieces;
};

// The rewritten parts joined into the document's body (between `before`
// and `after`, so that a caller with a frame copies the body once), one
// <section class="print-page" id="slug"> each, starting with the hidden
// name prefix of its landmarks (<span hidden id="slug--">Title —</span>).
// Parts are rewritten in parallel on up to `jobs` threads; the output does
// not depend on `jobs`.
std::string CombineForPrint(const std::vector<PrintPart>& parts, int jobs,
                            std::string_view before = {}, std::string_view after = {},
                            PrintCache* cache = nullptr);
// CombineForPrint's sections, one per part, not yet joined (a writer can
// write them one after the other without the joined copy).
std::vector<std::string> PrintPieces(const std::vector<PrintPart>& parts, int jobs,
                                     PrintCache* cache = nullptr);

// The same sections made one part at a time, as each page's content is
// rendered, so that a large site need not keep every page's content until
// the last is done. Construct with every part (their `html` is not read),
// Make each part once (from any thread, for different parts at once; the
// cache is only read), then Finish once. Borrows `parts` and `cache`.
//
// With a `sink` (and no cache), each section goes to it as soon as every
// section before it has, and is then dropped: the sink sees them in order,
// one call at a time, and the document is never whole in memory.
class PrintBook {
 public:
  using Sink = std::function<void(std::string_view)>;
  PrintBook(const std::vector<PrintPart>& parts, PrintCache* cache, Sink sink = {});
  void Make(size_t part, std::string_view html);
  // The sections in the parts' order (none with a sink); the cache then
  // holds exactly them.
  std::vector<std::string> Finish();

 private:
  const std::vector<PrintPart>& parts_;
  PrintCache* cache_;
  Sink sink_;
  PrintSlugs slugs_;
  std::vector<std::string> pieces_, keys_;
  std::mutex mutex_;         // with a sink: guards done_ and next_
  std::vector<char> done_;   // made, not yet sunk
  size_t next_ = 0;          // the first section not yet sunk
};

// The names print.html may use, and its data: the site, the table of
// contents (top-level pages with the pages of their section), the body.
const std::string& PrintShape();
TemplateData PrintData(const SiteConfig& site, const std::vector<PrintPart>& parts,
                       const std::string& body);

}  // namespace casebook
