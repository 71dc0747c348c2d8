#include "text.h"

#include <gtest/gtest.h>

namespace casebook {
namespace {

TEST(TextTest, EscapesHtml) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

TEST(TextTest, FindsInvalidUtf8) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("caf\xC3\xA9 \xE2\x88\x92 \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("x\xE2\x88"), 1u);         // truncated
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // past U+10FFFF
  // Long ASCII runs are checked eight bytes at a time: a bad byte is found
  // wherever it falls in or after such a run.
  for (size_t at = 0; at < 20; ++at) {
    std::string text(20, 'a');
    text[at] = '\xFF';
    EXPECT_EQ(FindInvalidUtf8(text), at);
    text[at] = '\xC3';  // a character cut off by the next ASCII byte
    EXPECT_EQ(FindInvalidUtf8(text), at);
  }
  EXPECT_EQ(FindInvalidUtf8("0123456789abcdef\xC3\xA9tail after it"), std::string_view::npos);
}

// Safe in a script, on one line: every byte that needs it escaped, at
// either end of a run and side by side; everything else copied.
TEST(TextTest, JsonStringsAreSafeInAScript) {
  auto json = [](std::string_view s) {
    std::string out = "x";
    AppendJsonString(s, out);
    return out;
  };
  EXPECT_EQ(json(""), "x\"\"");
  EXPECT_EQ(json("plain text"), "x\"plain text\"");
  EXPECT_EQ(json("\"q\" \\ </script> & \n\t\x01"),
            "x\"\\\"q\\\" \\\\ \\u003c/script\\u003e \\u0026 \\u000a\\u0009\\u0001\"");
  EXPECT_EQ(json("<<>>"), "x\"\\u003c\\u003c\\u003e\\u003e\"");
  // U+2028 and U+2029 end lines in scripts; other E2 characters stay.
  EXPECT_EQ(json("a\xE2\x80\xA8" "b\xE2\x80\xA9" "c \xE2\x80\x94 \xE2\x80"),
            "x\"a\\u2028b\\u2029c \xE2\x80\x94 \xE2\x80\"");
}

TEST(TextTest, LineAndColumnOfAnOffset) {
  std::string t = "ab\ncd\nef";
  EXPECT_EQ(LineColumnAt(t, 0).line, 1);
  EXPECT_EQ(LineColumnAt(t, 4).line, 2);
  EXPECT_EQ(LineColumnAt(t, 4).column, 2);
  EXPECT_EQ(LineColumnAt(t, 6).line, 3);
  EXPECT_EQ(LineColumnAt(t, 6).column, 1);
}

TEST(TextTest, NameIndexFindsExactlyItsNames) {
  // Names sharing a length and a first byte share a bucket; a long name
  // shares the bucket of every name of 15 bytes or more.
  const std::vector<std::string_view> names = {"a", "abbr", "area", "aside", "h1", "h2",
                                               "foreignobject", "lineargradient", ""};
  NameIndex index(names);
  for (size_t i = 0; i < names.size(); ++i)
    EXPECT_EQ(index.Find(names[i]), static_cast<int>(i)) << names[i];
  for (std::string_view other : {"b", "ab", "abbrx", "A", "h3", "foreignobjecT",
                                 "lineargradients", "linearGradient", "x"})
    EXPECT_EQ(index.Find(other), -1) << other;
  EXPECT_EQ(NameIndex({}).Find("a"), -1);
}

TEST(TextTest, ValidIds) {
  for (const char* ok : {"a", "ndcg", "recall-at-k", "f1", "01-x"}) EXPECT_TRUE(IsValidId(ok)) << ok;
  for (const char* bad : {"", "-a", "a-", "a--b", "A", "a_b", "../x", "a/b", "a.md", "é"})
    EXPECT_FALSE(IsValidId(bad)) << bad;
}

TEST(TextTest, SlugsAreStable) {
  EXPECT_EQ(Slugify("Frame the problem as an ML task"), "frame-the-problem-as-an-ml-task");
  EXPECT_EQ(Slugify("  A/B testing: pitfalls! "), "a-b-testing-pitfalls");
  EXPECT_EQ(Slugify("The model's loss"), "the-models-loss");
  EXPECT_EQ(Slugify("Café"), "caf\xC3\xA9");
  EXPECT_EQ(Slugify("!!!"), "section");
}

// "intro", "intro<ZWJ>" and "<RLO>intro" look the same; their ids must too,
// so that a reader cannot be sent to a look-alike section.
TEST(TextTest, SlugsDropInvisibleFormatCharacters) {
  EXPECT_EQ(Slugify("intro\u200D"), "intro");            // zero-width joiner
  EXPECT_EQ(Slugify("\u202Eintro"), "intro");            // right-to-left override
  EXPECT_EQ(Slugify("in\u200Btro\uFEFF"), "intro");     // zero-width space, BOM
  EXPECT_EQ(Slugify("data\u00ADbase"), "database");      // soft hyphen: no dash
  EXPECT_EQ(Slugify("\u2066a\u2069 \u200Eb\u200F"), "a-b");  // isolates and marks
  EXPECT_EQ(Slugify("\u2060\u202A"), "section");
  EXPECT_EQ(Slugify("Caf\u00E9 \u03BB"), "caf\u00E9-\u03BB");  // letters stay
}

TEST(TextTest, MoreInvisibleCharactersAreFormatCharacters) {
  for (uint32_t cp : {0x034Fu, 0xFE00u, 0xFE0Fu, 0xE0100u, 0xE01EFu, 0x115Fu, 0x1160u,
                      0x3164u, 0xFFA0u, 0xE0000u, 0xE0041u, 0xE007Fu})
    EXPECT_TRUE(IsInvisibleFormatChar(cp)) << std::hex << cp;
  for (uint32_t cp : {0x034Eu, 0xFDFFu, 0xFE10u, 0xE0080u, 0xE00FFu, 0xE01F0u, 0x1161u, 0x3165u})
    EXPECT_FALSE(IsInvisibleFormatChar(cp)) << std::hex << cp;
  EXPECT_EQ(Slugify("intro\U000E0041\uFE0F\u034F"), "intro");  // tag A, VS16, CGJ
  EXPECT_EQ(Slugify("\u3164"), "section");                       // Hangul filler
}

TEST(TextTest, LongValuesAreAbbreviatedForDiagnostics) {
  EXPECT_EQ(Abbreviated("short"), "short");
  EXPECT_EQ(Abbreviated(std::string(80, 'x')), std::string(80, 'x'));
  EXPECT_EQ(Abbreviated(std::string(900000, 'x')), std::string(80, 'x') + "\u2026");
  // Never half a character: the two-byte é at bytes 79-80 is dropped whole.
  EXPECT_EQ(Abbreviated(std::string(79, 'x') + "\u00E9yyy"), std::string(79, 'x') + "\u2026");
}

TEST(TextTest, AsciiSlugsAreValidIdsOrEmpty) {
  EXPECT_EQ(AsciiSlug("Bad_Name"), "bad-name");
  EXPECT_EQ(AsciiSlug("caf\u00E9-menu"), "caf-menu");
  EXPECT_EQ(AsciiSlug("\u041F\u043E\u0438\u0441\u043A search"), "search");
  EXPECT_EQ(AsciiSlug("\u65E5\u672C"), "");
  EXPECT_EQ(AsciiSlug("--"), "");
}

TEST(TextTest, DecodesUtf8) {
  std::string s = "a\u00E9\u202E\U0001F600\xFF";
  EXPECT_EQ(DecodeUtf8(s, 0).cp, 0x61u);
  EXPECT_EQ(DecodeUtf8(s, 1).cp, 0xE9u);
  EXPECT_EQ(DecodeUtf8(s, 1).len, 2u);
  EXPECT_EQ(DecodeUtf8(s, 3).cp, 0x202Eu);
  EXPECT_EQ(DecodeUtf8(s, 6).cp, 0x1F600u);
  EXPECT_EQ(DecodeUtf8(s, 10).len, 0u);
  EXPECT_EQ(DecodeUtf8(s, 2).len, 0u);  // a continuation byte alone
  EXPECT_EQ(FindInvalidUtf8(s), 10u);
}

TEST(TextTest, ShortHashIsFnv1a) {
  EXPECT_EQ(ShortHash(""), "811c9dc5");  // the FNV-1a offset basis
  EXPECT_EQ(ShortHash("a"), "e40c292c");
  EXPECT_NE(ShortHash("State the goal."), ShortHash("State the goal"));
}

TEST(TextTest, ReplaceAllReplacesLeftToRightWithoutRescanning) {
  EXPECT_EQ(ReplaceAll("a-b-c", "-", "--"), "a--b--c");
  EXPECT_EQ(ReplaceAll("aaa", "aa", "b"), "ba");
  EXPECT_EQ(ReplaceAll("x", "y", "z"), "x");
  EXPECT_EQ(ReplaceAll("", "y", "z"), "");
  std::string many(200000, 'q');
  EXPECT_EQ(ReplaceAll(many, "q", "qq").size(), 400000u);
}

}  // namespace
}  // namespace casebook
