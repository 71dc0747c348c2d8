// The on-disk cache of formulas, graphs and YAML: its format read back, files
// that must be ignored, and a real build that uses it and writes the same
// site as a build without it.
#include "disk_cache.h"

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "build.h"
#include "test_util.h"

namespace casebook {
namespace {

namespace fs = std::filesystem;

DiagramRun Drawn(const std::string& svg, const std::string& label) {
  DiagramRun run;
  run.ok = true;
  run.diagram = {svg, label};
  run.messages.push_back({false, 2, "Graphviz: a warning\nwith a line break", true});
  return run;
}

TEST(DiskCache, ReadsBackWhatItWrote) {
  MathCache math = {{"\\frac{a}{b}", "<mfrac><mi>a</mi><mi>b</mi></mfrac>"}, {"x\ny", "<mi>x</mi>"}};
  DiagramCache diagrams = {{"digraph { a -> b }", Drawn("<svg>\n</svg>", "a to b")}};
  MathCache math2;
  DiagramCache diagrams2;
  ASSERT_TRUE(ParseDiskCache(DiskCacheText(math, diagrams), math2, diagrams2));
  EXPECT_EQ(math2, math);
  ASSERT_EQ(diagrams2.size(), 1u);
  const DiagramRun& run = diagrams2.begin()->second;
  EXPECT_TRUE(run.ok);
  EXPECT_EQ(run.diagram.svg, "<svg>\n</svg>");
  EXPECT_EQ(run.diagram.label, "a to b");
  ASSERT_EQ(run.messages.size(), 1u);
  EXPECT_EQ(run.messages[0].text, "Graphviz: a warning\nwith a line break");
  EXPECT_EQ(run.messages[0].line, 2);
  EXPECT_FALSE(run.messages[0].error);
  EXPECT_TRUE(run.messages[0].from_graphviz);
}

TEST(DiskCache, IgnoresFilesItCannotTrust) {
  MathCache math = {{"a", "<mi>a</mi>"}};
  std::string good = DiskCacheText(math, {});
  std::string other_programs = good;
  other_programs.replace(good.find('\n') + 1, 1, "#");
  for (const std::string& bad :
       {std::string(), std::string("not a cache\n"), good.substr(0, good.size() - 4),
        good + "m 1 1\nab", other_programs, good.substr(0, good.find("m ")) + "m 99 99\nab\nend\n"}) {
    MathCache m;
    DiagramCache d;
    EXPECT_FALSE(ParseDiskCache(bad, m, d)) << bad;
    EXPECT_TRUE(m.empty()) << "a rejected file added entries: " << bad;
  }
  // A YAML entry that is cut off, or whose numbers do not add up, spoils
  // the whole file.
  YamlCache yaml;
  Diagnostics diags;
  yaml.Parse("a: [1, 2]\n", "/c/x.md", 2, diags);
  std::string with_yaml = DiskCacheText(math, {}, &yaml);
  const size_t y = good.size() - 4;  // where the YAML starts: before "end\n"
  ASSERT_EQ(with_yaml.compare(y, 2, "y "), 0);
  std::vector<std::string> cuts;
  for (size_t cut = y + 1; cut + 4 < with_yaml.size(); ++cut)  // every cut inside the entry
    cuts.push_back(with_yaml.substr(0, cut) + "end\n");
  for (const std::string& bad : cuts) {
    MathCache m;
    DiagramCache d;
    YamlCache got;
    EXPECT_FALSE(ParseDiskCache(bad, m, d, &got)) << bad;
    EXPECT_EQ(got.size(), 0u);
  }
  for (const std::string& bad :
       {with_yaml.substr(0, with_yaml.size() - 8) + "end\n",
        with_yaml.substr(0, y) + "y 999\n" + with_yaml.substr(y + with_yaml.substr(y).find('\n') + 1),
        with_yaml.substr(0, y) + "y 3\nabc" + "end\n"}) {
    MathCache m;
    DiagramCache d;
    YamlCache got;
    EXPECT_FALSE(ParseDiskCache(bad, m, d, &got)) << bad;
    EXPECT_TRUE(m.empty());
    EXPECT_EQ(got.size(), 0u);
  }
  MathCache m;
  DiagramCache d;
  YamlCache got;
  EXPECT_TRUE(ParseDiskCache(with_yaml, m, d, &got));
  EXPECT_EQ(got.size(), 1u);
}

// The golden site's build, with its disk cache in `cache_dir`.
BuildOptions GoldenBuild(const std::string& cache_dir) {
  setenv("CASEBOOK_CACHE_DIR", cache_dir.c_str(), 1);
  BuildOptions o;
  o.content_dir = std::string(CASEBOOK_SOURCE_DIR) + "/tests/golden/basic/content";
  o.templates_dir = std::string(CASEBOOK_SOURCE_DIR) + "/templates";
  return o;
}

// A build with the cache (twice: filling it, then reading it) writes the
// same files as one without.
TEST(DiskCache, ABuildFromTheCacheWritesTheSameSite) {
  test::TempDir dir;
  std::string cache_dir = dir / "cache";
  BuildOptions o = GoldenBuild(cache_dir);
  o.out_dir = dir / "cold";
  o.disk_cache = false;
  BuildResult cold = Build(o);
  ASSERT_FALSE(cold.diags.has_errors()) << test::FormatAll(cold.diags);
  EXPECT_FALSE(fs::exists(cache_dir)) << "--no-cache wrote a cache";

  o.disk_cache = true;
  o.out_dir = dir / "filling";
  ASSERT_FALSE(Build(o).diags.has_errors());
  std::string path = DiskCachePath(o.content_dir);
  ASSERT_TRUE(fs::exists(path));
  MathCache math;
  DiagramCache diagrams;
  YamlCache yaml;
  ASSERT_TRUE(LoadDiskCache(path, math, diagrams, &yaml));
  EXPECT_FALSE(math.empty());
  EXPECT_FALSE(diagrams.empty());
  EXPECT_GT(yaml.size(), 3u);  // site.yaml, the glossary's items, front matter

  o.out_dir = dir / "warm";
  BuildResult warm = Build(o);
  ASSERT_FALSE(warm.diags.has_errors()) << test::FormatAll(warm.diags);
  EXPECT_EQ(test::DiffTrees(test::ReadTree(dir / "cold"), test::ReadTree(dir / "warm")), "");
  EXPECT_EQ(test::DiffTrees(test::ReadTree(dir / "cold"), test::ReadTree(dir / "filling")), "");
  unsetenv("CASEBOOK_CACHE_DIR");
}

TEST(DiskCache, AnotherBlahtexmlIgnoresTheCache) {
  test::TempDir dir;
  BuildOptions o = GoldenBuild(dir / "cache");
  o.write = false;
  ASSERT_FALSE(Build(o).diags.has_errors());
  // A blahtexml that cannot run: the cache was made by another, so the
  // build runs this one and reports it.
  setenv("CASEBOOK_BLAHTEXML", "/nonexistent/blahtexml", 1);
  BuildResult r = Build(o);
  unsetenv("CASEBOOK_BLAHTEXML");
  unsetenv("CASEBOOK_CACHE_DIR");
  EXPECT_TRUE(r.diags.has_errors());
}

}  // namespace
}  // namespace casebook
