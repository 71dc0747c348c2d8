#include "markdown.h"

#include <gtest/gtest.h>

#include <thread>

#include "test_util.h"

namespace casebook {
namespace {

Fragment Make(const std::string& src, int line = 1) {
  Fragment f;
  f.source = src;
  f.at = {"p.md", line, 1};
  Diagnostics d;
  ParseMarkdown(f, d);
  EXPECT_EQ(test::FormatAll(d), "");
  int n = 0;
  for (Heading& h : f.headings) h.id = "h" + std::to_string(n++);
  return f;
}

// A context that keeps URLs, links terms 0 ("precision") and 1 ("AUC"), and
// records what it saw.
struct Recorder {
  TermMatcher terms;
  std::vector<std::pair<std::string, SourceLocation>> links;
  std::vector<std::pair<int, int>> mentions;
  std::map<std::string, std::string> math = {{"x^2", "<math>X</math>"}};
  int serial = 0;
  LinkContext ctx;
  Recorder() {
    terms.Add("precision", 0);
    terms.Add("AUC", 1);
    terms.Finish();
    ctx.resolve = [this](const std::string& url, bool, const SourceLocation& at) {
      links.push_back({url, at});
      return LinkContext::Target{url == "term:auc" ? "auc.html" : url, url == "term:auc" ? 1 : -1};
    };
    ctx.terms = &terms;
    ctx.term_open = [](int t, int n, std::string& out) {
      out += "<T" + std::to_string(t) + "." + std::to_string(n) + ">";
    };
    ctx.term_close = [](int, int, std::string& out) { out += "</T>"; };
    ctx.on_mention = [this](int t, int s) { mentions.push_back({t, s}); };
    ctx.math = &math;
    ctx.serial = &serial;
    ctx.linked = [this](int section) -> std::set<int>& { return linked[section]; };
  }
  std::map<int, std::set<int>> linked;
};

std::string Render(const std::string& src, Diagnostics& d, Recorder& r) {
  Fragment f = Make(src);
  RenderMarkdown(f, r.ctx, d);
  return f.Html();
}

TEST(MarkdownTest, SafeModeDropsRawHtmlAndScriptUrls) {
  Recorder r;
  Diagnostics d;
  std::string html = Render(
      "<script>alert(1)</script>\n\nHi <b onclick=x>there</b> [x](javascript:alert(1)) "
      "![i](data:text/html,x)\n",
      d, r);
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("onclick"), std::string::npos) << html;
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_EQ(html.find("data:"), std::string::npos) << html;
  EXPECT_EQ(html.find("raw HTML omitted"), std::string::npos) << html;
  EXPECT_EQ(d.warnings(), 3) << test::FormatAll(d);
}

TEST(MarkdownTest, GfmExtensionsAreOn) {
  Recorder r;
  Diagnostics d;
  std::string html = Render("|a|b|\n|-|-|\n|1|2|\n\n~~old~~ www.example.com\n\n- [x] done\n\nx[^1]\n\n[^1]: note\n", d, r);
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_NE(html.find("<del>old</del>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"http://www.example.com\">"), std::string::npos);
  EXPECT_NE(html.find("type=\"checkbox\" checked"), std::string::npos);
  EXPECT_NE(html.find("class=\"footnotes\""), std::string::npos);
}

// A task list's boxes are named, or screen readers (and axe) report an
// unlabelled form control for every "- [x]".
TEST(MarkdownTest, TaskListBoxesHaveANameAndTextCannotForgeOne) {
  Recorder r;
  Diagnostics d;
  // The second item's text spells the extension's markup: it stays text.
  std::string html = Render(
      "- [x] shipped\n- [ ] write \\<input type=\"checkbox\" disabled=\"\" />\n", d, r);
  EXPECT_NE(html.find("<input type=\"checkbox\" checked=\"\" disabled=\"\" "
                      "aria-label=\"Done\" /> shipped"),
            std::string::npos) << html;
  EXPECT_NE(html.find("<input type=\"checkbox\" disabled=\"\" aria-label=\"To do\" /> write"),
            std::string::npos) << html;
  EXPECT_EQ(html.find("aria-label", html.find("write")), std::string::npos) << html;
}

TEST(MarkdownTest, HeadingsGetIdsAndSplitSections) {
  Recorder r;
  Diagnostics d;
  Fragment f = Make("Intro\n\n## One\n\nA\n\n### Sub\n\n## Two\n\nB\n");
  ASSERT_EQ(f.headings.size(), 3u);
  EXPECT_EQ(f.headings[1].level, 3);
  EXPECT_EQ(f.headings[1].title, "Sub");
  EXPECT_EQ(f.headings[2].at.line, 9);
  RenderMarkdown(f, r.ctx, d);
  ASSERT_EQ(f.sections.size(), 3u);
  EXPECT_EQ(f.sections[0], "<p>Intro</p>\n");
  EXPECT_EQ(f.sections[1].rfind("<h2 id=\"h0\">", 0), 0u) << f.sections[1];
  EXPECT_NE(f.sections[1].find("<h3 id=\"h1\">"), std::string::npos);
  EXPECT_EQ(f.sections[2].rfind("<h2 id=\"h2\">", 0), 0u);
}

TEST(MarkdownTest, LinksTheFirstMentionPerSectionOutsideCodeLinksAndHeadings) {
  Recorder r;
  Diagnostics d;
  std::string html = Render(
      "# Precision\n\n`precision` then precision and precision.\n\n"
      "## Next\n\n[precision](x.html) is linked, AUC too; precision again.\n",
      d, r);
  EXPECT_NE(html.find("<code>precision</code> then <T0.0>precision</T> and precision."),
            std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"x.html\">precision</a> is linked, <T1.1>AUC</T> too; "
                      "<T0.2>precision</T> again."), std::string::npos) << html;
  EXPECT_NE(html.find(">\nPrecision\n<a class=\"anchor\""), std::string::npos) << html;
  std::vector<std::pair<int, int>> want = {{0, 0}, {1, 1}, {0, 1}};
  EXPECT_EQ(r.mentions, want);
}

// cmark-gfm's table cells refuse custom nodes; terms there must still link
// and keep their text.
TEST(MarkdownTest, LinksTermsInsideTableCells) {
  Recorder r;
  Diagnostics d;
  std::string html = Render("| Metric | Note |\n|---|---|\n| AUC | with precision |\n", d, r);
  EXPECT_NE(html.find("<td><T1.0>AUC</T></td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>with <T0.1>precision</T></td>"), std::string::npos) << html;
}

TEST(MarkdownTest, LinksATermWrittenAcrossTwoLines) {
  Recorder r;
  r.terms.Add("mean average precision", 2);
  r.terms.Finish();
  Diagnostics d;
  std::string html = Render("We report mean average\nprecision here.\n", d, r);
  EXPECT_NE(html.find("We report <T2.0>mean average precision</T> here."), std::string::npos) << html;
}

TEST(MarkdownTest, ExplicitTermLinksCountAsTheMention) {
  Recorder r;
  Diagnostics d;
  std::string html = Render("See [the area](term:auc); AUC is defined there.\n", d, r);
  EXPECT_NE(html.find("<a href=\"auc.html\">the area</a>; AUC is"), std::string::npos) << html;
}

TEST(MarkdownTest, ReportsLinkPositionsInTheFile) {
  Recorder r;
  Diagnostics d;
  Fragment f = Make("Line one.\nSee [x](step:a) here.\n", 10);
  RenderMarkdown(f, r.ctx, d);
  ASSERT_EQ(r.links.size(), 1u);
  EXPECT_EQ(r.links[0].second.line, 11);
  EXPECT_EQ(r.links[0].second.column, 5);
}

TEST(MarkdownTest, YamlFieldPositions) {
  Fragment plain;
  plain.at = {"g.yaml", 4, 15};
  EXPECT_EQ(FileLocation(plain, 1, 3).column, 17);
  Fragment block;
  block.at = {"g.yaml", 4, 15};
  block.block = true;
  block.indent = 4;
  SourceLocation at = FileLocation(block, 2, 3);
  EXPECT_EQ(at.line, 6);
  EXPECT_EQ(at.column, 7);
}

TEST(MarkdownTest, InlineFragmentsLoseTheParagraph) {
  Recorder r;
  Diagnostics d;
  Fragment f = Make("State the *goal*.");
  f.is_inline = true;
  RenderMarkdown(f, r.ctx, d);
  EXPECT_EQ(f.Html(), "State the <em>goal</em>.");
}

TEST(MarkdownTest, MathBlocksBecomeMathMl) {
  Recorder r;
  Diagnostics d;
  Fragment f = Make("```math\nx^2\n```\n\n```math\n\\bad{\n```\n");
  auto found = CollectMath(f);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].first, "x^2");
  EXPECT_EQ(found[1].second.line, 5);
  RenderMarkdown(f, r.ctx, d);
  EXPECT_NE(f.Html().find("<div class=\"math-display\"><math>X</math></div>"), std::string::npos);
  EXPECT_NE(f.Html().find("<code class=\"language-math\">\\bad{"), std::string::npos);
}

TEST(MarkdownTest, PlainTextForTooltips) {
  Fragment f = Make("The *share* of `TP`\nover all.\n\nSecond.");
  EXPECT_EQ(PlainText(f), "The share of TP over all. Second.");
}

// cmark-gfm 0.29.0.gfm.6 keeps inline-parser state in a global; parsing on
// two threads at once changes output unless ParseMarkdown serializes it.
TEST(MarkdownTest, ParsingFromTwoThreadsMatchesSerialOutput) {
  const std::string doc =
      "Visit www.example.com/teams/billing or ~~this~~ *now*.\n\n|a|b|\n|-|-|\n|1|2|\n\n"
      "- [ ] task with https://example.org/x and a@b.co\n";
  auto render = [&] {
    Recorder r;
    Diagnostics d;
    Fragment f;
    f.source = doc;
    ParseMarkdown(f, d);
    RenderMarkdown(f, r.ctx, d);
    return f.Html();
  };
  const std::string expected = render();
  std::atomic<int> mismatches{0};
  auto worker = [&] {
    for (int i = 0; i < 400; ++i)
      if (render() != expected) ++mismatches;
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  EXPECT_EQ(mismatches.load(), 0);
}

// The queue parses each fragment exactly as ParseMarkdown does, whichever
// thread adds it and whichever thread ends up feeding the parser; a refused
// table is reported to the diagnostics given with the fragment.
TEST(MarkdownTest, AParseQueueFromSeveralThreadsMatchesParseMarkdown) {
  std::string wide = "|";
  for (int i = 0; i < 101; ++i) wide += "c|";
  wide += "\n|";
  for (int i = 0; i < 101; ++i) wide += "-|";
  const std::vector<std::string> docs = {
      "# One\n\nVisit www.example.com or ~~this~~.\n\n## Two\n\n|a|b|\n|-|-|\n|1|2|\n",
      "- [ ] task with https://example.org/x\n\n### Three `code`\n", wide + "\n", "Plain *text*.\n"};
  auto parse_alone = [&](const std::string& src, std::string& report) {
    Recorder r;
    Diagnostics d;
    Fragment f;
    f.source = src;
    f.at = {"p.md", 3, 1};
    ParseMarkdown(f, d);
    std::string heads;
    for (const Heading& h : f.headings) heads += h.title + "@" + std::to_string(h.at.line) + ";";
    report = test::FormatAll(d);
    RenderMarkdown(f, r.ctx, d);
    return heads + f.Html();
  };
  std::vector<std::string> expected(docs.size()), expected_reports(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) expected[i] = parse_alone(docs[i], expected_reports[i]);
  ASSERT_NE(expected_reports[2], "");

  constexpr int kPerThread = 200;
  std::vector<Fragment> fragments(4 * kPerThread);
  std::vector<Diagnostics> reported(fragments.size());
  ParseQueue queue;
  auto worker = [&](int t) {
    for (int i = 0; i < kPerThread; ++i) {
      size_t k = t * kPerThread + i;
      fragments[k].source = docs[k % docs.size()];
      fragments[k].at = {"p.md", 3, 1};
      queue.Add(fragments[k], reported[k]);
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(worker, t);
  for (std::thread& t : threads) t.join();
  queue.Finish();
  int mismatches = 0;
  for (size_t k = 0; k < fragments.size(); ++k) {
    Fragment& f = fragments[k];
    EXPECT_TRUE(f.parsed);
    EXPECT_EQ(test::FormatAll(reported[k]), expected_reports[k % docs.size()]);
    std::string heads;
    for (const Heading& h : f.headings) heads += h.title + "@" + std::to_string(h.at.line) + ";";
    Recorder r;
    Diagnostics d;
    RenderMarkdown(f, r.ctx, d);
    if (heads + f.Html() != expected[k % docs.size()]) ++mismatches;
  }
  EXPECT_EQ(mismatches, 0);
}

std::string TableErrors(const std::string& src, int line = 1) {
  Fragment f;
  f.source = src;
  f.at = {"p.md", line, 1};
  Diagnostics d;
  ParseMarkdown(f, d);
  if (d.has_errors()) {
    EXPECT_EQ(f.tree, nullptr);
  }
  return test::FormatAll(d);
}

std::string Row(const std::string& cell, int n) {
  std::string out = "|";
  for (int i = 0; i < n; ++i) out += cell + "|";
  return out + "\n";
}

// cmark-gfm pads every row to the header's width: a wide header over many
// short rows took gigabytes, so such tables are refused before parsing.
TEST(MarkdownTest, RefusesTablesTooLargeForCmark) {
  EXPECT_EQ(TableErrors("Intro.\n\n" + Row(" a ", 1000) + Row("---", 1000) + "x\nx\n", 10),
            "p.md:12:1: error: table has 1000 columns; tables may have at most 100\n");
  EXPECT_EQ(TableErrors(Row("a", 100) + Row(":-:", 100) + "x\n"), "");
  std::string rows;
  for (int i = 0; i < 1000; ++i) rows += "> x\n";
  EXPECT_EQ(TableErrors("> " + Row("a", 100) + "> " + Row("-", 100) + rows),
            "p.md:1:3: error: table has 1000 rows of 100 columns (100200 cells); "
            "tables may have at most 100000 cells\n");
  EXPECT_EQ(TableErrors("- " + Row("a", 2) + "  " + Row("-", 2) + Row("x", 101)),
            "p.md:3:1: error: table row has 101 cells; tables may have at most 100 columns\n");
  // A blank line ends a table: many small tables are fine...
  std::string small;
  for (int i = 0; i < 1333; ++i) small += Row("a", 50) + Row("-", 50) + "x\n\n";
  EXPECT_EQ(TableErrors(small), "");
  // ...up to a budget for the whole fragment, refused at the table over it.
  small += Row("a", 50) + Row("-", 50) + "x\n\n";
  EXPECT_EQ(TableErrors(small),
            "p.md:5333:1: error: tables on this page would have 200100 cells once padded; "
            "at most 200000\n");
}

TEST(MarkdownTest, TablesInCodeAreNotCounted) {
  std::string wide = "h|h\n" + Row("-", 1000);
  EXPECT_EQ(TableErrors("```md\n" + wide + "```\n"), "");
  EXPECT_EQ(TableErrors("~~~~\n" + wide + "~~~\nstill code\n~~~~\n"), "");
  EXPECT_EQ(TableErrors("Text.\n\n    h|h\n    " + Row("-", 1000)), "");
  EXPECT_EQ(TableErrors("> ```\n> " + wide), "");
  // Where the code ends, counting starts again.
  EXPECT_EQ(TableErrors("```\ncode\n```\n" + wide),
            "p.md:4:1: error: table has 1000 columns; tables may have at most 100\n");
  EXPECT_EQ(TableErrors("> ```\n\n" + wide),  // the quote, and its fence, ended
            "p.md:3:1: error: table has 1000 columns; tables may have at most 100\n");
  EXPECT_EQ(TableErrors("- ```\n\n" + wide),  // so did the list item
            "p.md:3:1: error: table has 1000 columns; tables may have at most 100\n");
  // In a list, indented lines are the item's text, not code.
  EXPECT_EQ(TableErrors("1. Item\n\n    h|h\n    " + Row("-", 1000)),
            "p.md:3:5: error: table has 1000 columns; tables may have at most 100\n");
}

TEST(MarkdownTest, ATableErrorIsReportedInItsFile) {
  Fragment f;
  f.source = "x\n" + Row("a", 200) + Row("-", 200);
  f.at = {"g.yaml", 7, 3};
  f.block = true;
  f.indent = 4;
  Diagnostics d;
  ParseMarkdown(f, d);
  EXPECT_EQ(test::FormatAll(d),
            "g.yaml:9:5: error: table has 200 columns; tables may have at most 100\n");
  RenderMarkdown(f, Recorder().ctx, d);
  EXPECT_EQ(f.Html(), "");
}

}  // namespace
}  // namespace casebook
