// BuildFiles with a BuildCache, as `casebook serve` rebuilds: after each
// kind of edit the files must equal a build without a cache, byte for
// byte, and only the pages the edit changed may be rendered again.
#include <cstdlib>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "build.h"
#include "test_util.h"

namespace casebook {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> AsTree(const std::vector<OutputFile>& files) {
  std::map<std::string, std::string> tree;
  for (const OutputFile& f : files) tree[f.path] = f.content;
  return tree;
}

// A copy of the guide's content and templates that a test may edit.
class BuildCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::copy(std::string(CASEBOOK_SOURCE_DIR) + "/content", dir_ / "content",
             fs::copy_options::recursive);
    fs::copy(std::string(CASEBOOK_SOURCE_DIR) + "/templates", dir_ / "templates",
             fs::copy_options::recursive);
    options_.content_dir = dir_ / "content";
    options_.templates_dir = dir_ / "templates";
    options_.jobs = 2;
  }

  // Rebuilds with the cache and checks the result against a cold build.
  BuildResult Rebuild() {
    std::vector<OutputFile> warm, cold;
    BuildResult r = BuildFiles(options_, &cache_, warm);
    EXPECT_FALSE(r.diags.has_errors()) << test::FormatAll(r.diags);
    BuildResult c = BuildFiles(options_, nullptr, cold);
    EXPECT_EQ(c.rendered, c.pages - 2);  // 404.html and print.html are not map pages
    EXPECT_EQ(test::DiffTrees(AsTree(cold), AsTree(warm)), "");
    EXPECT_EQ(r.pages, c.pages);
    return r;
  }

  void Edit(const std::string& rel, const std::string& from, const std::string& to) {
    test::ReplaceInFile(dir_ / rel, from, to);
  }

  test::TempDir dir_;
  BuildOptions options_;
  std::vector<OutputFile> files_;
  BuildCache cache_;
};

TEST_F(BuildCacheTest, SecondBuildRendersNothingAndMatches) {
  BuildResult first = Rebuild();
  EXPECT_EQ(first.rendered, first.pages - 2);
  EXPECT_FALSE(cache_.math.empty());
  BuildResult second = Rebuild();
  EXPECT_EQ(second.rendered, 0);
}

TEST_F(BuildCacheTest, CaseStudyEditRendersFewPages) {
  BuildResult first = Rebuild();
  // A sentence in the body: its page, print.html and the search index
  // change; its neighbours and the glossary do not.
  Edit("content/case-studies/video-search.md", "\n## ", "\nA sentence added by a test.\n\n## ");
  BuildResult r = Rebuild();
  EXPECT_GE(r.rendered, 1);
  EXPECT_LT(r.rendered, first.pages / 4) << "a body edit re-rendered most pages";
}

TEST_F(BuildCacheTest, TitleEditReachesEveryPageThatNamesIt) {
  Rebuild();
  // The title shows in every page's navigation: the cold comparison in
  // Rebuild() fails if any page kept the old one.
  Edit("content/case-studies/video-search.md", "title: ", "title: Renamed ");
  BuildResult r = Rebuild();
  EXPECT_GT(r.rendered, 10);
}

TEST_F(BuildCacheTest, GlossaryAndStepEditsMatchAColdBuild) {
  Rebuild();
  Edit("content/glossary.yaml", "definition: ", "definition: Edited. ");
  Rebuild();
  Edit("content/framework/05-evaluation.md", "\n## ", "\nA step sentence.\n\n## ");
  Rebuild();
}

// Linking is kept per page: a body edit links its page again, and the
// pages that show its fields; so does a heading edit, since a link's
// #anchor is checked after linking, against every page's headings.
TEST_F(BuildCacheTest, ABodyOrHeadingEditLinksFewPages) {
  BuildResult first = Rebuild();
  EXPECT_EQ(cache_.link.linked, static_cast<int>(cache_.link.pages.size()));
  Rebuild();
  EXPECT_EQ(cache_.link.linked, 0);
  Edit("content/case-studies/video-search.md", "\n## ", "\nOne more sentence.\n\n## ");
  Rebuild();
  EXPECT_GE(cache_.link.linked, 1);
  EXPECT_LT(cache_.link.linked, first.pages / 10);
  Edit("content/case-studies/video-search.md", "\n## ", "\n### A new heading\n\n## ");
  Rebuild();
  EXPECT_GE(cache_.link.linked, 1);
  EXPECT_LT(cache_.link.linked, first.pages / 10);
}

// A kept page's links are checked again: renaming the heading that an
// unchanged page links to is an error, and restoring it mends the build.
TEST_F(BuildCacheTest, AKeptPagesAnchorsAreCheckedAgain) {
  Edit("content/case-studies/video-search.md", "\n## ", "\n### Cache anchor\n\n## ");
  Edit("content/framework/05-evaluation.md", "\n## ",
       "\nSee [the anchor](case:video-search#cache-anchor).\n\n## ");
  Rebuild();
  Edit("content/case-studies/video-search.md", "### Cache anchor", "### Renamed anchor");
  std::vector<OutputFile> files;
  BuildResult r = BuildFiles(options_, &cache_, files);
  std::string all = test::FormatAll(r.diags);
  EXPECT_NE(all.find("05-evaluation.md"), std::string::npos) << all;
  EXPECT_NE(all.find("no section '#cache-anchor' in cases/video-search.html"), std::string::npos)
      << all;
  Edit("content/case-studies/video-search.md", "### Renamed anchor", "### Cache anchor");
  Rebuild();
}

// A page with graphs is kept only while they draw as before: after a build
// without Graphviz (the pages keep their code blocks, and the build fails),
// the next build draws them and links exactly those pages again.
TEST_F(BuildCacheTest, PagesWithGraphsLinkAgainWhenTheirDrawingsChange) {
  setenv("CASEBOOK_DOT", "/nonexistent/dot", 1);
  std::vector<OutputFile> files;
  BuildResult broken = BuildFiles(options_, &cache_, files);
  unsetenv("CASEBOOK_DOT");
  ASSERT_TRUE(broken.diags.has_errors());
  ASSERT_NE(test::FormatAll(broken.diags).find("Graphviz"), std::string::npos);
  Rebuild();  // equals a cold build: every figure is drawn
  int with_graphs = 0;
  for (const auto& [url, page] : cache_.link.pages)
    for (const CodeBlocks& b : page->blocks)
      if (!b.diagrams.empty()) {
        ++with_graphs;
        break;
      }
  EXPECT_GE(with_graphs, 5);
  EXPECT_GE(cache_.link.linked, with_graphs);
  EXPECT_LT(cache_.link.linked, static_cast<int>(cache_.link.pages.size()) / 2);
  Rebuild();
  EXPECT_EQ(cache_.link.linked, 0);
}

// A tooltip is in the HTML of the pages that link its term: editing one
// definition's first sentence links the term's page again, and patches
// the tip into the kept HTML of the pages that show it (Rebuild compares
// them with a cold build).
TEST_F(BuildCacheTest, ATooltipEditLinksOnlyTheTermsPage) {
  Rebuild();
  Edit("content/glossary.yaml", "match the true label", "match the label that is true");
  BuildResult r = BuildFiles(options_, &cache_, files_);
  ASSERT_FALSE(r.diags.has_errors()) << test::FormatAll(r.diags);
  EXPECT_EQ(cache_.link.linked, 1);  // glossary/accuracy.html
  int showing = 0;
  for (const OutputFile& f : files_)
    if (f.path != "glossary/accuracy.html" && f.path.size() > 5 &&
        f.path.compare(f.path.size() - 5, 5, ".html") == 0 &&
        f.content.find("match the label that is true.</span></span>") != std::string::npos)
      ++showing;
  EXPECT_GE(showing, 2);
  Edit("content/glossary.yaml", "match the label that is true", "match the label that holds");
  Rebuild();
  EXPECT_EQ(cache_.link.linked, 1);
}

// Two terms whose tips read the same on one page cannot be told apart in
// its HTML: such a page is linked again instead.
TEST_F(BuildCacheTest, ATipThatCannotBePatchedIsLinkedAgain) {
  test::WriteFile(dir_ / "content/pages/tips.md",
                  "---\ntitle: Tips\n---\nAccuracy and precision and recall.\n");
  Edit("content/glossary.yaml", "Accuracy is the fraction of all predictions that match the true label.",
       "Same words.");
  Edit("content/glossary.yaml", "  definition: >-\n    Precision is", "  definition: >-\n    Same words. Precision is");
  Rebuild();
  Edit("content/glossary.yaml", "Same words.", "Other words.");
  Rebuild();
  EXPECT_GE(cache_.link.linked, 2);
}

// What a kept page reported is reported again, and a media file it checked
// is checked again: replacing a linked SVG with one that has a script is
// an error even though no page changed.
TEST_F(BuildCacheTest, KeptPagesReportAgainAndRecheckTheirMedia) {
  test::WriteFile(dir_ / "content/case-studies/figure.svg",
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"></svg>");
  Edit("content/case-studies/video-search.md", "\n## ", "\n![A figure](figure.svg)\n\n## ");
  Rebuild();
  test::WriteFile(dir_ / "content/case-studies/figure.svg",
                  "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
  std::vector<OutputFile> files;
  BuildResult bad = BuildFiles(options_, &cache_, files);
  std::string out = test::FormatAll(bad.diags);
  EXPECT_NE(out.find("figure.svg"), std::string::npos) << out;
  EXPECT_TRUE(bad.diags.has_errors());

  Edit("content/case-studies/video-search.md", "![A figure](figure.svg)", "[a link](case:nope)");
  BuildResult once = BuildFiles(options_, &cache_, files);
  BuildResult twice = BuildFiles(options_, &cache_, files);
  EXPECT_EQ(cache_.link.linked, 0);
  std::string expected = test::FormatAll(once.diags);
  EXPECT_NE(expected.find("unknown case study 'nope'"), std::string::npos) << expected;
  EXPECT_EQ(test::FormatAll(twice.diags), expected);
}

TEST_F(BuildCacheTest, TemplateEditRendersEveryPage) {
  BuildResult first = Rebuild();
  Edit("templates/layout.html", "</body>", "<!-- edited --></body>");
  BuildResult r = Rebuild();
  EXPECT_EQ(r.rendered, first.pages - 2);  // 404.html and print.html are never cached
}

TEST_F(BuildCacheTest, AFailedBuildLeavesTheCacheUsable) {
  Rebuild();
  std::string path = dir_ / "content/glossary.yaml";
  std::string good = test::ReadFile(path);
  test::WriteFile(path, good + "\n- id: [broken\n");
  std::vector<OutputFile> files;
  BuildResult bad = BuildFiles(options_, &cache_, files);
  EXPECT_TRUE(bad.diags.has_errors());
  EXPECT_TRUE(files.empty());
  test::WriteFile(path, good);
  Rebuild();
}

}  // namespace
}  // namespace casebook
