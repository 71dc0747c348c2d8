// The search index: how a page's rendered content becomes sections, what is
// left out, how the data is escaped, and which pages of a real site it has.
#include "search_index.h"

#include <gtest/gtest.h>

#include "build.h"
#include "render.h"
#include "test_util.h"

namespace casebook {
namespace {

std::string Show(const std::vector<SearchSection>& sections) {
  std::string out;
  for (const SearchSection& s : sections)
    out += "[" + s.anchor + "|" + s.heading + "|" + s.text + "]";
  return out;
}

std::string Sections(const std::string& html) { return Show(SearchSections(html)); }

TEST(SearchIndexTest, HeadingsUpToH3StartSections) {
  EXPECT_EQ(Sections("<p>Kicker</p><h1>Title</h1><p>Lead.</p>"
                     "<h2 id=\"a\">Alpha <em>one</em></h2><p>Text a.</p>"
                     "<h3 id=\"b\">Beta</h3><p>Text b.</p><h4 id=\"c\">Gamma</h4><p>More b.</p>"),
            "[||Kicker Lead.][a|Alpha one|Text a.][b|Beta|Text b. Gamma More b.]");
}

TEST(SearchIndexTest, AGeneratedSectionIsLinkedByItsOwnId) {
  EXPECT_EQ(Sections("<section id=\"metrics\" aria-labelledby=\"metrics-title\">"
                     "<h2 id=\"metrics-title\">Metrics</h2><p>m</p>"
                     "<h3 id=\"sub\">Sub</h3><p>s</p></section>"),
            "[metrics|Metrics|m][sub|Sub|s]");
  // A section without an id leaves the heading's.
  EXPECT_EQ(Sections("<section class=\"x\"><h2 id=\"h\">H</h2></section>"), "[h|H|]");
}

TEST(SearchIndexTest, BlocksSeparateWordsAndInlineElementsDoNot) {
  EXPECT_EQ(Sections("<p>one</p><p>two</p><ul><li>th<strong>ree</strong></li><li>four</li></ul>"),
            "[||one two three four]");
  EXPECT_EQ(Sections("<p>a\n\n   b<br>c</p>"), "[||a b c]");
}

TEST(SearchIndexTest, WhatIsNotReadingMatterIsLeftOut) {
  EXPECT_EQ(Sections("<p><span class=\"term\"><a href=\"x\">NE</a><span class=\"tip\" "
                     "role=\"tooltip\">Normalized <b>entropy</b>.</span></span> stays</p>"),
            "[||NE stays]");
  EXPECT_EQ(Sections("<p>x <math><mi>p</mi></math> y</p><svg><text>node</text></svg>"
                     "<h2 id=\"h\">H<a class=\"anchor\" aria-hidden=\"true\">#</a></h2>"
                     "<section data-nosearch><p>used in</p></section><p>z</p>"
                     "<button>Clear</button><script>var a;</script>"),
            "[||x y][h|H|z]");
  // An empty section is left out.
  EXPECT_EQ(Sections("<h2 id=\"e\"><a class=\"anchor\" aria-hidden='true'>#</a></h2>"), "");
}

TEST(SearchIndexTest, AHeadingWithoutAnIdIsTextOfItsSection) {
  // Nothing could link to it, so it starts no section (and no second lead).
  EXPECT_EQ(Sections("<h1>Home</h1><p>Lead.</p><h3>Group</h3><p>Cards.</p>"
                     "<h2 id=\"a\">A</h2><h3>Sub</h3><p>t</p>"),
            "[||Lead. Group Cards.][a|A|Sub t]");
}

TEST(SearchIndexTest, AttributesAreReadAsABrowserReadsThem) {
  // A name inside another attribute's quoted value is not an attribute.
  EXPECT_EQ(Sections("<p>Read <a title=\"why data-nosearch matters\" href=\"x\">this</a> now.</p>"
                     "<section aria-label=\"a data-nosearch b\"><p>kept</p></section>"
                     "<p class=\"not-tip\" data-x=\" class=tip\">also kept</p>"),
            "[||Read this now. kept also kept]");
  // Unquoted, single-quoted and upper-case ones are read too.
  EXPECT_EQ(Sections("<section DATA-NOSEARCH><p>gone</p></section><p class=tip>gone</p>"
                     "<span class='x tip'>gone</span><p>left</p>"),
            "[||left]");
}

TEST(SearchIndexTest, StrayEndTagsCostNothing) {
  // An end tag with no open element of its name is ignored, not searched for
  // down the stack: 20,000 open spans and 20,000 stray </b> stay linear.
  std::string html = "<p>";
  for (int i = 0; i < 20000; ++i) html += "<span>";
  html += "x";
  for (int i = 0; i < 20000; ++i) html += "</b>";
  html += "</p>";
  EXPECT_EQ(Sections(html), "[||x]");
}

TEST(SearchIndexTest, EntitiesAreDecoded) {
  EXPECT_EQ(Sections("<p>A&amp;B &lt;x&gt; &quot;q&quot; &#39;s &#x2264; &#8805; &bogus; & x</p>"),
            "[||A&B <x> \"q\" 's \u2264 \u2265 &bogus; & x]");
}

TEST(SearchIndexTest, CommentsAndQuotedAngleBracketsDoNotConfuseTheScanner) {
  EXPECT_EQ(Sections("<!-- <h2 id=\"no\">No</h2> --><p title=\"a > b\">text</p>"),
            "[||text]");
}

// The whole index of a real site: the golden fixture.
class SearchIndexSiteTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    Diagnostics diags;
    linked_ = LinkContent(test::SourceDir() + "/tests/golden/basic/content", "", 2, diags)
                  .release();
    ASSERT_FALSE(diags.has_errors()) << test::FormatAll(diags);
    Diagnostics tdiags;
    Templates t = LoadTemplates(test::SourceDir() + "/templates", RenderShapes(), tdiags);
    std::string lunr = "/* lunr */";
    for (const OutputFile& f : RenderSite(linked_->site, linked_->map, t, &lunr, 2)) {
      if (f.path == SearchIndexUrl()) script_ = new std::string(f.content);
      if (f.path == SearchLibraryUrl()) library_ = new std::string(f.content);
    }
  }
  static LinkedSite* linked_;
  static std::string* script_;
  static std::string* library_;
};
LinkedSite* SearchIndexSiteTest::linked_ = nullptr;
std::string* SearchIndexSiteTest::script_ = nullptr;
std::string* SearchIndexSiteTest::library_ = nullptr;

TEST_F(SearchIndexSiteTest, HoldsTheReadingPagesAndNotTheirViews) {
  ASSERT_NE(script_, nullptr);
  ASSERT_NE(library_, nullptr);
  EXPECT_EQ(*library_, "/* lunr */");
  EXPECT_EQ(script_->rfind("// Generated by casebook", 0), 0u);
  EXPECT_NE(script_->find("[\"cases/ranking.html\","), std::string::npos);
  EXPECT_NE(script_->find("[\"framework/clarify.html\","), std::string::npos);
  EXPECT_NE(script_->find("[\"glossary/ndcg.html\",\"nDCG\",\"Glossary\"]"), std::string::npos);
  for (const char* view : {"sheets/", "progress.html", "cases/index.html", "cases/compare.html",
                           "glossary/index.html", "print.html", "404.html"})
    EXPECT_EQ(script_->find(std::string("[\"") + view), std::string::npos) << view;
}

TEST_F(SearchIndexSiteTest, TheVersionNamesTheDataAndTheClient) {
  std::vector<std::string> contents(linked_->map.pages.size());
  auto version = [&](std::string_view client) {
    std::string s = SearchIndexScript(linked_->site, linked_->map, contents, client);
    size_t at = s.find("\"version\": \"");
    return at == std::string::npos ? std::string() : s.substr(at + 12, 8);
  };
  EXPECT_EQ(version("a").size(), 8u);
  EXPECT_EQ(version("a"), version("a"));
  EXPECT_NE(version("a"), version("b"));
}

TEST_F(SearchIndexSiteTest, ATermsLeadCarriesItsNames) {
  const Term* ndcg = nullptr;
  for (const Term& t : linked_->site.terms)
    if (t.id == "ndcg") ndcg = &t;
  ASSERT_NE(ndcg, nullptr);
  ASSERT_FALSE(ndcg->aliases.empty());
  std::string names = ndcg->term;
  for (const std::string& a : ndcg->aliases) names += " \u00b7 " + a;
  EXPECT_NE(script_->find(",\"" + names + "\"]"), std::string::npos) << names;
}

TEST_F(SearchIndexSiteTest, IsTheSameWhateverTheThreadCount) {
  Diagnostics tdiags;
  Templates t = LoadTemplates(test::SourceDir() + "/templates", RenderShapes(), tdiags);
  std::string lunr = "x";
  int found = 0;
  for (const OutputFile& f : RenderSite(linked_->site, linked_->map, t, &lunr, 1)) {
    if (f.path == SearchIndexUrl()) {
      ++found;
      EXPECT_EQ(f.content, *script_);
    }
  }
  EXPECT_EQ(found, 1);
}

TEST_F(SearchIndexSiteTest, WithoutALibraryThereIsNoSearch) {
  Diagnostics tdiags;
  Templates t = LoadTemplates(test::SourceDir() + "/templates", RenderShapes(), tdiags);
  int pages = 0;
  for (const OutputFile& f : RenderSite(linked_->site, linked_->map, t, nullptr, 2)) {
    EXPECT_NE(f.path, SearchIndexUrl());
    EXPECT_NE(f.path, SearchLibraryUrl());
    if (f.path.size() > 5 && f.path.compare(f.path.size() - 5, 5, ".html") == 0) {
      ++pages;
      EXPECT_EQ(f.content.find("data-search"), std::string::npos) << f.path;
      EXPECT_EQ(f.content.find("assets/search.js"), std::string::npos) << f.path;
    }
  }
  EXPECT_GT(pages, 10);
}

// Text that could end the string, the script or a line is escaped.
TEST(SearchIndexScriptTest, ContentCannotBreakOutOfTheData) {
  Diagnostics diags;
  test::TempDir tmp;
  // A one-page site whose page says dangerous things.
  test::WriteFile(tmp / "c/site.yaml", "title: S\ndescription: D\n");
  test::WriteFile(tmp / "c/framework/01-step.md",
                  "---\ntitle: Step\nsummary: S.\nchecklist:\n  - id: a\n    text: Do it.\n"
                  "---\nBody.\n");
  test::WriteFile(tmp / "c/pages/index.md",
                  "---\ntitle: Home\n---\n`</script><script>alert(1)</script>` \"q\" \\ "
                  "\u2028 \u2029 &amp; end\n");
  auto linked = LinkContent(tmp / "c", "", 1, diags);
  ASSERT_FALSE(diags.has_errors()) << test::FormatAll(diags);
  Diagnostics tdiags;
  Templates t = LoadTemplates(test::SourceDir() + "/templates", RenderShapes(), tdiags);
  std::string script;
  std::string lunr = "x";
  for (const OutputFile& f : RenderSite(linked->site, linked->map, t, &lunr, 1))
    if (f.path == SearchIndexUrl()) script = f.content;
  ASSERT_FALSE(script.empty());
  EXPECT_EQ(script.find("</script"), std::string::npos);
  EXPECT_EQ(script.find('<', script.find("window.")), std::string::npos);
  EXPECT_EQ(script.find("\u2028"), std::string::npos);
  EXPECT_EQ(script.find("\u2029"), std::string::npos);
  EXPECT_NE(script.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"), std::string::npos);
  EXPECT_NE(script.find("\\\"q\\\" \\\\ \\u2028 \\u2029 \\u0026 end"), std::string::npos);
}

}  // namespace
}  // namespace casebook
