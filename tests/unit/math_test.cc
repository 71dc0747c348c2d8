#include "math.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

TEST(MathTest, BatchInputEscapesTex) {
  std::string xml = MathBatchInput({"a < b & \"c\""});
  EXPECT_NE(xml.find("<f><math b:block=\"a &lt; b &amp; &quot;c&quot;\"/></f>"), std::string::npos);
}

TEST(MathTest, ParsesAnswersInOrder) {
  auto r = ParseMathBatchOutput(
      "<r><f><math><math display=\"block\"><mi>x</mi><mo>-</mo></math></math></f>"
      "<f><math b:block=\"\\frac{\"><error xmlns=\"x\">Missing &quot;}&quot;</error></math></f></r>");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0].ok);
  EXPECT_EQ(r[0].text, "<math display=\"block\"><mi>x</mi><mo>\xE2\x88\x92</mo></math>");
  EXPECT_FALSE(r[1].ok);
  EXPECT_EQ(r[1].text, "Missing \"}\"");
}

// Runs the real blahtexml, as the build does.
TEST(MathTest, ConvertsWithBlahtexmlAndReportsBadFormulas) {
  Diagnostics d;
  auto math = ConvertMath({{"\\frac{TP}{TP+FP}", {"g.yaml", 3, 12}},
                           {"\\frac{a}{", {"g.yaml", 9, 12}},
                           {"\\nosuchcommand{x}", {"g.yaml", 12, 3}},
                           {"\\frac{TP}{TP+FP}", {"other.md", 1, 1}}},
                          d);
  ASSERT_EQ(math.size(), 1u);
  const std::string& ml = math.begin()->second;
  EXPECT_EQ(ml.rfind("<math display=\"block\">", 0), 0u) << ml;
  EXPECT_NE(ml.find("<mfrac>"), std::string::npos);
  EXPECT_EQ(test::FormatAll(d),
            "g.yaml:9:12: error: formula does not convert: Encountered open brace \"{\" "
            "without matching close brace \"}\"\n"
            "g.yaml:12:3: error: formula does not convert: Unrecognised command \"\\nosuchcommand\"\n");
}

}  // namespace
}  // namespace casebook
