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
}

TEST(TextTest, LineAndColumnOfAnOffset) {
  std::string t = "ab\ncd\nef";
  EXPECT_EQ(LineColumnAt(t, 0).line, 1);
  EXPECT_EQ(LineColumnAt(t, 4).line, 2);
  EXPECT_EQ(LineColumnAt(t, 4).column, 2);
  EXPECT_EQ(LineColumnAt(t, 6).line, 3);
  EXPECT_EQ(LineColumnAt(t, 6).column, 1);
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

TEST(TextTest, ShortHashIsFnv1a) {
  EXPECT_EQ(ShortHash(""), "811c9dc5");  // the FNV-1a offset basis
  EXPECT_EQ(ShortHash("a"), "e40c292c");
  EXPECT_NE(ShortHash("State the goal."), ShortHash("State the goal"));
}

}  // namespace
}  // namespace casebook
