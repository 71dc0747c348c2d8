#include "templates.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <gtest/gtest.h>

#include "page_data.h"
#include "render.h"
#include "test_util.h"

namespace casebook {
namespace {

// A copy of the project's templates that a test can break.
std::string CopyTemplates(const test::TempDir& dir) {
  std::filesystem::copy(test::SourceDir() + "/templates", dir / "t",
                        std::filesystem::copy_options::recursive);
  return dir / "t";
}

// Pages must not change by a byte: the templates' escaper writes what
// kainjow's own would, for every special character, alone, at either end,
// in runs and between UTF-8 text.
TEST(TemplatesTest, TemplateEscapeWritesWhatKainjowWould) {
  const std::vector<std::string> values = {
      "", "plain", "&", "<>", "\"'\"", "a&b<c>d\"e'f", "&&&&", "end&", "&start",
      "caf\xC3\xA9 <b> \xE2\x80\x94 'q'", std::string("nul\0&", 5), std::string(300, '<')};
  for (const std::string& v : values) {
    EXPECT_EQ(TemplateEscape(v), kainjow::mustache::html_escape(v)) << v;
    std::string appended = "x";
    AppendTemplateEscaped(v, appended);
    EXPECT_EQ(appended, "x" + kainjow::mustache::html_escape(v)) << v;
  }
}

TEST(TemplatesTest, TheProjectTemplatesLoad) {
  Diagnostics d;
  Templates t = LoadTemplates(test::SourceDir() + "/templates", TemplateShapes(), d);
  EXPECT_EQ(test::FormatAll(d), "");
  EXPECT_EQ(t.pages.size(), TemplateShapes().size());
  EXPECT_TRUE(t.assets.count("casebook.css"));
  EXPECT_TRUE(t.assets.count("casebook.js"));
}

// The cache keeps the templates while no file under the folder changes:
// an edit to a partial or an asset, or a new file, loads them again, and a
// load with errors is not kept (its errors come again).
TEST(TemplatesTest, TheCacheKeepsTemplatesUntilAFileChanges) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  TemplateCache cache;
  Diagnostics d;
  auto first = LoadTemplates(t, TemplateShapes(), d, &cache);
  ASSERT_EQ(test::FormatAll(d), "");
  EXPECT_EQ(LoadTemplates(t, TemplateShapes(), d, &cache), first);
  std::string partial = test::ReadFile(t + "/partials/checklist.html");
  test::WriteFile(t + "/partials/checklist.html", partial + "\n");
  auto second = LoadTemplates(t, TemplateShapes(), d, &cache);
  EXPECT_NE(second, first);
  test::WriteFile(t + "/assets/extra.txt", "x");
  auto third = LoadTemplates(t, TemplateShapes(), d, &cache);
  EXPECT_NE(third, second);
  EXPECT_TRUE(third->assets.count("extra.txt"));
  EXPECT_EQ(test::FormatAll(d), "");
  test::WriteFile(t + "/home.html", "<p>\n{{/items}}</p>\n");
  for (int i = 0; i < 2; ++i) {
    Diagnostics broken;
    LoadTemplates(t, TemplateShapes(), broken, &cache);
    EXPECT_NE(test::FormatAll(broken).find("Unopened section"), std::string::npos) << i;
  }
}

TEST(TemplatesTest, ErrorsHaveLineAndColumn) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  test::WriteFile(t + "/page.html", "<article>\n  {{#body}}\n  <p>x</p>\n</article>\n");
  test::WriteFile(t + "/home.html", "<p>\n{{/items}}</p>\n");
  test::WriteFile(t + "/term.html", "<p>{{> nosuch}}</p>\n<p>{{> checklst}}</p>\n");
  Diagnostics d;
  LoadTemplates(t, TemplateShapes(), d);
  std::string out = test::FormatAll(d);
  EXPECT_NE(out.find("t/home.html:2:1: error: template: Unopened section \"items\""), std::string::npos) << out;
  EXPECT_NE(out.find("t/page.html:2:3: error: template: Unclosed section \"body\""), std::string::npos) << out;
  EXPECT_NE(out.find("t/term.html:1:4: error: template: no partial 'nosuch' in partials/"), std::string::npos) << out;
  EXPECT_NE(out.find("t/term.html:2:4: error: template: no partial 'checklst' in partials/ (did you mean 'checklist'?)"),
            std::string::npos) << out;
}

TEST(TemplatesTest, ALongErrorMessageIsPlaced) {
  // kainjow's message quotes the 60,000-character name; splitting off its
  // " at <offset>" ending used a regex that overflowed the stack.
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  std::string name(60000, 'x');
  test::WriteFile(t + "/page.html", "<p>\n  {{#" + name + "}}</p>\n");
  Diagnostics d;
  LoadTemplates(t, TemplateShapes(), d);
  std::string out = test::FormatAll(d);
  EXPECT_NE(out.find("t/page.html:2:3: error: template: Unclosed section \"xxx"), std::string::npos)
      << out.substr(0, 300);
}

TEST(TemplatesTest, PartialsThatMultiplyAreRefused) {
  // Each partial includes the next 50 times: 50^6 copies, about 10^10
  // bytes, once took minutes to check and inline.
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  for (int i = 1; i <= 6; ++i) {
    std::string text;
    for (int k = 0; k < 50; ++k) text += "{{> p" + std::to_string(i + 1) + "}}";
    test::WriteFile(t + "/partials/p" + std::to_string(i) + ".html", text);
  }
  test::WriteFile(t + "/partials/p7.html", "x");
  test::WriteFile(t + "/page.html", "<p>\n  {{> p1}}</p>\n");
  Diagnostics d;
  LoadTemplates(t, TemplateShapes(), d);
  EXPECT_EQ(test::FormatAll(d), t + "/page.html:2:3: error: template: with partial 'p1' "
                                    "inlined, this template would be over 8388608 bytes\n");
}

TEST(TemplatesTest, ManyTagsOnOneLineArePlacedInOnePass) {
  // Every tag's position was found by a scan from byte 0: 140,000 tags on
  // one line took 32 s.
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  std::string missing, unknown;
  for (int i = 0; i < 100000; ++i) {
    missing += "{{> e}}";
    unknown += "{{nop}}";
  }
  test::WriteFile(t + "/partials/e.html", "");
  test::WriteFile(t + "/term.html", missing);
  Diagnostics ok;
  LoadTemplates(t, TemplateShapes(), ok);
  EXPECT_EQ(test::FormatAll(ok), "");
  std::filesystem::remove(t + "/partials/e.html");
  test::WriteFile(t + "/home.html", unknown);
  Diagnostics d;
  LoadTemplates(t, TemplateShapes(), d);
  EXPECT_EQ(d.errors(), 200000);
  std::string out = test::FormatAll(d);
  EXPECT_NE(out.find(t + "/term.html:1:699994: error: template: no partial 'e'"), std::string::npos);
  EXPECT_NE(out.find(t + "/home.html:1:699994: error: template: unknown variable 'nop'"),
            std::string::npos);
}

TEST(TemplatesTest, UnknownVariablesAreErrors) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  test::WriteFile(t + "/page.html", "<h1>{{page.titel}}</h1>\n{{#toc}}{{.}}{{/toc}} {{{bodi}}}\n");
  Diagnostics d;
  LoadTemplates(t, TemplateShapes(), d);
  EXPECT_EQ(test::FormatAll(d),
            t + "/page.html:1:5: error: template: unknown variable 'titel' (did you mean 'title'?)\n" +
            t + "/page.html:2:23: error: template: unknown variable 'bodi' (did you mean 'body'?)\n");
}

TEST(TemplatesTest, PartialCyclesAndMissingTemplates) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  test::WriteFile(t + "/partials/a.html", "{{> b}}");
  test::WriteFile(t + "/partials/b.html", "{{> a}}");
  test::WriteFile(t + "/page.html", "{{> a}}");
  std::filesystem::remove(t + "/progress.html");
  Diagnostics d;
  LoadTemplates(t, TemplateShapes(), d);
  std::string out = test::FormatAll(d);
  EXPECT_NE(out.find("error: template: partials include each other: a > b > a"), std::string::npos) << out;
  EXPECT_NE(out.find("t/progress.html:1:1: error: missing template progress.html"), std::string::npos) << out;
}

TEST(TemplatesTest, VariablesAreEscaped) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  test::WriteFile(t + "/page.html", "<p title=\"{{summary}}\">{{summary}}</p>");
  Diagnostics d;
  Templates templates = LoadTemplates(t, TemplateShapes(), d);
  ASSERT_FALSE(d.has_errors()) << test::FormatAll(d);
  TemplateData data;
  data.set("summary", "<script>\"'&");
  std::string html = RenderPage(templates, "page", data);
  EXPECT_NE(html.find("<p title=\"&lt;script&gt;&quot;&apos;&amp;\">"), std::string::npos);
  EXPECT_EQ(html.find("<script>\""), std::string::npos);
}

// The layout gets the content spliced in where a marker was rendered; a
// layout that shows it twice, or not at all, still renders as Mustache
// would, and so does one whose other text looks like a marker.
TEST(TemplatesTest, TheLayoutShowsTheContentAsMustacheWould) {
  const std::string content = "<p>one &amp; \x01two\x01</p>\n";
  for (const std::string layout :
       {"<main>{{{content}}}</main>\n", "<main>{{{content}}}</main><div>{{{content}}}</div>",
        "<main>{{summary}}</main>", "\x01<casebook-content-1-2>\x01{{{content}}}",
        "<main>{{content}}</main>", "<main>{{content}}</main><div>{{{content}}}</div>"}) {
    test::TempDir dir;
    std::string t = CopyTemplates(dir);
    test::WriteFile(t + "/layout.html", layout);
    Diagnostics d;
    Templates templates = LoadTemplates(t, TemplateShapes(), d);
    ASSERT_FALSE(d.has_errors()) << test::FormatAll(d);
    TemplateData data;
    data.set("summary", "a summary");
    TemplateData expected_data = data;
    expected_data.set("content", content);
    kainjow::mustache::mustache reference(layout);
    EXPECT_EQ(WrapInLayout(templates, data, content), reference.render(expected_data)) << layout;
  }
}

TEST(TemplatesTest, NamesAreCheckedAgainstTheirPageKind) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  // term.formula is data of term pages only; {{#sections}} opens the case
  // page's sections, whose items have html but no formula.
  test::WriteFile(t + "/case.html",
                  "<p>{{term.formula}}</p>\n{{#sections}}{{{html}}}{{formula}}{{/sections}}\n"
                  "{{#scale}}{{quantity}}{{page.title}}{{/scale}}\n");
  // A partial is checked where it is included: items have key, not keys.
  test::WriteFile(t + "/partials/row.html", "<li>{{key}}{{keys}}</li>");
  test::WriteFile(t + "/step.html", "{{#checklist}}{{#items}}{{> row}}{{/items}}{{/checklist}}");
  Diagnostics d;
  LoadTemplates(t, TemplateShapes(), d);
  d.Sort();
  EXPECT_EQ(test::FormatAll(d),
            t + "/case.html:1:4: error: template: unknown variable 'term'\n" +
            t + "/case.html:2:24: error: template: unknown variable 'formula'\n" +
            t + "/partials/row.html:1:12: error: template: unknown variable 'keys' (did you mean 'key'?)\n");
}

TEST(TemplatesTest, DelimiterChangesAreRefused) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  // Tags written with other delimiters would escape the name check.
  test::WriteFile(t + "/page.html", "<h1>{{page.title}}</h1>\n{{=<% %>=}}\n<% page.titel %>\n");
  Diagnostics d;
  LoadTemplates(t, TemplateShapes(), d);
  EXPECT_EQ(test::FormatAll(d), t + "/page.html:2:1: error: template: changing the delimiters "
                                    "({{=...=}}) is not supported\n");
}

TEST(TemplatesTest, ABrokenPartialIsReportedOnce) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  test::WriteFile(t + "/partials/checklist.html", "<ul>{{#items}}<li>{{key}}</li></ul>\n");
  Diagnostics d;
  LoadTemplates(t, TemplateShapes(), d);
  EXPECT_EQ(test::FormatAll(d),
            t + "/partials/checklist.html:1:5: error: template: Unclosed section \"items\"\n");
}

// A linked assets folder would publish whatever it points to, like a link
// inside it: refused, not followed.
TEST(TemplatesTest, ALinkedAssetsFolderIsRefused) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  std::filesystem::rename(t + "/assets", dir / "elsewhere");
  test::WriteFile(dir / "elsewhere/secret.txt", "private");
  ASSERT_EQ(symlink((dir / "elsewhere").c_str(), (t + "/assets").c_str()), 0);
  Diagnostics d;
  Templates loaded = LoadTemplates(t, TemplateShapes(), d);
  EXPECT_EQ(test::FormatAll(d), t + "/assets: error: symbolic links are not followed; make it a folder\n");
  EXPECT_TRUE(loaded.assets.empty());
}

TEST(TemplatesTest, AnAssetThatCannotBeReadIsAnError) {
  test::TempDir dir;
  std::string t = CopyTemplates(dir);
  std::string css = t + "/assets/casebook.css";
  std::filesystem::permissions(css, std::filesystem::perms::none);
  // Root reads a mode-000 file anyway; no unprivileged way remains to make
  // a regular file fail to read (media_test covers the read errors as root).
  if (access(css.c_str(), R_OK) == 0) GTEST_SKIP() << "running as root: the file stays readable";
  Diagnostics d;
  Templates loaded = LoadTemplates(t, TemplateShapes(), d);
  EXPECT_EQ(test::FormatAll(d), css + ":1:1: error: cannot read: " + std::strerror(EACCES) + "\n");
  EXPECT_FALSE(loaded.assets.count("casebook.css"));
}

}  // namespace
}  // namespace casebook
