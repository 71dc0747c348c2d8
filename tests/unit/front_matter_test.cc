#include "front_matter.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

// The YAML of one file, parsed as the loader would (its first line is the
// file's line 2, after the opening ---).
YamlNode Yaml(const std::string& yaml) {
  Diagnostics d;
  auto n = ParseYaml(yaml, "f.md", 2, d);
  EXPECT_TRUE(n && !d.has_errors()) << test::FormatAll(d);
  return n ? *n : YamlNode();
}

const char kCase[] =
    "title: Search\n"
    "summary: Find things.\n"
    "category: Search\n";

const char kStep[] =
    "title: Clarify\n"
    "summary: Ask.\n"
    "checklist:\n"
    "  - id: goal\n"
    "    text: State the goal.\n";

TEST(FrontMatterTest, ReadsSiteConfigAndFreePage) {
  Diagnostics d;
  SiteConfig c;
  ReadSiteConfig(Yaml("title: My Guide\nbase_url: https://x.org/g\n"), c, d);
  EXPECT_EQ(c.id, "my-guide");
  EXPECT_EQ(c.base_url, "https://x.org/g/");
  EXPECT_EQ(c.language, "en");
  FreePage page;
  ReadFreePage(Yaml("title: About\nsummary: Who.\n"), page, d);
  EXPECT_EQ(page.title, "About");
  EXPECT_EQ(page.summary, "Who.");
  EXPECT_EQ(test::FormatAll(d), "");
}

TEST(FrontMatterTest, MarkdownFieldsKnowWhereTheirTextIs) {
  Diagnostics d;
  Step step;
  ReadStep(Yaml(std::string(kStep) + "    why: |\n      Because.\nmistakes:\n  - 'Rushing.'\n"), step, d);
  EXPECT_EQ(test::FormatAll(d), "");
  ASSERT_EQ(step.checklist.size(), 1u);
  const Fragment& text = step.checklist[0].text;
  EXPECT_EQ(text.source, "State the goal.");
  EXPECT_EQ(text.at.line, 6);
  EXPECT_EQ(text.at.column, 11);
  EXPECT_TRUE(text.is_inline);
  const Fragment& why = step.checklist[0].why;
  EXPECT_TRUE(why.block);
  EXPECT_EQ(why.indent, 6);
  EXPECT_TRUE(why.exact);
  ASSERT_EQ(step.mistakes.size(), 1u);
  EXPECT_EQ(step.mistakes[0].at.column, 6);  // past the quote
}

// One mistake, one diagnostic: a Markdown field is type-checked once.
TEST(FrontMatterTest, AMistypedMarkdownFieldIsReportedOnce) {
  Diagnostics d;
  CaseStudy cs;
  ReadCase(Yaml(std::string(kCase) +
                "failure_modes:\n"
                "  - failure: [12]\n"
                "    signal: s\n"
                "    mitigation: m\n"),
           cs, d);
  EXPECT_EQ(test::FormatAll(d), "f.md:6:14: error: field 'failure' must be text, not a list\n");
  ASSERT_EQ(cs.failure_modes.size(), 1u);
  EXPECT_TRUE(cs.failure_modes[0].failure.empty());
  EXPECT_EQ(cs.failure_modes[0].signal.source, "s");
}

TEST(FrontMatterTest, MissingAndEmptyMarkdownFields) {
  Diagnostics d;
  Term t;
  ReadTerm(Yaml("id: auc\nterm: AUC\ncategory: Ranking\ndefinition: ''\npitfalls: {a: b}\n"), t, d);
  EXPECT_EQ(test::FormatAll(d),
            "f.md:5:13: error: field 'definition' must not be empty\n"
            "f.md:6:11: error: field 'pitfalls' must be text, not a mapping\n");
  Diagnostics d2;
  CaseStudy cs;
  ReadCase(Yaml(std::string(kCase) + "questions:\n  - q: Why?\n"), cs, d2);
  EXPECT_EQ(test::FormatAll(d2), "f.md:6:5: error: missing required field 'a'\n");
}

TEST(FrontMatterTest, ReadsTheComparisonFieldsOfACase) {
  Diagnostics d;
  CaseStudy cs;
  ReadCase(Yaml(std::string(kCase) +
                "inputs: User, ad and context features\n"
                "outputs: P(click)\n"
                "model: Gradient-boosted trees, then a DLRM\n"
                "serving: [online, batch]\n"
                "latency: 10 ms p99\n"
                "scale:\n"
                "  - quantity: Requests per day\n"
                "    value: 5 billion\n"
                "    note: assumed\n"
                "    headline: true\n"
                "  - quantity: Ads\n"
                "    value: 1 million\n"
                "    note: assumed\n"
                "    headline: false\n"),
           cs, d);
  EXPECT_EQ(test::FormatAll(d), "");
  EXPECT_EQ(cs.inputs, "User, ad and context features");
  EXPECT_EQ(cs.outputs, "P(click)");
  EXPECT_EQ(cs.model, "Gradient-boosted trees, then a DLRM");
  EXPECT_EQ(cs.latency, "10 ms p99");
  EXPECT_EQ(cs.serving, (std::vector<std::string>{"online", "batch"}));
  ASSERT_EQ(cs.scale.size(), 2u);
  EXPECT_TRUE(cs.scale[0].headline);
  EXPECT_EQ(cs.scale[0].at.line, 11);
  EXPECT_FALSE(cs.scale[1].headline);

  CaseStudy one;
  ReadCase(Yaml(std::string(kCase) + "serving: streaming\n"), one, d);
  EXPECT_EQ(one.serving, std::vector<std::string>{"streaming"});
  CaseStudy none;
  ReadCase(Yaml(kCase), none, d);
  EXPECT_TRUE(none.serving.empty());
  EXPECT_TRUE(none.inputs.empty());
  EXPECT_EQ(test::FormatAll(d), "");
}

TEST(FrontMatterTest, ComparisonFieldErrorsAreReportedOnceEach) {
  Diagnostics d;
  CaseStudy cs;
  ReadCase(Yaml(std::string(kCase) +
                "inputs: [a]\n"
                "serving: realtime\n"
                "scale:\n"
                "  - {quantity: q, value: v, note: n, headline: yes}\n"
                "  - {quantity: q, value: v, note: n, headline: \"true\"}\n"
                "  - {quantity: q, value: v, note: n, headline: true}\n"
                "  - {quantity: q, value: v, note: n, headline: true}\n"),
           cs, d);
  EXPECT_EQ(test::FormatAll(d),
            "f.md:5:9: error: field 'inputs' must be text, not a list\n"
            "f.md:6:10: error: field 'serving' is 'realtime'; expected one of: batch, online, streaming\n"
            "f.md:8:48: error: field 'headline' must be true or false, not 'yes'\n"
            "f.md:9:48: error: field 'headline' must be true or false, not 'true' in quotes (remove them)\n"
            "f.md:11:48: error: only one scale row can be the headline (the first is line 10)\n");
  EXPECT_TRUE(cs.serving.empty());
  ASSERT_EQ(cs.scale.size(), 4u);
  EXPECT_TRUE(cs.scale[2].headline);
  EXPECT_FALSE(cs.scale[3].headline);
}

TEST(FrontMatterTest, ReadsACaseSheet) {
  Diagnostics d;
  CaseStudy cs;
  ReadCase(Yaml(std::string(kCase) +
                "sheet:\n"
                "  problem: Find the right thing fast\n"
                "  decisions:\n"
                "    evaluate: [Use recall@k, '**Split by time**']\n"
                "    clarify:\n"
                "      - Ask about latency\n"
                "  probes:\n"
                "    - Why not accuracy?\n"
                "scale:\n"
                "  - {quantity: q, value: v, note: n, sheet: true}\n"
                "  - {quantity: r, value: w, note: n}\n"),
           cs, d);
  EXPECT_EQ(test::FormatAll(d), "");
  EXPECT_EQ(cs.sheet.problem, "Find the right thing fast");
  ASSERT_EQ(cs.sheet.decisions.size(), 2u);
  EXPECT_EQ(cs.sheet.decisions[0].step, "evaluate");  // in the order written
  EXPECT_EQ(cs.sheet.decisions[0].at.line, 8);
  ASSERT_EQ(cs.sheet.decisions[0].items.size(), 2u);
  EXPECT_EQ(cs.sheet.decisions[0].items[1].source, "**Split by time**");
  EXPECT_TRUE(cs.sheet.decisions[0].items[1].is_inline);
  EXPECT_EQ(cs.sheet.decisions[1].items[0].at.line, 10);
  ASSERT_EQ(cs.sheet.probes.size(), 1u);
  EXPECT_EQ(cs.sheet.probes[0].source, "Why not accuracy?");
  EXPECT_TRUE(cs.scale[0].sheet);
  EXPECT_FALSE(cs.scale[1].sheet);
  // Without the field there is nothing to report and nothing on the sheet.
  CaseStudy plain;
  ReadCase(Yaml(kCase), plain, d);
  EXPECT_TRUE(plain.sheet.problem.empty() && plain.sheet.decisions.empty());
  EXPECT_EQ(test::FormatAll(d), "");
}

TEST(FrontMatterTest, CaseSheetLimitsAreErrorsAtTheItem) {
  Diagnostics d;
  CaseStudy cs;
  std::string long_item(kSheetItemChars + 1, 'x');
  std::string long_problem(kSheetProblemChars - 1, 'p');
  ReadCase(Yaml(std::string(kCase) +
                "sheet:\n"
                "  problem: \"" + long_problem + "\u00e9\u00e9\"\n"  // two characters, four bytes
                "  decisions:\n"
                "    evaluate: [a, b, c, d, e]\n"
                "    clarify: [" + long_item + "]\n"
                "    model: []\n"
                "  probes: [p, q, r, s]\n"
                "  summary: no\n"),
           cs, d);
  // The unknown key is reported first, when the map is read.
  EXPECT_EQ(test::FormatAll(d),
            "f.md:12:3: error: unknown field 'summary'\n"
            "f.md:6:12: error: 'problem' is 121 characters long; a cheat sheet allows 120 "
            "(shorten it)\n"
            "f.md:8:28: error: step 'evaluate' has 5 decisions; a cheat sheet shows at most 4\n"
            "f.md:9:15: error: this item of the decisions of 'clarify' is 97 characters long; a "
            "cheat sheet allows 96 (shorten it)\n"
            "f.md:10:12: error: step 'model' lists no decisions; remove it or add up to 4\n"
            "f.md:11:21: error: 'probes' lists 4 items; a cheat sheet shows the 3 things "
            "interviewers probe\n");
  EXPECT_EQ(CharCount("\u00e9t\u00e9"), 3u);
}

TEST(FrontMatterTest, TooManyDecisionsInAllOrScaleRowsOnTheSheet) {
  Diagnostics d;
  CaseStudy cs;
  std::string yaml = std::string(kCase) + "sheet:\n  decisions:\n";
  for (int step = 0; step < 5; ++step) yaml += "    s" + std::to_string(step) + ": [a, b, c, d]\n";
  yaml += "scale:\n";
  for (int row = 0; row < 6; ++row) yaml += "  - {quantity: q, value: v, note: n, sheet: true}\n";
  ReadCase(Yaml(yaml), cs, d);
  // Each is reported once, at the first item past the limit (the 18th
  // decision, the 6th marked row).
  EXPECT_EQ(test::FormatAll(d),
            "f.md:11:13: error: more than 17 decisions in all; a cheat sheet has no room for more\n"
            "f.md:18:5: error: more than 5 scale rows have 'sheet: true'; a cheat sheet has no "
            "room for more\n");
}

TEST(FrontMatterTest, ChecklistShortAndTheGlossarySheetFlag) {
  Diagnostics d;
  Step step;
  ReadStep(Yaml(std::string(kStep) + "    short: The goal\n"
                "  - id: two\n    text: A second item.\n    short: " +
                std::string(kShortChars + 1, 's') + "\n"),
           step, d);
  EXPECT_EQ(test::FormatAll(d),
            "f.md:10:12: error: 'short' is 81 characters long; a cheat sheet allows 80 "
            "(shorten it)\n");
  ASSERT_EQ(step.checklist.size(), 2u);
  EXPECT_EQ(step.checklist[0].brief.source, "The goal");
  EXPECT_TRUE(step.checklist[0].brief.is_inline);
  Diagnostics d2;
  Term t, plain;
  ReadTerm(Yaml("id: auc\nterm: AUC\ncategory: C\ndefinition: Area.\nsheet: true\n"), t, d2);
  ReadTerm(Yaml("id: f1\nterm: F1\ncategory: C\ndefinition: Mean.\n"), plain, d2);
  EXPECT_EQ(test::FormatAll(d2), "");
  EXPECT_TRUE(t.sheet);
  EXPECT_FALSE(plain.sheet);
}

TEST(FrontMatterTest, ServingListsKnownModesOnce) {
  Diagnostics d;
  CaseStudy cs;
  ReadCase(Yaml(std::string(kCase) + "serving: [online, batchh, online]\n"), cs, d);
  EXPECT_EQ(test::FormatAll(d),
            "f.md:5:19: error: field 'serving' lists 'batchh'; expected one of: batch, online, "
            "streaming (did you mean 'batch'?)\n"
            "f.md:5:27: error: field 'serving' lists 'online' twice\n");
  EXPECT_EQ(cs.serving, std::vector<std::string>{"online"});
  Diagnostics d2;
  ReadCase(Yaml(std::string(kCase) + "serving: {online: 1}\n"), cs, d2);
  EXPECT_EQ(test::FormatAll(d2),
            "f.md:5:10: error: field 'serving' must be one of batch, online, streaming or a list "
            "of them, not a mapping\n");
}

TEST(FrontMatterTest, StepsClaimComparisonColumns) {
  Diagnostics d;
  Step step;
  ReadStep(Yaml(std::string(kStep) + "compare: [task, inputs]\n"), step, d);
  EXPECT_EQ(test::FormatAll(d), "");
  EXPECT_EQ(step.compare, (std::vector<std::string>{"task", "inputs"}));
  ASSERT_EQ(step.compare_at.size(), 2u);
  EXPECT_EQ(step.compare_at[1].line, 7);
  EXPECT_EQ(step.compare_at[1].column, 17);

  Step bad;
  ReadStep(Yaml(std::string(kStep) + "compare: [modle, task, task]\n"), bad, d);
  EXPECT_EQ(test::FormatAll(d),
            "f.md:7:11: error: field 'compare' lists 'modle'; expected one of: task, inputs, "
            "outputs, model, serving, latency (did you mean 'model'?)\n"
            "f.md:7:24: error: field 'compare' lists 'task' twice\n");
  EXPECT_EQ(bad.compare, std::vector<std::string>{"task"});
  Diagnostics d2;
  ReadStep(Yaml(std::string(kStep) + "compare: task\n"), bad, d2);
  EXPECT_EQ(test::FormatAll(d2), "f.md:7:10: error: field 'compare' must be a list, not a single value\n");
}

}  // namespace
}  // namespace casebook
