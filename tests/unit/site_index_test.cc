#include "site_index.h"

#include <gtest/gtest.h>

#include "markdown.h"
#include "test_util.h"

namespace casebook {
namespace {

Site TwoStepSite(const std::string& case_body) {
  Site site;
  for (auto [id, title] : {std::pair{"clarify", "Clarify requirements"}, {"evaluation", "Evaluation"}}) {
    Step s;
    s.id = id;
    s.title = title;
    site.steps.push_back(std::move(s));
  }
  CaseStudy c;
  c.id = "ads";
  c.body.source = case_body;
  c.body.at = {"ads.md", 10, 1};
  Diagnostics parsed;
  ParseMarkdown(c.body, parsed);
  site.cases.push_back(std::move(c));
  return site;
}

TEST(SiteIndexTest, CaseSectionsTakeTheStepIds) {
  Site site = TwoStepSite("## Clarify requirements\n\n### Traffic\n\n## Evaluation\n\n### Traffic\n\n### Scale\n");
  Diagnostics d;
  AssignHeadingIds(site, BuildPageMap(site), d);
  EXPECT_EQ(test::FormatAll(d), "");
  const auto& h = site.cases[0].body.headings;
  EXPECT_EQ(h[0].id, "clarify");
  EXPECT_EQ(h[1].id, "traffic");
  EXPECT_EQ(h[2].id, "evaluation");
  EXPECT_EQ(h[3].id, "traffic-2");
  EXPECT_EQ(h[4].id, "scale-2");  // #scale is the template's own section
  std::vector<int> want = {0, 1};
  EXPECT_EQ(site.cases[0].section_steps, want);
}

TEST(SiteIndexTest, AnH2InAQuoteStartsNoSection) {
  Site site = TwoStepSite("## Clarify requirements\n\n> ## Evaluation\n\n## Evaluation\n");
  Diagnostics d;
  AssignHeadingIds(site, BuildPageMap(site), d);
  EXPECT_EQ(test::FormatAll(d), "");
  const auto& h = site.cases[0].body.headings;
  EXPECT_EQ(h[1].id, "evaluation-2");  // the quoted one: an ordinary heading
  EXPECT_EQ(h[2].id, "evaluation");
  EXPECT_EQ(site.cases[0].section_steps, (std::vector<int>{0, 1}));
}

TEST(SiteIndexTest, CaseSectionsMissingMisspelledOrOutOfOrder) {
  Diagnostics d;
  Site a = TwoStepSite("## Evaluation\n");
  AssignHeadingIds(a, BuildPageMap(a), d);
  Site b = TwoStepSite("## Clarify requirments\n\n## Evaluation\n");
  AssignHeadingIds(b, BuildPageMap(b), d);
  Site c = TwoStepSite("## Evaluation\n\n## Clarify requirements\n");
  AssignHeadingIds(c, BuildPageMap(c), d);
  EXPECT_EQ(test::FormatAll(d),
            "ads.md:10:1: error: missing section 'Clarify requirements' before 'Evaluation'\n"
            "ads.md:10:1: error: section 'Clarify requirments' is not a framework step; case "
            "studies have one H2 per step (did you mean 'Clarify requirements'?)\n"
            "ads.md:10:1: error: missing section 'Clarify requirements' before 'Evaluation'\n"
            "ads.md:12:1: error: section 'Clarify requirements' is out of order or repeated; "
            "steps follow the framework's order\n");
}

TEST(SiteIndexTest, GlossaryNamesBelongToOneTerm) {
  Site site;
  Term a, b;
  a.id = "map";
  a.term = "MAP";
  a.at = {"g.yaml", 1, 3};
  b.id = "mean-ap";
  b.term = "Mean AP";
  b.aliases = {"map"};
  b.at = {"g.yaml", 5, 3};
  site.terms.push_back(std::move(a));
  site.terms.push_back(std::move(b));
  Diagnostics d;
  SiteIndex index = BuildIndex(site, BuildPageMap(site), d);
  EXPECT_EQ(test::FormatAll(d),
            "g.yaml:5:3: error: 'map' already names glossary term 'map' (line 1)\n");
  EXPECT_EQ(index.terms.at("mean-ap"), 1);
}

TEST(SiteIndexTest, AcronymsThatDifferInCaseAreDifferentNames) {
  Site site;
  Term a, b;
  a.id = "map";
  a.term = "MAP";
  b.id = "detection-map";
  b.term = "mAP";
  site.terms.push_back(std::move(a));
  site.terms.push_back(std::move(b));
  Diagnostics d;
  SiteIndex index = BuildIndex(site, BuildPageMap(site), d);
  EXPECT_EQ(test::FormatAll(d), "");
  auto all = [](int) { return true; };
  EXPECT_EQ(index.matcher.Find("the mAP rose", 0, all)->term, 1);
  EXPECT_EQ(index.matcher.Find("the MAP rose", 0, all)->term, 0);
}

TEST(SiteIndexTest, ContentCannotTakeTheUrlOfAGeneratedPage) {
  Site site;
  CaseStudy c;
  c.id = "compare";  // cases/compare.html is the comparison page
  c.title = "Compare";
  c.body.at = {"content/case-studies/compare.md", 1, 1};
  site.cases.push_back(std::move(c));
  FreePage p;
  p.id = "progress";
  p.title = "Progress notes";
  p.body.at = {"content/pages/progress.md", 1, 1};
  site.pages.push_back(std::move(p));
  FreePage nf;
  nf.id = "404";
  nf.body.at = {"content/pages/404.md", 1, 1};
  site.pages.push_back(std::move(nf));
  FreePage print;
  print.id = "print";
  print.body.at = {"content/pages/print.md", 1, 1};
  site.pages.push_back(std::move(print));
  Diagnostics d;
  BuildIndex(site, BuildPageMap(site), d);
  d.Sort();
  EXPECT_EQ(test::FormatAll(d),
            "content/case-studies/compare.md:1:1: error: case-study id 'compare' is reserved: "
            "cases/compare.html is the page 'Compare the case studies'; rename the file\n"
            "content/pages/404.md:1:1: error: page id '404' is reserved: 404.html is a page "
            "casebook writes; rename the file\n"
            "content/pages/print.md:1:1: error: page id 'print' is reserved: print.html is a "
            "page casebook writes; rename the file\n"
            "content/pages/progress.md:1:1: error: page id 'progress' is reserved: progress.html "
            "is the page 'Progress'; rename the file\n");
}

TEST(IdAllocatorTest, SuffixesAreTheSmallestFree) {
  IdAllocator ids;
  EXPECT_EQ(ids.Unique("a"), "a");
  EXPECT_EQ(ids.Unique("a"), "a-2");
  EXPECT_TRUE(ids.Claim("a-4"));  // taken by hand, e.g. a step id
  EXPECT_EQ(ids.Unique("a"), "a-3");
  EXPECT_EQ(ids.Unique("a"), "a-5");
  EXPECT_EQ(ids.Unique("a-2"), "a-2-2");
  EXPECT_EQ(ids.Unique("a"), "a-6");
  EXPECT_EQ(ids.Unique("b-title"), "h-b-title");
  EXPECT_EQ(ids.Unique("b-title"), "h-b-title-2");
  EXPECT_FALSE(ids.Claim("a-6"));
}

// Many equal headings: ids as before (a, a-2, ..., a-N), in linear time.
TEST(IdAllocatorTest, ManyEqualHeadings) {
  IdAllocator ids;
  EXPECT_EQ(ids.Unique("a"), "a");
  std::string last;
  for (int i = 2; i <= 30000; ++i) last = ids.Unique("a");
  EXPECT_EQ(last, "a-30000");
}

}  // namespace
}  // namespace casebook
