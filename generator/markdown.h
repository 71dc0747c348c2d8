// The cmark-gfm adapter: the only file that sees cmark types.
//
// Parsing is serialized behind one mutex, because cmark-gfm 0.29.0.gfm.6
// keeps inline-parser state in a global table and gives wrong output when
// two threads parse at once (see shared/research/deps.md). Everything after
// parsing (walking, rewriting, rendering) runs in parallel on separate trees.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "diagram.h"
#include "site_model.h"
#include "term_matcher.h"

namespace casebook {

// Registers the GFM extensions; call once before any thread parses.
void InitMarkdown();

// Parses f.source into f.tree, sets f.parsed and collects its headings
// (level, title and position; the caller gives them ids, which
// RenderMarkdown then uses).
// A table too large for cmark-gfm (over 100 columns, or over 100,000 cells
// once its rows are padded to the header's width) is reported at its header
// instead, and the fragment is left unparsed (it renders empty).
void ParseMarkdown(Fragment& f, Diagnostics& diags);

// ParseMarkdown of each of `fragments`, taking the parser's lock once for
// them all (one page's fragments: a sleep and a wake per page, not per
// fragment, when threads meet at the lock).
void ParseFragments(const std::vector<Fragment*>& fragments, Diagnostics& diags);

// ParseMarkdown for fragments that arrive from several threads. Add starts
// a fragment's parse on the calling thread (reporting a refused table to
// `diags` at once); whichever thread finds cmark-gfm's lock free then feeds
// every fragment queued so far, so that threads neither sleep nor wake on
// the lock once per fragment, and the others go on with their own work.
// A fragment is parsed (as by ParseMarkdown) when Finish returns, and must
// stay where it is until then. Add may be called from any thread, Finish
// from one, after the last Add.
class ParseQueue {
 public:
  ParseQueue();
  ~ParseQueue();
  ParseQueue(const ParseQueue&) = delete;
  ParseQueue& operator=(const ParseQueue&) = delete;

  void Add(Fragment& f, Diagnostics& diags);
  void Finish();

 private:
  struct Pending;
  // Feeds batches until none is left; without `wait`, only while the lock
  // is free when asked.
  void Drain(bool wait);

  std::mutex mutex_;  // guards queue_
  std::vector<Pending> queue_;
};

// The position in the file of a (line, column) inside a fragment.
SourceLocation FileLocation(const Fragment& f, int line, int column);

// TeX from ```math fenced blocks, with where each one is.
std::vector<std::pair<std::string, SourceLocation>> CollectMath(const Fragment& f);

// Graphviz graphs from ```dot fenced blocks (the rest of the info string is
// the caption), with where each one is.
std::vector<DiagramSource> CollectDiagrams(const Fragment& f);

// Plain text of a parsed fragment (for tooltips and summaries).
std::string PlainText(const Fragment& f);

// What the link phase tells the renderer about one page.
struct LinkContext {
  struct Target {
    std::string url;  // "" to leave the link as its text (reported, or standalone)
    int term = -1;    // a term: link, which counts as that term's mention
  };
  // Rewrites a link or image destination, reporting problems itself.
  std::function<Target(const std::string& url, bool image,
                       const SourceLocation& at)>
      resolve;
  const TermMatcher* terms = nullptr;
  int own_term = -1;  // never link a term page to itself
  // Append the opening and closing HTML of an automatic term link to
  // `out`; `serial` is unique on the page.
  std::function<void(int term, int serial, std::string& out)> term_open;
  std::function<void(int term, int serial, std::string& out)> term_close;
  // Called for each term linked (automatically or by a term: link) in the
  // given H2 section of this fragment.
  std::function<void(int term, int section)> on_mention;
  // The terms already linked in the given H2 section of this fragment; the
  // caller keeps them, so that a section spread over several fragments
  // (checklist items, table cells) links each term once.
  std::function<std::set<int>&(int section)> linked;
  const std::map<std::string, std::string>* math = nullptr;  // TeX -> MathML
  // DOT source -> diagram; each ```dot block found here becomes a figure
  // (also listed in f.diagrams), with ids "diagram_" + footnote_prefix + N.
  const std::map<std::string, Diagram>* diagrams = nullptr;
  int* serial = nullptr;  // page-wide counter for term_open
  // Prefixes this fragment's footnote ids, so that two fragments of one
  // page (a body and an answer) never both have "fn-1".
  std::string footnote_prefix;
};

// Rewrites links, links glossary terms, gives headings their ids and renders
// f.sections. Frees the tree afterwards.
void RenderMarkdown(Fragment& f, const LinkContext& ctx, Diagnostics& diags);

}  // namespace casebook
