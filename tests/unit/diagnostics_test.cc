#include "diagnostics.h"

#include <gtest/gtest.h>

namespace casebook {
namespace {

TEST(DiagnosticsTest, FormatsLikeACompiler) {
  Diagnostic d{Severity::kError, {"content/a.md", 3, 7}, "unknown step 'x'"};
  EXPECT_EQ(Format(d), "content/a.md:3:7: error: unknown step 'x'");
  d.where.column = 0;
  d.severity = Severity::kWarning;
  EXPECT_EQ(Format(d), "content/a.md:3: warning: unknown step 'x'");
  // A whole file: line 1, column 1, so that editors can still open it.
  d.where.line = 0;
  EXPECT_EQ(Format(d), "content/a.md:1:1: warning: unknown step 'x'");
  // A folder has no line to go to.
  d.where = FolderAt("content/framework");
  EXPECT_EQ(Format(d), "content/framework: warning: unknown step 'x'");
  d.where = {};
  EXPECT_EQ(Format(d), "warning: unknown step 'x'");
}

// A message quotes the content; printed raw, U+202E would reorder the
// terminal line and a BEL or ESC would reach the terminal.
TEST(DiagnosticsTest, EscapesControlAndFormatCharacters) {
  Diagnostic d{Severity::kError, {"content/a\x1b.md", 2, 1},
               "unknown term '\u202Eprecision\u200D' \x07\tok \x7f \u00E9 \xC2\x9B \xFF"};
  EXPECT_EQ(Format(d),
            "content/a\\x1b.md:2:1: error: unknown term '\\u202eprecision\\u200d' \\x07\tok "
            "\\x7f \u00E9 \\u009b \\xff");
  EXPECT_EQ(EscapeForTerminal("line\nbreak \u2066x\u2069 \u00AD"),
            "line\\x0abreak \\u2066x\\u2069 \\u00ad");
}

TEST(DiagnosticsTest, SortsByPlaceAndDropsDuplicates) {
  Diagnostics d;
  d.Error({"b.md", 1, 1}, "late");
  d.Error({"a.md", 9, 1}, "second");
  d.Error({"a.md", 2, 5}, "first");
  d.Error({"a.md", 2, 5}, "first");
  d.Sort();
  ASSERT_EQ(d.all().size(), 3u);
  EXPECT_EQ(d.all()[0].message, "first");
  EXPECT_EQ(d.all()[1].message, "second");
  EXPECT_EQ(d.all()[2].message, "late");
}

TEST(DiagnosticsTest, StrictTurnsWarningsIntoErrors) {
  Diagnostics d;
  d.Warning({"a.md", 1, 1}, "unused");
  EXPECT_FALSE(d.has_errors());
  EXPECT_EQ(d.warnings(), 1);
  d.PromoteWarnings();
  EXPECT_TRUE(d.has_errors());
  EXPECT_EQ(d.warnings(), 0);
}

TEST(DiagnosticsTest, SuggestsTheClosestName) {
  std::vector<std::string> names = {"title", "summary", "checklist", "mistakes"};
  EXPECT_EQ(ClosestMatch("titel", names), "title");
  EXPECT_EQ(ClosestMatch("checklst", names), "checklist");
  EXPECT_EQ(ClosestMatch("zzzzzz", names), "");
  EXPECT_EQ(ClosestMatch("title", names), "");  // exact is not a suggestion
  EXPECT_EQ(DidYouMean("sumary", names), " (did you mean 'summary'?)");
  EXPECT_EQ(DidYouMean("qqq", names), "");
}

TEST(DiagnosticsTest, SuggestionsKeepTheirRules) {
  // A swap of neighbours is one edit; ties go to the first name in order.
  EXPECT_EQ(ClosestMatch("ab", {"ba", "xb"}), "ba");
  EXPECT_EQ(ClosestMatch("abcdef", {"abcxyz", "abcdxy"}), "abcdxy");  // 2 edits of 6 allowed
  EXPECT_EQ(ClosestMatch("abcdef", {"abxyzw"}), "");                  // 4 are too many
  EXPECT_EQ(ClosestMatch("abcdef", {"abcdefgh", "abcdefg"}), "abcdefg");
  EXPECT_EQ(ClosestMatch("abcdef", {"abcdefghi"}), "");  // the lengths alone differ by 3
}

TEST(DiagnosticsTest, SuggestionWorkIsBounded) {
  // 30,000 characters would once have asked for a 7.2 GB matrix.
  std::string heading(30000, 'a'), misspelt = "b" + heading.substr(1);
  EXPECT_EQ(ClosestMatch(misspelt, {heading}), "");
  std::string longest(100, 'a');
  EXPECT_EQ(ClosestMatch(longest, {"b" + longest.substr(1)}), "b" + longest.substr(1));
  EXPECT_EQ(ClosestMatch(longest + "a", {"b" + longest}), "");
  // Beyond 2000 candidates there is no suggestion at all.
  std::vector<std::string> many;
  for (int i = 0; i < 2000; ++i) many.push_back("heading-" + std::to_string(i));
  EXPECT_EQ(ClosestMatch("heading-1x", many), "heading-1");
  many.push_back("heading-x");
  EXPECT_EQ(ClosestMatch("heading-1x", many), "");
}

TEST(DiagnosticsTest, SuggestsFromSetsAndMapsUpToTheCap) {
  std::set<std::string> anchors;
  std::map<std::string, int> ids;
  for (size_t i = 0; i < kMaxSuggestionCandidates; ++i) {
    anchors.insert("h-" + std::to_string(i));
    ids["h-" + std::to_string(i)] = 0;
  }
  EXPECT_EQ(DidYouMean("h-1x", anchors), " (did you mean 'h-1'?)");
  EXPECT_EQ(DidYouMean("h-1x", ids), " (did you mean 'h-1'?)");
  anchors.insert("h-x");
  ids["h-x"] = 0;
  EXPECT_EQ(DidYouMean("h-1x", anchors), "");
  EXPECT_EQ(DidYouMean("h-1x", ids), "");
}

}  // namespace
}  // namespace casebook
