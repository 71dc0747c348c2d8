#include "content_loader.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

TEST(LoadContentTest, LoadsTheMinimalSite) {
  test::TempDir dir;
  test::WriteMinimalContent(dir.path());
  Diagnostics d;
  Site site = LoadContent(dir.path(), d);
  EXPECT_EQ(test::FormatAll(d), "");
  ASSERT_EQ(site.steps.size(), 2u);
  EXPECT_EQ(site.steps[0].id, "clarify");
  EXPECT_EQ(site.steps[0].number, 1);
  EXPECT_EQ(site.steps[0].checklist[0].id, "goal");
  EXPECT_EQ(site.steps[0].body.at.line, 8);
  ASSERT_EQ(site.cases.size(), 1u);
  EXPECT_EQ(site.cases[0].references[0].year, 2010);
  ASSERT_EQ(site.terms.size(), 2u);
  EXPECT_EQ(site.config.id, "mini");
}

TEST(LoadContentTest, ReportsStrayFilesAndBadNames) {
  test::TempDir dir;
  test::WriteMinimalContent(dir.path());
  test::WriteFile(dir / "notes.txt", "x");
  test::WriteFile(dir / "framework/intro.md", "---\ntitle: x\n---\n");
  test::WriteFile(dir / "case-studies/Bad_Name.md", "---\ntitle: x\n---\n");
  test::WriteFile(dir / "pages/diagram.png", "png");
  test::WriteFile(dir / "pages/unused.png", "png");
  test::WriteFile(dir / ".git/config", "x");
  Diagnostics d;
  LoadContent(dir.path(), d);
  ReportStrayFiles(dir.path(), {"pages/diagram.png"}, d);
  std::string out = test::FormatAll(d);
  EXPECT_NE(out.find("notes.txt:1:1: warning: file is not part of the content format"), std::string::npos) << out;
  EXPECT_NE(out.find("pages/unused.png:1:1: warning: file is not part of the content format"), std::string::npos) << out;
  EXPECT_EQ(out.find("diagram.png"), std::string::npos) << out;  // a page links to it
  EXPECT_EQ(out.find(".git"), std::string::npos) << out;
  EXPECT_NE(out.find("intro.md:1:1: error: framework files are named NN-<id>.md"), std::string::npos) << out;
  EXPECT_NE(out.find("Bad_Name.md:1:1: error: 'Bad_Name' is not a valid id"), std::string::npos) << out;
}

// The suggested id must itself be valid: non-ASCII letters cannot stay in it.
TEST(LoadContentTest, SuggestsOnlyValidIdsForBadNames) {
  test::TempDir dir;
  test::WriteMinimalContent(dir.path());
  test::WriteFile(dir / "case-studies/caf\u00E9-search.md", "---\ntitle: x\n---\n");
  test::WriteFile(dir / "case-studies/\u65E5\u672C.md", "---\ntitle: x\n---\n");
  Diagnostics d;
  LoadContent(dir.path(), d);
  d.Sort();
  std::string out = test::FormatAll(d);
  EXPECT_NE(out.find("caf\u00E9-search.md:1:1: error: 'caf\u00E9-search' is not a valid id: use "
                     "lower-case letters, digits and single hyphens (e.g. caf-search)\n"),
            std::string::npos) << out;
  EXPECT_NE(out.find("\u65E5\u672C.md:1:1: error: '\u65E5\u672C' is not a valid id: use "
                     "lower-case letters, digits and single hyphens\n"),
            std::string::npos) << out;
}

TEST(LoadContentTest, EachComparisonColumnBelongsToOneStep) {
  test::TempDir dir;
  test::WriteMinimalContent(dir.path());
  test::WriteFile(dir / "framework/01-clarify.md",
                  "---\ntitle: Clarify\nsummary: Ask.\nchecklist:\n"
                  "  - id: goal\n    text: State the goal.\ncompare: [task, model]\n---\nAsk.\n");
  test::WriteFile(dir / "framework/02-evaluate.md",
                  "---\ntitle: Evaluate\nsummary: Measure.\nchecklist:\n"
                  "  - id: metric\n    text: Pick a metric.\ncompare: [latency, model]\n---\nMeasure.\n");
  Diagnostics d;
  Site site = LoadContent(dir.path(), d);
  EXPECT_EQ(test::FormatAll(d), dir.path() + "/framework/02-evaluate.md:7:20: error: column 'model' "
                                             "is already covered by step 'clarify' (framework/01-clarify.md)\n");
  ASSERT_EQ(site.steps.size(), 2u);
  EXPECT_EQ(site.steps[1].compare, (std::vector<std::string>{"latency", "model"}));
}

// Threads read the files; the Site and the diagnostics, errors in several
// files included, must not depend on how many.
TEST(LoadContentTest, ThreadsDoNotChangeTheResult) {
  test::TempDir dir;
  test::WriteMinimalContent(dir.path());
  for (int i = 0; i < 40; ++i) {
    std::string n = std::to_string(100 + i);
    test::WriteFile(dir / ("pages/p" + n + ".md"),
                    i % 3 ? "---\ntitle: Page " + n + "\n---\nBody " + n + ".\n"
                          : "---\ntitle: [unclosed\n---\nBody.\n");
    test::WriteFile(dir / ("case-studies/c" + n + ".md"),
                    i % 4 ? "---\ntitle: Case " + n + "\nbogus: 1\n---\nText.\n" : "no front matter\n");
  }
  auto load = [&](int jobs, std::string& titles) {
    Diagnostics d;
    LoadOptions options;
    options.jobs = jobs;
    Site site = LoadContent(dir.path(), d, options);
    for (const FreePage& p : site.pages) titles += p.id + "=" + p.title + ";";
    for (const CaseStudy& c : site.cases) titles += c.id + "=" + c.title + ";";
    return test::FormatAll(d);
  };
  std::string one, four;
  std::string diags_one = load(1, one);
  EXPECT_NE(diags_one.find("p100.md"), std::string::npos) << diags_one;
  EXPECT_NE(diags_one.find("c100.md"), std::string::npos) << diags_one;
  EXPECT_NE(one.find("p101=Page 101;"), std::string::npos) << one;
  for (int run = 0; run < 5; ++run) {
    four.clear();
    EXPECT_EQ(load(4, four), diags_one);
    EXPECT_EQ(four, one);
  }
}

}  // namespace
}  // namespace casebook
