#include "writer.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

namespace fs = std::filesystem;

std::vector<OutputFile> Files(const std::string& tag) {
  return {{"index.html", "home " + tag}, {"cases/a.html", "a " + tag}, {".nojekyll", ""}};
}

TEST(WriterTest, WritesAFreshFolderWithAManifest) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(CheckOutputFolder(out, {}, d));
  ASSERT_TRUE(WriteSite(out, Files("1"), d)) << test::FormatAll(d);
  auto tree = test::ReadTree(out);
  EXPECT_EQ(tree.size(), 4u);
  EXPECT_EQ(tree["cases/a.html"], "a 1");
  EXPECT_EQ(tree[".casebook-manifest"],
            "# casebook output: files written by casebook\n.nojekyll\ncases/a.html\nindex.html\n");
  // Only the site is left beside it: no staging folder.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(WriterTest, ReplacesItsOwnSiteAndDropsStaleFiles) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, Files("1"), d));
  std::vector<OutputFile> next = {{"index.html", "home 2"}};
  ASSERT_TRUE(CheckOutputFolder(out, {}, d));
  ASSERT_TRUE(WriteSite(out, next, d)) << test::FormatAll(d);
  auto tree = test::ReadTree(out);
  EXPECT_EQ(tree.size(), 2u);
  EXPECT_EQ(tree["index.html"], "home 2");
  EXPECT_FALSE(fs::exists(out + "/cases"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(WriterTest, RefusesAFolderItDidNotCreate) {
  test::TempDir dir;
  test::WriteFile(dir / "docs/notes.txt", "mine");
  Diagnostics d;
  EXPECT_FALSE(CheckOutputFolder(dir / "docs", {}, d));
  EXPECT_NE(test::FormatAll(d).find("refusing to write into '" + (dir / "docs") +
                                    "': it is not empty and casebook did not create it"),
            std::string::npos);
  EXPECT_EQ(test::ReadFile(dir / "docs/notes.txt"), "mine");
}

TEST(WriterTest, RefusesItsOwnFolderWhenItHoldsForeignFiles) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, Files("1"), d));
  test::WriteFile(out + "/CNAME", "example.org");
  EXPECT_FALSE(CheckOutputFolder(out, {}, d));
  EXPECT_NE(test::FormatAll(d).find(out + "/CNAME: error: not written by casebook"), std::string::npos);
  EXPECT_EQ(test::ReadFile(out + "/CNAME"), "example.org");
}

TEST(WriterTest, RefusesAnEmptyOutputPath) {
  Diagnostics d;
  EXPECT_FALSE(CheckOutputFolder("", {}, d));
  EXPECT_EQ(test::FormatAll(d), "error: --out must name a folder\n");
}

TEST(WriterTest, RefusesToOverlapTheInputs) {
  test::TempDir dir;
  fs::create_directories(dir / "content/sub");
  Diagnostics d;
  EXPECT_FALSE(CheckOutputFolder(dir / "content", {dir / "content"}, d));
  EXPECT_FALSE(CheckOutputFolder(dir / "content/sub", {dir / "content"}, d));
  EXPECT_FALSE(CheckOutputFolder(dir.path(), {dir / "content"}, d));
  EXPECT_TRUE(CheckOutputFolder(dir / "site", {dir / "content"}, d));
  EXPECT_EQ(d.errors(), 3);
}

TEST(WriterTest, AFailedWriteLeavesThePreviousSite) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, Files("1"), d));
  auto before = test::ReadTree(out);
  // Two files at one path: the second write fails part-way through.
  std::vector<OutputFile> broken = {{"a.html", "x"}, {"a.html/b.html", "y"}};
  Diagnostics d2;
  EXPECT_FALSE(WriteSite(out, broken, d2));
  EXPECT_TRUE(d2.has_errors());
  EXPECT_EQ(test::ReadTree(out), before);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace casebook

namespace casebook {
namespace {

// A manifest is only trusted for plain relative paths: an edited one must
// not make casebook delete files outside its folder.
TEST(WriterTest, RefusesAnEditedManifestThatPointsOutside) {
  for (const char* entry : {"../victim.txt", "/tmp/victim.txt", "a/../../victim.txt", "a//b"}) {
    test::TempDir dir;
    Diagnostics d;
    std::string out = dir / "site";
    ASSERT_TRUE(WriteSite(out, Files("1"), d));
    test::WriteFile(dir / "victim.txt", "precious");
    std::ofstream(out + "/.casebook-manifest", std::ios::app) << entry << "\n";
    EXPECT_FALSE(CheckOutputFolder(out, {}, d)) << entry;
    EXPECT_NE(test::FormatAll(d).find("the manifest lists '" + std::string(entry) + "'"), std::string::npos)
        << test::FormatAll(d);
    EXPECT_EQ(test::ReadFile(dir / "victim.txt"), "precious");
  }
}

TEST(WriterTest, RefusesFoldersItDidNotMake) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, Files("1"), d));
  fs::create_directories(out + "/drafts");
  EXPECT_FALSE(CheckOutputFolder(out, {}, d));
  EXPECT_NE(test::FormatAll(d).find(out + "/drafts: error: not written by casebook"), std::string::npos);
  EXPECT_TRUE(fs::is_directory(out + "/drafts"));
}

TEST(WriterTest, AFileAddedDuringTheBuildStopsTheSwap) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, Files("1"), d));
  ASSERT_TRUE(CheckOutputFolder(out, {}, d));
  test::WriteFile(out + "/NOTES.txt", "mine");  // after the check, before the write
  EXPECT_FALSE(WriteSite(out, Files("2"), d));
  EXPECT_EQ(test::ReadFile(out + "/NOTES.txt"), "mine");
  EXPECT_EQ(test::ReadFile(out + "/index.html"), "home 1");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace casebook
