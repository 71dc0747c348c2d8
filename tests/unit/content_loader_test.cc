#include "content_loader.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

TEST(FrontMatterTest, SplitsYamlAndBody) {
  Diagnostics d;
  auto s = SplitFrontMatter("---\ntitle: x\n---  \nBody\n", "p.md", d);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->yaml, "title: x\n");
  EXPECT_EQ(s->yaml_line, 2);
  EXPECT_EQ(s->body, "Body\n");
  EXPECT_EQ(s->body_line, 4);
  EXPECT_FALSE(d.has_errors());
}

TEST(FrontMatterTest, ReportsMissingAndUnclosed) {
  Diagnostics d;
  EXPECT_FALSE(SplitFrontMatter("title: x\n", "p.md", d));
  EXPECT_FALSE(SplitFrontMatter("---\ntitle: x\n", "q.md", d));
  EXPECT_EQ(test::FormatAll(d),
            "p.md:1:1: error: missing front matter: the file must start with a '---' line\n"
            "q.md:1:1: error: front matter is not closed: add a '---' line after the YAML\n");
}

TEST(ReadTextFileTest, NormalizesBomAndCrlf) {
  test::TempDir dir;
  test::WriteFile(dir / "a.md", "\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n");
  Diagnostics d;
  auto text = ReadTextFile(dir / "a.md", d);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "---\ntitle: x\n---\n");
}

TEST(ReadTextFileTest, RejectsBadEncodingSizeAndLinks) {
  test::TempDir dir;
  test::WriteFile(dir / "bad.md", "ok\nab\xFFz\n");
  test::WriteFile(dir / "big.md", std::string(kMaxContentFileBytes + 1, 'x'));
  test::WriteFile(dir / "real.md", "x");
  ASSERT_EQ(symlink((dir / "real.md").c_str(), (dir / "link.md").c_str()), 0);
  Diagnostics d;
  EXPECT_FALSE(ReadTextFile(dir / "bad.md", d));
  EXPECT_FALSE(ReadTextFile(dir / "big.md", d));
  EXPECT_FALSE(ReadTextFile(dir / "link.md", d));
  std::string out = test::FormatAll(d);
  EXPECT_NE(out.find("bad.md:2:3: error: invalid UTF-8 (byte 0xff)"), std::string::npos) << out;
  EXPECT_NE(out.find("big.md: error: file is 1048577 bytes; content files are limited to 1048576"),
            std::string::npos) << out;
  EXPECT_NE(out.find("link.md: error: symbolic links are not followed"), std::string::npos) << out;
}

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
  EXPECT_NE(out.find("notes.txt: warning: file is not part of the content format"), std::string::npos) << out;
  EXPECT_NE(out.find("pages/unused.png: warning: file is not part of the content format"), std::string::npos) << out;
  EXPECT_EQ(out.find("diagram.png"), std::string::npos) << out;  // a page links to it
  EXPECT_EQ(out.find(".git"), std::string::npos) << out;
  EXPECT_NE(out.find("intro.md: error: framework files are named NN-<id>.md"), std::string::npos) << out;
  EXPECT_NE(out.find("Bad_Name.md: error: 'Bad_Name' is not a valid id"), std::string::npos) << out;
}

}  // namespace
}  // namespace casebook

namespace casebook {
namespace {

TEST(LoadContentTest, BaseUrls) {
  for (const char* ok : {"https://you.github.io/repo/", "https://example.org", "http://127.0.0.1:8000/a/b"})
    EXPECT_TRUE(IsValidBaseUrl(ok)) << ok;
  for (const char* bad : {"example.org", "https://example.com//evil.example/", "https://example.com/\\evil/",
                          "https://x.org/a?b", "https://x.org/#a", "javascript:alert(1)", "https://", "https:///x"})
    EXPECT_FALSE(IsValidBaseUrl(bad)) << bad;
}

}  // namespace
}  // namespace casebook
