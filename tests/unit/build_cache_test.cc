// BuildFiles with a BuildCache, as `casebook serve` rebuilds: after each
// kind of edit the files must equal a build without a cache, byte for
// byte, and only the pages the edit changed may be rendered again.
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
