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
