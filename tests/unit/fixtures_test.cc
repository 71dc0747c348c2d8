// Whole builds, in-process: golden sites against their expected output,
// invalid content against its exact diagnostics, the committed site against
// a fresh build, and determinism across runs and thread counts.
//
// CASEBOOK_BLESS=1 rewrites the expected files from the current output;
// review the diff before committing it.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "build.h"
#include "test_util.h"

namespace casebook {
namespace {

namespace fs = std::filesystem;

bool Blessing() {
  const char* v = std::getenv("CASEBOOK_BLESS");
  return v && std::string(v) == "1";
}

std::vector<std::string> CasesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(test::SourceDir() + "/tests/" + dir))
    if (e.is_directory()) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string Name(const testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  std::replace(n.begin(), n.end(), '-', '_');
  return n;
}

BuildResult BuildInto(const std::string& content, const std::string& out, int jobs,
                      const std::string& templates = test::SourceDir() + "/templates") {
  BuildOptions o;
  o.content_dir = content;
  o.templates_dir = templates;
  o.out_dir = out;
  o.jobs = jobs;
  return Build(o);
}

class GoldenTest : public testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesExpectedOutput) {
  std::string dir = test::SourceDir() + "/tests/golden/" + GetParam();
  std::string templates = fs::exists(dir + "/templates") ? dir + "/templates"
                                                         : test::SourceDir() + "/templates";
  if (Blessing()) {
    BuildResult r = BuildInto(dir + "/content", dir + "/expected", 2, templates);
    ASSERT_FALSE(r.diags.has_errors()) << test::FormatAll(r.diags);
    GTEST_SKIP() << "blessed " << dir << "/expected";
  }
  test::TempDir tmp;
  BuildResult r = BuildInto(dir + "/content", tmp / "out", 2, templates);
  ASSERT_FALSE(r.diags.has_errors()) << test::FormatAll(r.diags);
  EXPECT_EQ(test::DiffTrees(test::ReadTree(dir + "/expected"), test::ReadTree(tmp / "out")), "")
      << "re-bless with CASEBOOK_BLESS=1 and review the diff";
}

INSTANTIATE_TEST_SUITE_P(Sites, GoldenTest, testing::ValuesIn(CasesIn("golden")), Name);

class InvalidTest : public testing::TestWithParam<std::string> {};

// Each case folder holds content/, optionally overlay/ (files that replace
// the project's templates of the same name), a `strict` marker for
// --strict, and expected.txt: every diagnostic of the run.
TEST_P(InvalidTest, ReportsExactlyTheExpectedDiagnostics) {
  std::string dir = test::SourceDir() + "/tests/invalid/" + GetParam();
  // Run in a copy, so that templates/ can be the project's with the
  // overlay on top and diagnostics still name "templates/page.html".
  test::TempDir work;
  fs::copy(dir, work.path(), fs::copy_options::recursive | fs::copy_options::copy_symlinks);
  if (fs::exists(dir + "/overlay")) {
    fs::copy(test::SourceDir() + "/templates", work / "templates", fs::copy_options::recursive);
    fs::copy(dir + "/overlay", work / "templates",
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }
  fs::path old = fs::current_path();
  fs::current_path(work.path());  // diagnostics name paths as the user typed them
  BuildOptions o;
  o.content_dir = "content";
  o.templates_dir = fs::exists("templates") ? "templates" : test::SourceDir() + "/templates";
  o.write = false;
  o.jobs = 2;
  o.strict = fs::exists("strict");
  BuildResult r = Build(o);
  fs::current_path(old);
  std::string actual = test::FormatAll(r.diags);
  if (Blessing()) {
    test::WriteFile(dir + "/expected.txt", actual);
    GTEST_SKIP() << "blessed " << dir << "/expected.txt";
  }
  EXPECT_TRUE(r.diags.has_errors());
  EXPECT_EQ(actual, test::ReadFile(dir + "/expected.txt"));
}

INSTANTIATE_TEST_SUITE_P(Cases, InvalidTest, testing::ValuesIn(CasesIn("invalid")), Name);

TEST(SiteTest, CommittedSiteIsAFreshBuildOfContent) {
  test::TempDir tmp;
  BuildResult r = BuildInto(test::SourceDir() + "/content", tmp / "site", 2);
  ASSERT_FALSE(r.diags.has_errors()) << test::FormatAll(r.diags);
  EXPECT_EQ(test::DiffTrees(test::ReadTree(test::SourceDir() + "/site"), test::ReadTree(tmp / "site")), "")
      << "site/ is stale: run `make site` and commit it";
}

// Every href and src of every page points to a file of the site (relative,
// with its .html) and, with a #fragment, to an id on that page; nothing is
// loaded from another host.
std::string CheckLinks(const std::map<std::string, std::string>& site) {
  static const std::regex kAttr(R"re(\s(href|src)="([^"]*)")re");
  std::string problems;
  for (const auto& [path, html] : site) {
    if (path.size() < 5 || path.substr(path.size() - 5) != ".html" || path == "404.html") continue;
    std::string dir = path.find('/') == std::string::npos ? "" : path.substr(0, path.rfind('/') + 1);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), kAttr); it != std::sregex_iterator(); ++it) {
      std::string attr = (*it)[1], url = (*it)[2];
      if (url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0 || url.rfind("mailto:", 0) == 0) {
        if (attr == "src") problems += path + ": loads " + url + " from another host\n";
        continue;
      }
      if (url.empty() || url[0] == '/') {
        problems += path + ": link '" + url + "' is not relative\n";
        continue;
      }
      std::string file = url.substr(0, url.find('#'));
      std::string fragment = url.find('#') == std::string::npos ? "" : url.substr(url.find('#') + 1);
      std::string target = file.empty() ? path : fs::path(dir + file).lexically_normal().string();
      auto page = site.find(target);
      if (page == site.end()) {
        problems += path + ": link '" + url + "' has no target\n";
      } else if (!fragment.empty() && page->second.find("id=\"" + fragment + "\"") == std::string::npos) {
        problems += path + ": link '" + url + "' names a missing anchor\n";
      }
    }
  }
  return problems;
}

// Ids that appear twice on one page (the anchors links and aria need).
std::string DuplicateIds(const std::map<std::string, std::string>& site) {
  static const std::regex kId(R"re(\sid="([^"]*)")re");
  std::string problems;
  for (const auto& [path, html] : site) {
    if (path.size() < 5 || path.substr(path.size() - 5) != ".html") continue;
    std::set<std::string> seen;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), kId); it != std::sregex_iterator(); ++it)
      if (!seen.insert((*it)[1]).second) problems += path + ": id '" + (*it)[1].str() + "' twice\n";
  }
  return problems;
}

TEST(SiteTest, NoPageRepeatsAnId) {
  EXPECT_EQ(DuplicateIds(test::ReadTree(test::SourceDir() + "/tests/golden/basic/expected")), "");
  EXPECT_EQ(DuplicateIds(test::ReadTree(test::SourceDir() + "/site")), "");
  EXPECT_EQ(DuplicateIds({{"a.html", "<p id=\"x\"></p><p id=\"x\"></p>"}}), "a.html: id 'x' twice\n");
}

TEST(SiteTest, EveryLinkOfTheGoldenSiteResolves) {
  auto site = test::ReadTree(test::SourceDir() + "/tests/golden/basic/expected");
  ASSERT_GT(site.size(), 10u);
  EXPECT_EQ(CheckLinks(site), "");
  // The check itself can fail.
  site["index.html"] += "<a href=\"nowhere.html\">x</a><a href=\"about.html#nope\">y</a>"
                        "<img src=\"https://cdn.example/x.png\">";
  EXPECT_EQ(CheckLinks(site),
            "index.html: link 'nowhere.html' has no target\n"
            "index.html: link 'about.html#nope' names a missing anchor\n"
            "index.html: loads https://cdn.example/x.png from another host\n");
}

TEST(SiteTest, EveryLinkOfTheCommittedSiteResolves) {
  auto site = test::ReadTree(test::SourceDir() + "/site");
  ASSERT_GT(site.size(), 10u);
  EXPECT_EQ(CheckLinks(site), "");
}

TEST(SiteTest, OutputIsByteIdenticalAcrossRunsAndThreadCounts) {
  test::TempDir tmp;
  std::string content = test::SourceDir() + "/content";
  ASSERT_FALSE(BuildInto(content, tmp / "a", 1).diags.has_errors());
  ASSERT_FALSE(BuildInto(content, tmp / "b", 2).diags.has_errors());
  ASSERT_FALSE(BuildInto(content, tmp / "c", 2).diags.has_errors());
  ASSERT_FALSE(BuildInto(content, tmp / "d", 8).diags.has_errors());
  auto a = test::ReadTree(tmp / "a");
  EXPECT_GT(a.size(), 10u);
  EXPECT_EQ(test::DiffTrees(a, test::ReadTree(tmp / "b")), "");
  EXPECT_EQ(test::DiffTrees(a, test::ReadTree(tmp / "c")), "");
  EXPECT_EQ(test::DiffTrees(a, test::ReadTree(tmp / "d")), "");
}

TEST(SiteTest, AFailedBuildLeavesThePreviousSiteUntouched) {
  test::TempDir tmp;
  std::string out = tmp / "site";
  ASSERT_FALSE(BuildInto(test::SourceDir() + "/tests/golden/basic/content", out, 2).diags.has_errors());
  auto before = test::ReadTree(out);
  BuildResult r = BuildInto(test::SourceDir() + "/tests/invalid/links/content", out, 2);
  EXPECT_TRUE(r.diags.has_errors());
  EXPECT_EQ(test::ReadTree(out), before);
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace casebook
