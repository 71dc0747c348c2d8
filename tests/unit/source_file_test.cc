#include "source_file.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

TEST(SplitFrontMatterTest, SplitsYamlAndBody) {
  Diagnostics d;
  auto s = SplitFrontMatter("---\ntitle: x\n---  \nBody\n", "p.md", d);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->yaml, "title: x\n");
  EXPECT_EQ(s->yaml_line, 2);
  EXPECT_EQ(s->body, "Body\n");
  EXPECT_EQ(s->body_line, 4);
  EXPECT_FALSE(d.has_errors());
}

TEST(SplitFrontMatterTest, ReportsMissingAndUnclosed) {
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

// Both would otherwise read as "missing front matter", which hides the cause.
TEST(ReadTextFileTest, NamesCrOnlyLineEndsAndADoubleBom) {
  test::TempDir dir;
  test::WriteFile(dir / "mac.md", "---\rtitle: x\r---\rBody\r");
  test::WriteFile(dir / "boms.md", "\xEF\xBB\xBF\xEF\xBB\xBF---\ntitle: x\n---\n");
  test::WriteFile(dir / "end.md", "title: x\r");  // one line; its CR is harmless
  Diagnostics d;
  EXPECT_FALSE(ReadTextFile(dir / "mac.md", d));
  EXPECT_FALSE(ReadTextFile(dir / "boms.md", d));
  EXPECT_EQ(ReadTextFile(dir / "end.md", d), "title: x");
  EXPECT_EQ(test::FormatAll(d),
            dir / "mac.md:1:1: error: the file uses CR-only line ends (old Mac); save it with LF or CRLF\n" +
            dir / "boms.md:1:1: error: the file starts with two byte-order marks; remove one\n");
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
  EXPECT_NE(out.find("big.md:1:1: error: file is 1048577 bytes; content files are limited to 1048576"),
            std::string::npos) << out;
  EXPECT_NE(out.find("link.md:1:1: error: symbolic links are not followed"), std::string::npos) << out;
}

TEST(BaseUrlTest, AcceptsOnlyPlainAddresses) {
  for (const char* ok : {"https://you.github.io/repo/", "https://example.org", "http://127.0.0.1:8000/a/b"})
    EXPECT_TRUE(IsValidBaseUrl(ok)) << ok;
  for (const char* bad : {"example.org", "https://example.com//evil.example/", "https://example.com/\\evil/",
                          "https://x.org/a?b", "https://x.org/#a", "javascript:alert(1)", "https://", "https:///x"})
    EXPECT_FALSE(IsValidBaseUrl(bad)) << bad;
  for (const char* bad : {"https://-x.org/", "https://x.org:/", "https://x.org:123456/", "ftp://x.org/",
                          "https://x.org/a b", "https://x.org/a//"})
    EXPECT_FALSE(IsValidBaseUrl(bad)) << bad;
  EXPECT_TRUE(IsValidBaseUrl("https://x-y.org:65535/a:b/@c/"));
}

TEST(BaseUrlTest, SaysWhyAndRefusesLongAddressesQuickly) {
  EXPECT_EQ(BaseUrlProblem("https://x.org/"), "");
  EXPECT_EQ(BaseUrlProblem("x.org"), "must be an address such as https://you.github.io/repo/");
  std::string path(kMaxBaseUrlBytes - 14, 'a');
  EXPECT_EQ(BaseUrlProblem("https://x.org/" + path), "");
  // 300,000 characters: a regex recursed once per character and overflowed
  // the stack; now the length alone decides.
  EXPECT_EQ(BaseUrlProblem("https://x.org/" + std::string(300000, 'a')),
            "is 300014 bytes long; an address may have at most 2048");
  EXPECT_EQ(BaseUrlProblem("https://x.org/" + path + "a"),
            "is 2049 bytes long; an address may have at most 2048");
}

}  // namespace
}  // namespace casebook
