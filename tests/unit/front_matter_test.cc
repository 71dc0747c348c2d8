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

}  // namespace
}  // namespace casebook
