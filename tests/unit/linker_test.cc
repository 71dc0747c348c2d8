// The link phase on small real content folders: where mentions point and
// what they are called, what counts as a use of a term, and link errors.
#include "linker.h"

#include <gtest/gtest.h>

#include "build.h"
#include "math.h"
#include "test_util.h"

namespace casebook {
namespace {

class LinkerTest : public testing::Test {
 protected:
  void SetUp() override { test::WriteMinimalContent(dir_.path()); }
  void Write(const std::string& rel, const std::string& text) { test::WriteFile(dir_ / rel, text); }
  std::unique_ptr<LinkedSite> Link() {
    auto linked = LinkContent(dir_.path(), "", 2, diags_);
    diags_.Sort();
    return linked;
  }
  std::string Diags() const {
    std::string out = test::FormatAll(diags_);
    // Paths in messages start with the scratch folder; drop it.
    for (size_t at; (at = out.find(dir_.path() + "/")) != std::string::npos;)
      out.erase(at, dir_.path().size() + 1);
    return out;
  }
  test::TempDir dir_;
  Diagnostics diags_;
};

TEST_F(LinkerTest, MentionsNameTheSectionTheyAreIn) {
  // precision: in a body section, in a failure mode, and in the case's copy
  // of step 2's checklist ("Pick a precision metric.").
  Write("framework/02-evaluate.md",
        "---\ntitle: Evaluate\nsummary: Measure.\nchecklist:\n"
        "  - id: metric\n    text: Pick a precision metric.\n---\nUse recall.\n");
  Write("case-studies/search.md",
        "---\ntitle: Search\nsummary: Find things.\ncategory: Search\n"
        "failure_modes:\n  - failure: Low precision\n    signal: Complaints\n    mitigation: Retrain\n"
        "references:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n"
        "## Clarify\n\nText about precision.\n\n## Evaluate\n\nText.\n");
  auto linked = Link();
  ASSERT_EQ(Diags(), "");
  std::vector<std::pair<std::string, std::string>> got;
  for (const Mention& m : linked->site.mentions.at("precision")) got.push_back({m.url(), m.title()});
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                     {"cases/search.html#clarify", "Search › Clarify"},
                     {"cases/search.html#evaluate", "Search › Evaluate"},
                     {"cases/search.html#failure-modes", "Search › Failure modes"},
                     {"framework/evaluate.html#checklist", "Evaluate › Checklist"},
                     // The framework cheat sheet's copy of the item, and the
                     // case's sheet's copy of its failure mode (term pages
                     // leave the sheets out of their "used in" lists).
                     {"sheets/framework.html#step-2", "Framework cheat sheet › Evaluate"},
                     {"sheets/search.html#failure-modes-title",
                      "Search — cheat sheet › Failure modes"}}));
}

TEST_F(LinkerTest, ListingATermAsAMetricIsAUseAndTheGlossaryItselfIsNot) {
  // recall appears only on precision's own page; precision is a metric.
  Write("framework/01-clarify.md",
        "---\ntitle: Clarify\nsummary: Ask.\nchecklist:\n  - id: goal\n    text: State the goal.\n---\nAsk.\n");
  Write("framework/02-evaluate.md",
        "---\ntitle: Evaluate\nsummary: Measure.\nchecklist:\n  - id: metric\n    text: Pick one.\n---\nMeasure.\n");
  Write("glossary.yaml",
        "- id: precision\n  term: Precision\n  category: Classification\n"
        "  definition: Share of predicted positives that are right; compare recall.\n"
        "- id: recall\n  term: Recall\n  category: Classification\n"
        "  definition: Share of positives that are found.\n");
  Write("case-studies/search.md",
        "---\ntitle: Search\nsummary: Find things.\ncategory: Search\n"
        "metrics:\n  offline: [precision]\n"
        "references:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n"
        "## Clarify\n\nText.\n\n## Evaluate\n\nText.\n");
  auto linked = Link();
  EXPECT_EQ(Diags(), "glossary.yaml:5:3: warning: glossary term 'recall' is not used outside the glossary\n");
  const Mention& metric = linked->site.mentions.at("precision").at(0);
  EXPECT_EQ(metric.url(), "cases/search.html#metrics");
  EXPECT_EQ(metric.title(), "Search › Metrics");
  EXPECT_TRUE(metric.use);
  EXPECT_FALSE(linked->site.mentions.at("recall").at(0).use);
}

// Memory: nothing reads a body's text once it is parsed, so linking frees
// it; the fragment still knows it had text, and its fields keep theirs
// (a checklist item's text is hashed into its tick's key at render time).
TEST_F(LinkerTest, ABodysTextIsFreedOnceParsedAndFieldsKeepTheirs) {
  Write("framework/02-evaluate.md",
        "---\ntitle: Evaluate\nsummary: Measure.\nchecklist:\n"
        "  - id: metric\n    text: Pick a metric.\n---\nUse a baseline.\n");
  auto linked = Link();
  ASSERT_FALSE(diags_.has_errors());
  const Step* step = nullptr;
  for (const Step& s : linked->site.steps)
    if (s.id == "evaluate") step = &s;
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->body.source, "");
  EXPECT_FALSE(step->body.empty());
  EXPECT_EQ(step->body.Html(), "<p>Use a baseline.</p>\n");
  EXPECT_EQ(step->checklist.at(0).text.source, "Pick a metric.");
}

// The glossary's formulas are converted while pages link, then again with
// the pages' through the same cache: a formula that fails is reported once
// at each place that writes it, as by one batch, and one that converts is
// shown wherever it is written.
TEST_F(LinkerTest, FormulasAreReportedOnceAtEachPlace) {
  if (MathProgram().empty()) GTEST_SKIP() << "blahtexml is not installed";
  Write("glossary.yaml",
        "- id: precision\n  term: Precision\n  category: Classification\n"
        "  definition: Share of predicted positives that are right.\n"
        "  formula: 'P = \\frac{TP}{TP + FP}'\n  source: A textbook\n"
        "- id: recall\n  term: Recall\n  category: Classification\n"
        "  definition: Share of positives that are found.\n"
        "  formula: '\\nosuchcommand'\n  source: A textbook\n");
  Write("framework/02-evaluate.md",
        "---\ntitle: Evaluate\nsummary: Measure.\nchecklist:\n"
        "  - id: metric\n    text: Pick a metric.\n---\nUse precision and recall.\n\n"
        "```math\n\\nosuchcommand\n```\n\n```math\nP = \\frac{TP}{TP + FP}\n```\n");
  auto linked = Link();
  const std::string diags = Diags();
  EXPECT_EQ(diags,
            "framework/02-evaluate.md:10:1: error: formula does not convert: Unrecognised command "
            "\"\\nosuchcommand\"\n"
            "glossary.yaml:11:12: error: formula does not convert: Unrecognised command "
            "\"\\nosuchcommand\"\n");
  ASSERT_TRUE(linked);
  EXPECT_NE(linked->site.terms.at(0).mathml.find("<mfrac>"), std::string::npos);
  const Step* step = nullptr;
  for (const Step& s : linked->site.steps)
    if (s.id == "evaluate") step = &s;
  ASSERT_NE(step, nullptr);
  EXPECT_NE(step->body.Html().find("<mfrac>"), std::string::npos);
}

TEST_F(LinkerTest, BadLinksAreReportedWithASuggestion) {
  Write("pages/index.md",
        "---\ntitle: Mini\n---\nSee [a](case:serch), [b](step:clarify#nope), [c](term:precison),\n"
        "[d](javascript:alert(1)) and [e](../../outside.md).\n");
  Link();
  EXPECT_EQ(Diags(),
            "pages/index.md:4:5: error: unknown case study 'serch' (did you mean 'search'?)\n"
            "pages/index.md:4:22: error: no section '#nope' in framework/clarify.html\n"
            "pages/index.md:4:46: error: unknown glossary term 'precison' (did you mean 'precision'?)\n"
            "pages/index.md:5:1: error: links with 'javascript:' are not allowed; use https:, "
            "mailto:, case:, step:, term: or a relative path\n"
            "pages/index.md:5:30: error: link '../../outside.md' leaves the content folder\n");
}

// A case study or step whose file does not load has its own error; the
// links to it are not each reported as unknown on top of it.
TEST_F(LinkerTest, LinksToAFileThatFailedToLoadAreNotAlsoUnknown) {
  Write("case-studies/search.md", "no front matter\n");
  Write("framework/02-evaluate.md", "---\ntitle: [unclosed\n---\n");
  Write("pages/index.md",
        "---\ntitle: Mini\n---\nSee [a](case:search), [b](step:evaluate), [c](case:serch).\n");
  Link();
  std::string out = Diags();
  EXPECT_NE(out.find("case-studies/search.md:1:1: error: missing front matter"), std::string::npos) << out;
  EXPECT_NE(out.find("framework/02-evaluate.md:"), std::string::npos) << out;
  EXPECT_EQ(out.find("unknown case study 'search'"), std::string::npos) << out;
  EXPECT_EQ(out.find("unknown step 'evaluate'"), std::string::npos) << out;
  // Any other unknown id still is one.
  EXPECT_NE(out.find("unknown case study 'serch'"), std::string::npos) << out;
}

// Counts the tooltips in `html`.
size_t Tips(const std::string& html) {
  size_t n = 0;
  for (size_t at = 0; (at = html.find("role=\"tooltip\"", at)) != std::string::npos; ++at) ++n;
  return n;
}

TEST_F(LinkerTest, OnlyTheFirstLinkToATermInReadingOrderHasItsTooltip) {
  // precision: in the case's checklist of step 1 (short form), then in the
  // prose of steps 1 and 2, then in a failure mode. The checklist follows
  // step 1's prose on the page, but comes before step 2's.
  Write("framework/01-clarify.md",
        "---\ntitle: Clarify\nsummary: Ask.\nchecklist:\n"
        "  - id: goal\n    text: State the goal.\n    short: The goal, as a precision target\n"
        "---\nAsk about recall.\n");
  Write("case-studies/search.md",
        "---\ntitle: Search\nsummary: Find things.\ncategory: Search\n"
        "failure_modes:\n  - failure: Low precision\n    signal: Complaints\n    mitigation: Retrain\n"
        "references:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n"
        "## Clarify\n\nNo term here.\n\n## Evaluate\n\nText about precision; precision again.\n");
  auto linked = Link();
  ASSERT_EQ(Diags(), "");
  const CaseStudy& c = linked->site.cases.at(0);
  const std::string& item = c.checklists.at(0).at(0).brief.Html();
  const std::string& evaluate = c.body.Sections().at(2);
  const std::string& failure = c.failure_modes.at(0).failure.Html();
  EXPECT_EQ(Tips(item), 1u) << item;  // the first in reading order
  EXPECT_EQ(Tips(evaluate), 0u) << evaluate;
  EXPECT_NE(evaluate.find("<a href=\"../glossary/precision.html\">precision</a>"),
            std::string::npos) << evaluate;  // still a link, once per section
  EXPECT_EQ(Tips(failure), 0u) << failure;
  EXPECT_NE(failure.find("href=\"../glossary/precision.html\""), std::string::npos) << failure;
  // The step page has its own first mention.
  const Step& step = linked->site.steps.at(1);
  ASSERT_EQ(step.id, "evaluate");
  EXPECT_EQ(Tips(step.body.Html()), 1u) << step.body.Html();
}

}  // namespace
}  // namespace casebook

namespace casebook {
namespace {

// A question is shown on its own page and, as a copy, on the practice page
// and in the Anki deck: its #anchor and relative links still mean the page
// and the file it was written in.
TEST_F(LinkerTest, CopiedQuestionsLinkFromTheFileTheyWereWrittenIn) {
  Write("case-studies/search.md",
        "---\ntitle: Search\nsummary: Find things.\ncategory: Search\n"
        "questions:\n  - q: Where?\n    a: See [below](#evaluate) and [the step](../framework/02-evaluate.md).\n"
        "references:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n"
        "## Clarify\n\nText.\n\n## Evaluate\n\nText.\n");
  auto linked = Link();
  ASSERT_EQ(Diags(), "");
  const Site& site = linked->site;
  EXPECT_EQ(site.cases[0].questions[0].answer.Html(),
            "<p>See <a href=\"#evaluate\">below</a> and <a href=\"../framework/evaluate.html\">the "
            "step</a>.</p>\n");
  EXPECT_EQ(site.practice.cases[0][0].answer.Html(),
            "<p>See <a href=\"cases/search.html#evaluate\">below</a> and <a "
            "href=\"framework/evaluate.html\">the step</a>.</p>\n");
  // The deck has no base URL here: a link into the site is its text.
  EXPECT_EQ(site.deck.cases[0][0].answer.Html(), "<p>See below and the step.</p>\n");
}

TEST_F(LinkerTest, AnAnchorMissingFromTheCopysOwnPageIsReportedOnce) {
  Write("case-studies/search.md",
        "---\ntitle: Search\nsummary: Find things.\ncategory: Search\n"
        "questions:\n  - q: Where?\n    a: See [below](#nowhere).\n"
        "references:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n"
        "## Clarify\n\nText.\n\n## Evaluate\n\nText.\n");
  auto linked = Link();
  // The same error on the case page, the practice page and the deck is one
  // diagnostic (Diagnostics drops repeats of a message at a place).
  EXPECT_EQ(Diags(), "case-studies/search.md:7:12: error: no section '#nowhere' in "
                     "cases/search.html\n");
}

}  // namespace
}  // namespace casebook
