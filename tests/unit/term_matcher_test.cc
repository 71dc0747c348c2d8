#include "term_matcher.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace casebook {
namespace {

struct Found {
  std::string text;
  int term;
};

std::vector<Found> All(const TermMatcher& m, const std::string& text) {
  std::vector<Found> out;
  size_t pos = 0;
  while (auto f = m.Find(text, pos, [](int) { return true; })) {
    out.push_back({text.substr(f->begin, f->length), f->term});
    pos = f->begin + f->length;
  }
  return out;
}

TermMatcher Sample() {
  TermMatcher m;
  m.Add("precision", 0);
  m.Add("mean average precision", 1);
  m.Add("AUC", 2);
  m.Add("MAP", 3);
  m.Add("A/B test", 4);
  m.Finish();
  return m;
}

TEST(TermMatcherTest, WholeWordsOnly) {
  auto found = All(Sample(), "imprecision and precisions, precision.");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].text, "precisions");  // plural
  EXPECT_EQ(found[1].text, "precision");
}

TEST(TermMatcherTest, LongestNameWins) {
  auto found = All(Sample(), "We report Mean Average Precision here.");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].term, 1);
  EXPECT_EQ(found[0].text, "Mean Average Precision");
}

TEST(TermMatcherTest, AcronymsMatchOnlyAsWritten) {
  auto found = All(Sample(), "auc is not AUC; a map is not MAP; AUCs, not AUCS");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0].text, "AUC");
  EXPECT_EQ(found[1].text, "MAP");
  EXPECT_EQ(found[2].text, "AUCs");
}

TEST(TermMatcherTest, NamesWithPunctuation) {
  auto found = All(Sample(), "Run an A/B test, then more A/B tests, not a/b tests.");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].text, "A/B tests");
}

TEST(TermMatcherTest, RespectsTheFilter) {
  TermMatcher m = Sample();
  auto f = m.Find("precision and AUC", 0, [](int t) { return t != 0; });
  ASSERT_TRUE(f);
  EXPECT_EQ(f->term, 2);
}

TEST(TermMatcherTest, AnUnwantedLongNameHidesTheShorterOnesInIt) {
  TermMatcher m = Sample();
  // "mean average precision" is already linked: its "precision" is not a
  // mention of precision; the later one is.
  auto f = m.Find("mean average precision, then precision", 0, [](int t) { return t != 1; });
  ASSERT_TRUE(f);
  EXPECT_EQ(f->term, 0);
  EXPECT_EQ(f->begin, 29u);
}

// Names sharing a first word, added in any order: the longest written
// here wins; of a name and its plural, the name written out wins.
TEST(TermMatcherTest, OrderOfAddsDoesNotMatter) {
  for (bool reverse : {false, true}) {
    std::vector<std::pair<std::string, int>> names = {
        {"alpha", 0}, {"alpha beta", 1}, {"alpha beta gamma", 2}, {"alpha betas", 3}};
    if (reverse) std::reverse(names.begin(), names.end());
    TermMatcher m;
    for (const auto& [name, term] : names) m.Add(name, term);
    m.Finish();
    auto found = All(m, "alpha beta gamma, alpha beta, alpha betas, alphas, alpha bet");
    ASSERT_EQ(found.size(), 5u) << reverse;
    EXPECT_EQ(found[0].term, 2);
    EXPECT_EQ(found[1].term, 1);
    EXPECT_EQ(found[2].term, 3);  // "alpha betas" itself, not the plural of "alpha beta"
    EXPECT_EQ(found[3].term, 0);
    EXPECT_EQ(found[4].term, 0);
  }
}

// Many names with one first word: each Add is cheap (sorting them on every
// Add took over 10 s for 10,000), and Find still picks the right one.
TEST(TermMatcherTest, ManyNamesWithOneFirstWord) {
  TermMatcher m;
  for (int i = 1; i <= 20000; ++i) m.Add("alpha beta " + std::to_string(i), i);
  m.Finish();
  auto found = All(m, "alpha beta 19999 and alpha beta 7, alpha beta 0");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].term, 19999);
  EXPECT_EQ(found[1].term, 7);
}

}  // namespace
}  // namespace casebook
