// The print page: slugs, the id and link rewriting of each page's content
// (on tricky inputs), and the combined document of a real site.
#include "print_page.h"

#include "parallel.h"

#include <atomic>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "build.h"
#include "render.h"
#include "test_util.h"

namespace casebook {
namespace {

const PrintSlugs kSlugs = {{"index.html", "index"},
                           {"about.html", "about"},
                           {"framework/clarify.html", "framework_clarify"},
                           {"cases/ranking.html", "cases_ranking"},
                           {"glossary/ndcg.html", "glossary_ndcg"}};

std::string OnCase(const std::string& html) {
  return RewriteForPrint(html, "cases/ranking.html", "Search ranking", kSlugs);
}

TEST(PrintPageTest, SlugsComeFromUrlsAndAvoidTheDocumentsOwnIds) {
  EXPECT_EQ(PrintSlug("index.html"), "index");
  EXPECT_EQ(PrintSlug("cases/ad-click.html"), "cases_ad-click");
  EXPECT_EQ(PrintSlug("framework/index.html"), "framework_index");
  EXPECT_EQ(PrintSlug("main.html"), "main_page");
  EXPECT_EQ(PrintUrl(), "print.html");
}

TEST(PrintPageTest, IdsAndIdReferencesArePrefixed) {
  EXPECT_EQ(OnCase("<h2 id=\"scale\">Scale</h2>"), "<h2 id=\"cases_ranking--scale\">Scale</h2>");
  EXPECT_EQ(OnCase("<div aria-labelledby=\"a-title\">"),
            "<div aria-labelledby=\"cases_ranking--a-title\">");
  EXPECT_EQ(OnCase("<label for=\"case/x:1\">"), "<label for=\"cases_ranking--case/x:1\">");
  // Lists: every id of the list, whitespace normalised.
  EXPECT_EQ(OnCase("<a aria-describedby=\" tip-1\ttip-2 \">"),
            "<a aria-describedby=\"cases_ranking--tip-1 cases_ranking--tip-2\">");
  EXPECT_EQ(OnCase("<td headers=\"h1 h2\">"),
            "<td headers=\"cases_ranking--h1 cases_ranking--h2\">");
  // Attributes in any order, single quotes, unquoted values, upper case.
  EXPECT_EQ(OnCase("<input type=checkbox ID=k1 data-key='k1'>"),
            "<input type=checkbox ID=cases_ranking--k1 data-key='k1'>");
  EXPECT_EQ(OnCase("<p class=\"x\" id='y' title=\"id=&quot;z&quot;\">"),
            "<p class=\"x\" id='cases_ranking--y' title=\"id=&quot;z&quot;\">");
}

TEST(PrintPageTest, LandmarkNamesStartWithThePageTitle) {
  // Named by aria-label: the title (escaped) before the name.
  EXPECT_EQ(RewriteForPrint("<section class=\"c\" aria-label=\"Checklist: Data\">",
                            "cases/ranking.html", "Search & rank", kSlugs),
            "<section class=\"c\" aria-label=\"Search &amp; rank \u2014 Checklist: Data\">");
  EXPECT_EQ(OnCase("<ASIDE aria-label='Step 1'>"),
            "<ASIDE aria-label='Search ranking \u2014 Step 1'>");
  // Named by aria-labelledby: the hidden title of the page comes first.
  EXPECT_EQ(OnCase("<section aria-labelledby=\"formula\" id=\"f\">"),
            "<section aria-labelledby=\"cases_ranking-- cases_ranking--formula\" "
            "id=\"cases_ranking--f\">");
  // By role, whichever attribute comes first.
  EXPECT_EQ(OnCase("<div aria-labelledby=\"t\" role=\"region\">"),
            "<div aria-labelledby=\"cases_ranking-- cases_ranking--t\" role=\"region\">");
  EXPECT_EQ(OnCase("<nav aria-label=\"Categories\">"),
            "<nav aria-label=\"Search ranking \u2014 Categories\">");
  // Other names are the element's own: an image, a button, a table.
  for (const char* kept : {"<svg role=\"img\" aria-label=\"Graph\">",
                           "<button aria-label=\"Clear\">", "<div role=\"note\" aria-label=\"n\">"})
    EXPECT_EQ(OnCase(kept), kept);
  EXPECT_EQ(OnCase("<table aria-labelledby=\"t\">"),
            "<table aria-labelledby=\"cases_ranking--t\">");
}

TEST(PrintPageTest, LinksBecomeInDocumentLinks) {
  EXPECT_EQ(OnCase("<a href=\"#metrics\">"), "<a href=\"#cases_ranking--metrics\">");
  EXPECT_EQ(OnCase("<a href=\"#\">"), "<a href=\"#cases_ranking\">");
  EXPECT_EQ(OnCase("<a href=\"../framework/clarify.html\">"), "<a href=\"#framework_clarify\">");
  EXPECT_EQ(OnCase("<a href=\"../glossary/ndcg.html#formula\">"),
            "<a href=\"#glossary_ndcg--formula\">");
  EXPECT_EQ(OnCase("<a href=\"ranking.html#scale\">"), "<a href=\"#cases_ranking--scale\">");
  EXPECT_EQ(OnCase("<a href=\"./../index.html\">"), "<a href=\"#index\">");
  EXPECT_EQ(RewriteForPrint("<a href=\"cases/ranking.html\">", "index.html", "Home", kSlugs),
            "<a href=\"#cases_ranking\">");
}

TEST(PrintPageTest, OtherLinksPointFromTheSiteRoot) {
  // Pages outside the document and media files: relative to print.html.
  EXPECT_EQ(OnCase("<a href=\"../progress.html\">"), "<a href=\"progress.html\">");
  EXPECT_EQ(OnCase("<img src=\"../media/cases/a.svg\" alt=\"\">"),
            "<img src=\"media/cases/a.svg\" alt=\"\">");
  EXPECT_EQ(OnCase("<a href=\"../media/p.pdf?x=1&amp;y=2#page=3\">"),
            "<a href=\"media/p.pdf?x=1&amp;y=2#page=3\">");
  // Plain relative paths, which the rewriter joins to the page's folder
  // without resolving them, and ones it resolves: the same answers.
  EXPECT_EQ(OnCase("<a href=\"notes.txt#\">"), "<a href=\"cases/notes.txt#\">");
  EXPECT_EQ(OnCase("<a href=\"sub/\">"), "<a href=\"cases/sub/\">");
  EXPECT_EQ(OnCase("<a href=\"a//b.html\">"), "<a href=\"cases/a/b.html\">");
  EXPECT_EQ(OnCase("<a href=\"ranking.html?x=1#scale\">"), "<a href=\"#cases_ranking--scale\">");
  // Other hosts and schemes stay as written, and so does a path that
  // climbs above the site.
  for (const char* kept :
       {"<a href=\"https://example.com/a.html#x\">", "<a href=\"mailto:a@b.c\">",
        "<a href=\"/abs/index.html\">", "<a href=\"../../up.html\">"})
    EXPECT_EQ(OnCase(kept), kept);
}

TEST(PrintPageTest, TextThatLooksLikeMarkupIsNotTouched) {
  // Content text is escaped: neither this nor code samples are tags.
  const std::string text =
      "<p>write href=&quot;#x&quot; and id=&quot;y&quot; &lt;a href=\"#z\"&gt;</p>"
      "<pre><code>&lt;details id=&quot;d&quot;&gt;</code></pre>";
  EXPECT_EQ(OnCase(text), text);
  // Comments and doctype-like markup are copied whole.
  EXPECT_EQ(OnCase("<!-- <a href=\"#x\" id=\"y\"> -->"), "<!-- <a href=\"#x\" id=\"y\"> -->");
  // A lone '<' (not from casebook) and a cut-off tag do not derail the scan.
  EXPECT_EQ(OnCase("a < b <p id=\"q\">"), "a < b <p id=\"cases_ranking--q\">");
  EXPECT_EQ(OnCase("<p id=\"q"), "<p id=\"cases_ranking--q");
  EXPECT_EQ(OnCase("<p id="), "<p id=");
  // Words in an alt text or a title are the author's, even when they spell
  // an SVG reference.
  const std::string words = "<img alt=\"chart of url(#a) data\" title=\"url(#b)\">";
  EXPECT_EQ(OnCase(words), words);
}

TEST(PrintPageTest, MathAndInlineSvgKeepWorking) {
  EXPECT_EQ(OnCase("<math display=\"block\"><mi>x</mi><mo>&lt;</mo></math>"),
            "<math display=\"block\"><mi>x</mi><mo>&lt;</mo></math>");
  EXPECT_EQ(OnCase("<svg role=\"img\" aria-labelledby=\"t\"><title id=\"t\">G</title>"
                   "<linearGradient id=\"g\"/><rect fill=\"url(#g)\" style=\"stroke:url(#g)\"/>"
                   "<use href=\"#n\" xlink:href=\"#n\"/></svg>"),
            "<svg role=\"img\" aria-labelledby=\"cases_ranking--t\">"
            "<title id=\"cases_ranking--t\">G</title><linearGradient id=\"cases_ranking--g\"/>"
            "<rect fill=\"url(#cases_ranking--g)\" style=\"stroke:url(#cases_ranking--g)\"/>"
            "<use href=\"#cases_ranking--n\" xlink:href=\"#cases_ranking--n\"/></svg>");
  // A stylesheet is raw text, not markup.
  EXPECT_EQ(OnCase("<style>a[id=\"x\"]{}</style><b id=\"x\">"),
            "<style>a[id=\"x\"]{}</style><b id=\"cases_ranking--x\">");
}

TEST(PrintPageTest, DetailsAreOpened) {
  EXPECT_EQ(OnCase("<details><summary>Show</summary></details>"),
            "<details open><summary>Show</summary></details>");
  EXPECT_EQ(OnCase("<details class=\"a\" open>"), "<details class=\"a\" open>");
  EXPECT_EQ(OnCase("<DETAILS id=\"d\">"), "<DETAILS id=\"cases_ranking--d\" open>");
}

TEST(PrintPageTest, RewritingIsLinearInThePageSize) {
  // 200 000 tags and attributes: a quadratic scan would take minutes.
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<a href=\"#s\" id=\"i\">x</a>";
  std::string out = OnCase(html);
  EXPECT_EQ(out.size(), html.size() + 100000 * 2 * std::string("cases_ranking--").size());
}

TEST(PrintPageTest, CombinedSectionsAreInOrderAndIndependentOfJobs) {
  std::vector<PrintPart> parts = {{"index.html", "Home", "<h1>Home</h1>", true, false},
                                  {"glossary/ndcg.html", "nDCG", "<h2 id=\"a\">a</h2>", false,
                                   true}};
  std::string one = CombineForPrint(parts, 1);
  EXPECT_EQ(one,
            "<section class=\"print-page print-break\" id=\"index\">\n"
            "<span hidden id=\"index--\">Home \u2014</span>\n<h1>Home</h1></section>\n"
            "<section class=\"print-page\" id=\"glossary_ndcg\">\n"
            "<span hidden id=\"glossary_ndcg--\">nDCG \u2014</span>\n"
            "<h2 id=\"glossary_ndcg--a\">a</h2></section>\n");
  EXPECT_EQ(CombineForPrint(parts, 4), one);
}

// With a sink, sections reach it in the parts' order however they are
// made, each once, one call at a time, and the book keeps none of them.
TEST(PrintPageTest, ASinkGetsTheSectionsInOrderAsTheyAreMade) {
  std::vector<std::string> html;  // the parts' views point into it
  for (int i = 0; i < 60; ++i) html.push_back("<p id=\"x\">" + std::to_string(i) + "</p>");
  std::vector<PrintPart> parts;
  for (int i = 0; i < 60; ++i)
    parts.push_back({"p" + std::to_string(i) + ".html", "P" + std::to_string(i),
                     html[static_cast<size_t>(i)], i % 2 == 0, false});
  const std::string whole = CombineForPrint(parts, 1);
  std::string sunk;
  int calls = 0;
  std::atomic<int> inside{0}, overlaps{0};
  PrintBook book(parts, nullptr, [&](std::string_view piece) {
    if (inside.fetch_add(1) != 0) ++overlaps;
    sunk += piece;
    ++calls;
    inside.fetch_sub(1);
  });
  // Made from the last to the first, on four threads: nothing can be sunk
  // until part 0 is made.
  ParallelFor(parts.size(), 4, [&](size_t i) {
    size_t k = parts.size() - 1 - i;
    book.Make(k, parts[k].html);
  });
  EXPECT_TRUE(book.Finish().empty());
  EXPECT_EQ(calls, 60);
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(sunk, whole);
}

// The print page of a real site: every page but the progress page, ids
// unique, and every in-document link lands on an id.
class PrintedSite : public testing::TestWithParam<std::string> {};

std::vector<std::string> AttributeValues(const std::string& html, const std::string& attr) {
  std::vector<std::string> out;
  std::string key = " " + attr + "=\"";
  for (size_t at = html.find(key); at != std::string::npos; at = html.find(key, at + 1)) {
    size_t begin = at + key.size();
    out.push_back(html.substr(begin, html.find('"', begin) - begin));
  }
  return out;
}

std::vector<std::string> SplitWords(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

TEST_P(PrintedSite, HasEveryPageOnceWithUniqueIdsAndWorkingLinks) {
  test::TempDir dir;
  BuildOptions o;
  o.content_dir = test::SourceDir() + "/" + GetParam();
  o.templates_dir = test::SourceDir() + "/templates";
  o.out_dir = dir / "site";
  o.jobs = 2;
  BuildResult r = Build(o);
  ASSERT_FALSE(r.diags.has_errors()) << test::FormatAll(r.diags);
  std::string html = test::ReadFile(dir / "site/print.html");
  std::vector<std::string> ids = AttributeValues(html, "id");
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size()) << "duplicate ids";
  for (const std::string& href : AttributeValues(html, "href"))
    if (href[0] == '#') {
      EXPECT_TRUE(unique.count(href.substr(1))) << href;
    }
  // Landmark names point at ids that exist (the hidden page titles too).
  for (const std::string& list : AttributeValues(html, "aria-labelledby"))
    for (const std::string& id : SplitWords(list)) EXPECT_TRUE(unique.count(id)) << id;
  EXPECT_TRUE(unique.count("cases_ranking") || unique.count("index"));
  EXPECT_EQ(html.find("id=\"progress\""), std::string::npos);
  EXPECT_EQ(html.find("<details>"), std::string::npos);
}

std::string SiteName(const testing::TestParamInfo<std::string>& param) {
  return param.index == 0 ? "golden" : "guide";
}
INSTANTIATE_TEST_SUITE_P(Sites, PrintedSite,
                         testing::Values("tests/golden/basic/content", "content"), SiteName);

TEST(PrintPageTest, PrintDataHasAllOfItsShape) {
  std::vector<PrintPart> parts = {{"index.html", "Home", "", true, false},
                                  {"framework/index.html", "Framework", "", true, false},
                                  {"framework/a.html", "A", "", true, true}};
  SiteConfig site;
  site.title = "T";
  TemplateData d = PrintData(site, parts, "<p>body</p>");
  for (const char* name : {"site", "page", "contents", "body"}) EXPECT_TRUE(d.get(name));
  const auto& groups = d.get("contents")->list_value();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[1].get("url")->string_value(), "#framework_index");
  EXPECT_EQ(groups[1].get("pages")->list_value().at(0).get("url")->string_value(),
            "#framework_a");
  EXPECT_TRUE(groups[1].get("has_pages")->is_true());
  EXPECT_FALSE(groups[0].get("has_pages")->is_true());
  EXPECT_TRUE(RenderShapes().count("print"));
}

}  // namespace
}  // namespace casebook
