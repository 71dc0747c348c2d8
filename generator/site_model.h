// The content model: plain structs, filled by the loader and completed by
// later phases (parse, link, math). No behaviour and no I/O lives here.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "diagnostics.h"

namespace casebook {

// A parsed Markdown document; its type is private to markdown.cc.
struct MarkdownTree;
struct MarkdownTreeDeleter {
  void operator()(MarkdownTree* tree) const;
};

struct Heading {
  int level = 2;
  bool top_level = true;  // not inside a quote or list: starts a section
  std::string id;     // anchor, unique within its page
  std::string title;  // plain text
  SourceLocation at;
};

// One piece of Markdown, from a file body or a YAML field.
struct Fragment {
  std::string source;  // a page body's is freed once parsed: see DropSource
  // Where source's first character is in its file. For a YAML block scalar
  // (`|`, `>`) the text starts on the line after `at`.
  SourceLocation at;
  bool block = false;
  int indent = 0;          // block scalars: the indentation of their lines
  bool is_inline = false;  // rendered without the wrapping <p>
  // False for YAML scalars whose text was folded or unescaped on the way in
  // (plain multi-line, `>`, escapes): positions inside them are then
  // reported at the scalar's start.
  bool exact = true;

  // Filled when the fragment is parsed: by the link phase, just before
  // its page is linked (a term's definition earlier, for the tooltips).
  // `parsed` is set even when parsing refused the text (it is reported,
  // and the fragment has no tree). The tree is freed once it is rendered.
  bool parsed = false;
  std::unique_ptr<MarkdownTree, MarkdownTreeDeleter> tree;
  std::vector<Heading> headings;
  // Filled by the link phase: HTML split at level-2 headings. sections[0]
  // is the text before the first H2 (possibly empty); sections[i] starts
  // with headings of level 2 in order.
  std::vector<std::string> sections;
  // Filled by the link phase: the HTML figure of each ```dot diagram in the
  // fragment, in order of appearance (a cheat sheet shows a case's first).
  std::vector<std::string> diagrams;
  // Set by the link phase. A fragment that the page map forgot was never
  // linked; reading its HTML is then a bug, reported loudly (not an empty
  // table cell).
  bool linked = false;

  // Whether there is text, also after DropSource.
  bool empty() const { return dropped_ ? !had_text_ : source.empty(); }
  // Frees `source` once the fragment is parsed, when nothing reads the
  // text again (a page body's: a large guide's bodies are megabytes).
  void DropSource() {
    had_text_ = !source.empty();
    dropped_ = true;
    std::string().swap(source);
  }
  // REQUIRES: linked. The HTML, all sections joined / split at H2s.
  std::string Html() const;
  const std::vector<std::string>& Sections() const;

 private:
  bool dropped_ = false, had_text_ = false;
};

struct IdRef {
  std::string id;
  SourceLocation at;
};

struct ChecklistItem {
  std::string id;
  Fragment text;  // inline Markdown
  Fragment why;   // optional
  // `short`: the item in a few words for the framework cheat sheet (inline
  // Markdown). When absent, the sheet gets its own copy of `text` here
  // (PrepareSheets in build.cc), so only the sheet's slot ever holds it.
  Fragment brief;
  SourceLocation at;
};

struct Question {
  Fragment question, answer;
};

struct Step {
  std::string id;      // from the file name: 01-clarify-requirements.md
  int number = 0;      // from the prefix
  std::string path;    // source file, relative to the content folder
  std::string title;
  std::string summary;
  std::string time;
  std::vector<ChecklistItem> checklist;
  std::vector<Fragment> mistakes;
  // The comparison-page columns (CompareColumns()) that this step's section
  // of every case study covers; each column belongs to at most one step.
  std::vector<std::string> compare;
  std::vector<SourceLocation> compare_at;  // where each of `compare` is written
  // The follow-up questions interviewers ask at this step, like a case
  // study's; the practice page and the Anki deck draw on both.
  std::vector<Question> questions;
  // `budget`: this step's minutes in an interview of each length (interview
  // minutes -> step minutes), for the mock interview's timer.
  std::map<int, int> budget;
  SourceLocation budget_at;
  Fragment body;
};

struct ScaleRow {
  std::string quantity;
  std::string value;
  Fragment note;  // the source, or "assumed"
  bool headline = false;  // the number the comparison page shows; one per case
  bool sheet = false;     // `sheet: true`: also shown on the case's cheat sheet
  SourceLocation at;
};

struct FailureMode {
  Fragment failure, signal, mitigation;
};

struct Reference {
  std::string title, authors, venue, url;
  long year = 0;
  SourceLocation at;
};

// The decisions that matter in one framework step, for a cheat sheet.
struct SheetDecisions {
  std::string step;  // a step id, checked against the framework by the loader
  SourceLocation at;
  std::vector<Fragment> items;  // inline Markdown, at most kSheetDecisions
};

// A case study's `sheet:` field; every part is optional.
struct CaseSheet {
  std::string problem;  // one line of plain text; "" means use the summary
  std::vector<SheetDecisions> decisions;  // in the order written
  std::vector<Fragment> probes;           // inline Markdown, at most kSheetProbes
};

struct CaseStudy {
  std::string id;
  std::string path;
  std::string title;
  std::string summary;
  std::string category;
  std::string difficulty;
  std::string task;
  // For the comparison page, all optional; one line of plain text each:
  // what the model reads, what it produces, its family, its latency budget.
  std::string inputs, outputs, model, latency;
  std::vector<std::string> serving;  // kServingModes values, each at most once
  std::vector<IdRef> offline_metrics, online_metrics, related;
  std::vector<ScaleRow> scale;
  std::vector<FailureMode> failure_modes;
  std::vector<Question> questions;
  std::vector<Reference> references;
  Fragment body;
  // Index into steps for each H2 section of the body (-1 for none); set
  // when the sections are checked against the framework.
  std::vector<int> section_steps;
  // This page's own copy of every step's checklist (indexed like steps),
  // so that its links and tooltips are rendered for this page: each item's
  // id, its text's source (for the key) and its short form (`brief`), the
  // only part the case page shows (CopyChecklists in build.cc).
  std::vector<std::vector<ChecklistItem>> checklists;
  CaseSheet sheet;
  // The cheat sheet's own copies of the first failure modes (failure and
  // mitigation), made by PrepareSheets, for the same reason as checklists.
  std::vector<FailureMode> sheet_failures;
};

struct Term {
  std::string id;
  std::string term;
  std::vector<std::string> aliases;
  std::string category;
  Fragment definition;
  std::string formula;  // TeX
  SourceLocation formula_at;
  std::string range;
  std::string better;  // higher | lower | target | ""
  Fragment pitfalls;
  Fragment source;  // where the definition and formula were checked
  std::vector<IdRef> related;
  bool sheet = false;  // `sheet: true`: listed on the metrics cheat sheet
  SourceLocation at;

  std::string tooltip;   // plain-text first sentence of the definition
  std::string mathml;    // the formula, converted
};

struct FreePage {
  std::string id;
  std::string path;
  std::string title;
  std::string summary;
  Fragment body;
};

struct SiteConfig {
  std::string id;  // prefixes browser storage keys
  std::string title;
  std::string description;
  std::string base_url;    // https://user.github.io/repo/ (optional)
  std::string repository;  // https://github.com/user/repo (optional)
  std::string language = "en";
};

// A section of a page that mentions glossary terms. Every mention made
// there shares one (a section mentions several terms, and a large guide
// has a hundred thousand mentions: two strings each was a fifth of a
// build's memory). Immutable once made, so sharing it across threads and
// with the build cache is safe.
struct MentionPlace {
  std::string url;    // site-relative, with #anchor
  std::string title;  // "Ad click prediction › Evaluation"
};

// A place that mentions a glossary term: the page and its section anchor.
// A term listed among a case study's metrics is mentioned there too.
struct Mention {
  std::shared_ptr<const MentionPlace> place;  // never null
  // Whether it counts as a use of the term: any mention outside the
  // glossary's own pages does (see MentionAt in linker.cc).
  bool use = true;
  const std::string& url() const { return place->url; }
  const std::string& title() const { return place->title; }
  bool operator<(const Mention& o) const { return url() < o.url(); }
  bool operator==(const Mention& o) const { return url() == o.url(); }
};

// The practice page's and the Anki deck's own copies of every question,
// indexed like site.steps and site.cases (CopyPractice in build.cc): each
// is linked for the page that shows it, the deck's to stand alone.
struct QuestionCopies {
  std::vector<std::vector<Question>> steps, cases;
};

struct Site {
  SiteConfig config;
  FreePage home;  // pages/index.md
  std::vector<FreePage> pages;
  std::vector<Step> steps;
  // A framework file failed to load, so case-study sections cannot be
  // checked against the steps without reporting that failure twice.
  bool steps_incomplete = false;
  // Likewise for glossary.yaml: links to terms cannot be checked.
  bool glossary_incomplete = false;
  // Ids of case studies and steps whose file failed to load (reported):
  // a link to one is not also an "unknown case study" / "unknown step".
  std::set<std::string> unloaded_cases;
  std::set<std::string> unloaded_steps;
  std::vector<CaseStudy> cases;
  std::vector<Term> terms;
  QuestionCopies practice, deck;
  // The mock interview's copy of every step's checklist in short form
  // (`brief`), indexed like steps.
  std::vector<std::vector<ChecklistItem>> mock_checklists;
  // Term id -> the sections that mention it, filled by the link phase;
  // sorted by URL, one entry per URL.
  std::map<std::string, std::vector<Mention>> mentions;
  // Files under content/ that pages link to or show (images), relative to
  // the content folder; copied to media/ by the write phase.
  std::set<std::string> media;
  // Every file a page links to, valid or not (so a rejected one is not
  // also reported as unused).
  std::set<std::string> linked_files;
};

}  // namespace casebook
