#include "media.h"

#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

namespace fs = std::filesystem;

// A content folder with one fine image, plus whatever a test adds.
class MediaTest : public ::testing::Test {
 protected:
  MediaTest() : content_(dir_ / "content") {
    test::WriteFile(content_ + "/img/dot.png", "\x89PNG\r\n\x1a\n");
  }
  std::string Check(const std::string& rel) const { return CheckMediaFile(content_, rel); }

  test::TempDir dir_;
  std::string content_;
};

TEST_F(MediaTest, AFinePngPasses) {
  EXPECT_EQ(Check("img/dot.png"), "");
}

TEST_F(MediaTest, ExtensionsAreCaseInsensitiveAndLimited) {
  test::WriteFile(content_ + "/img/DOT.PNG", "x");
  test::WriteFile(content_ + "/notes.txt", "x");
  EXPECT_EQ(Check("img/DOT.PNG"), "");
  EXPECT_EQ(Check("notes.txt"),
            "cannot link to 'notes.txt': link to content pages (.md) or to images "
            "(png, jpg, gif, svg, webp) and pdf files");
  EXPECT_EQ(Check("img/noext"),
            "cannot link to 'img/noext': link to content pages (.md) or to images "
            "(png, jpg, gif, svg, webp) and pdf files");
}

TEST_F(MediaTest, ControlCharactersComeBeforeEverythingElse) {
  EXPECT_EQ(Check("img/a\tb.txt"), "file names with control characters are not supported");
}

TEST_F(MediaTest, MissingFilesAndNonFilesAreNotFound) {
  fs::create_directories(content_ + "/folder.png");
  fs::create_symlink("dot.png", content_ + "/img/alias.png");
  EXPECT_EQ(Check("img/none.png"), "file '" + content_ + "/img/none.png' not found");
  EXPECT_EQ(Check("folder.png"), "file '" + content_ + "/folder.png' not found");
  // A link as the file itself is not published, even to a file inside.
  EXPECT_EQ(Check("img/alias.png"), "file '" + content_ + "/img/alias.png' not found");
}

TEST_F(MediaTest, TheSizeCapIsEightMebibytes) {
  test::WriteFile(content_ + "/at.pdf", "");
  test::WriteFile(content_ + "/over.pdf", "");
  fs::resize_file(content_ + "/at.pdf", kMaxMediaBytes);  // sparse: cheap
  fs::resize_file(content_ + "/over.pdf", kMaxMediaBytes + 1);
  EXPECT_EQ(Check("at.pdf"), "");
  EXPECT_EQ(Check("over.pdf"), "file '" + content_ + "/over.pdf' is larger than 8 MiB");
}

TEST_F(MediaTest, ASymlinkedFolderLeadingOutsideIsRefused) {
  test::WriteFile(dir_ / "outside/secret.pdf", "%PDF");
  fs::create_directory_symlink(dir_ / "outside", content_ + "/linked");
  fs::create_directory_symlink("img", content_ + "/same");
  EXPECT_EQ(Check("linked/secret.pdf"),
            "'linked/secret.pdf' leads outside the content folder through a symbolic link");
  // A linked folder that stays inside content/ publishes nothing new.
  EXPECT_EQ(Check("same/dot.png"), "");
}

// SVG checks: the file is parsed as XML and held to allow-lists (svg.h).
// Each refused case is a bypass of the old text matching or a rule of its
// own; each asserts the exact message, which names what and where.
class SvgTest : public MediaTest {
 protected:
  // Writes `body` as content/<name> and checks it.
  std::string CheckSvg(const std::string& name, const std::string& body) {
    test::WriteFile(content_ + "/" + name, body);
    return Check(name);
  }
  const std::string open_ = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n";
};

TEST_F(SvgTest, ANormalDiagramPasses) {
  const std::string svg =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!-- drawn by hand -->\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"\n"
      "     width=\"200\" height=\"100\" viewBox=\"0 0 200 100\" role=\"img\" aria-label=\"f(x) "
      "rises\">\n"
      "  <title>Funnel</title><desc>Three stages &amp; a total</desc>\n"
      "  <defs>\n"
      "    <linearGradient id=\"grad\" x1=\"0\" x2=\"1\"><stop offset=\"0\" stop-color=\"#fff\"/>"
      "<stop offset=\"1\" style=\"stop-color: rgb(31, 95, 139)\"/></linearGradient>\n"
      "    <filter id=\"soft\"><feGaussianBlur in=\"SourceGraphic\" stdDeviation=\"2\"/></filter>\n"
      "    <marker id=\"tip\" markerWidth=\"4\" markerHeight=\"4\" refX=\"2\" refY=\"2\" "
      "orient=\"auto\">"
      "<path d=\"M0,0 L4,2 L0,4 z\"/></marker>\n"
      "    <rect id=\"a\" width=\"10\" height=\"10\"/>\n"
      "  </defs>\n"
      "  <style type=\"text/css\"><![CDATA[ rect:nth-child(2) { fill: url(#grad); } "
      "/* labels */ text { font-family: 'DejaVu Sans', sans-serif; } ]]></style>\n"
      "  <g transform=\"translate(10, 20) rotate(5)\" style=\"fill:url( '#grad' "
      ");filter:url(#soft)\">\n"
      "    <use href=\"#a\" x=\"5\"/><use xlink:href=\"#a\" x=\"20\"/>\n"
      "    <line x1=\"0\" y1=\"0\" x2=\"50\" y2=\"0\" stroke=\"black\" marker-end=\"url(#tip)\"/>\n"
      "    <text x=\"60\" y=\"25\" xml:space=\"preserve\">stage <tspan "
      "dy=\"4\">one</tspan></text>\n"
      "    <image width=\"1\" height=\"1\" href=\"data:image/png;base64,iVBORw0KGgo=\"/>\n"
      "  </g>\n"
      "</svg>\n";
  EXPECT_EQ(CheckSvg("good.svg", svg), "");
}

TEST_F(SvgTest, ElementsOutsideTheSvgNamespaceAreRefused) {
  EXPECT_EQ(
      CheckSvg(
          "prefixed.svg",
          "<s:svg xmlns:s=\"http://www.w3.org/2000/svg\">\n<s:script>alert(1)</s:script></s:svg>"),
      "'prefixed.svg' line 2: element 's:script' is not allowed in SVG images");
  EXPECT_EQ(CheckSvg("xhtml.svg",
                     "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                     "xmlns:h=\"http://www.w3.org/1999/xhtml\">\n\n"
                     "<h:script>alert(1)</h:script></svg>"),
            "'xhtml.svg' line 3: element 'h:script' (namespace http://www.w3.org/1999/xhtml) "
            "is not allowed in SVG images");
  EXPECT_EQ(CheckSvg("default.svg", open_ + "<g><div xmlns=\"http://www.w3.org/1999/xhtml\">"
                                            "<p>x</p></div></g></svg>"),
            "'default.svg' line 2: element 'div' (namespace http://www.w3.org/1999/xhtml) "
            "is not allowed in SVG images");
  EXPECT_EQ(CheckSvg("nons.svg", "<svg><rect/></svg>"),
            "'nons.svg' line 1: the root element is 'svg' (no namespace); an SVG image starts "
            "with <svg xmlns=\"http://www.w3.org/2000/svg\">");
}

TEST_F(SvgTest, ScriptsHtmlAndAnimationAreRefusedInTheSvgNamespaceToo) {
  EXPECT_EQ(CheckSvg("script.svg", open_ + "<script>alert(1)</script></svg>"),
            "'script.svg' line 2: element 'script' is not allowed in SVG images");
  EXPECT_EQ(CheckSvg("fo.svg", open_ + "<foreignObject><p>x</p></foreignObject></svg>"),
            "'fo.svg' line 2: element 'foreignObject' is not allowed in SVG images");
  // An animation could give href a value the check never saw.
  EXPECT_EQ(CheckSvg("set.svg", open_ + "<a href=\"#a\"><set attributeName=\"href\" "
                                        "to=\"javascript:alert(1)\"/><text>x</text></a></svg>"),
            "'set.svg' line 2: element 'set' is not allowed in SVG images");
  EXPECT_EQ(
      CheckSvg("animate.svg", open_ + "<use href=\"#a\">\n<animate attributeName=\"xlink:href\" "
                                      "values=\"http://example.com/x.svg#a\"/></use></svg>"),
      "'animate.svg' line 3: element 'animate' is not allowed in SVG images");
}

TEST_F(SvgTest, EventHandlersAreRefusedHoweverWritten) {
  EXPECT_EQ(
      CheckSvg("handler.svg", open_ + "<rect\n  onclick  =\n  'x()'/></svg>"),
      "'handler.svg' line 4: attribute 'onclick' on element 'rect' is not allowed in SVG images");
  EXPECT_EQ(
      CheckSvg("upper.svg", open_ + "<rect OnLoad=\"x()\"/></svg>"),
      "'upper.svg' line 2: attribute 'OnLoad' on element 'rect' is not allowed in SVG images");
  EXPECT_EQ(
      CheckSvg("nsattr.svg",
               "<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "xmlns:e=\"http://www.w3.org/2001/xml-events\" e:event=\"load\"/>"),
      "'nsattr.svg' line 1: attribute 'e:event' (namespace http://www.w3.org/2001/xml-events) "
      "on element 'svg' is not allowed in SVG images");
}

TEST_F(SvgTest, HrefsAreCheckedAfterEntitiesAreDecoded) {
  EXPECT_EQ(CheckSvg("remote.svg", open_ + "<image href='https://example.com/a.png'/></svg>"),
            "'remote.svg' line 2: attribute 'href' on element 'image' refers to "
            "'https://example.com/a.png'; SVG images may refer only to their own parts ('#id') "
            "or embed data:image/png, jpeg, gif or webp base64 URIs");
  EXPECT_EQ(CheckSvg("entity.svg", open_ + "<use href=\"&#104;ttp://example.com/a.svg#x\"/></svg>"),
            "'entity.svg' line 2: attribute 'href' on element 'use' refers to "
            "'http://example.com/a.svg#x'; SVG images may refer only to their own parts ('#id')");
  EXPECT_EQ(CheckSvg("js.svg", open_ + "<a xmlns:xl=\"http://www.w3.org/1999/xlink\" "
                                       "xl:href=\"&#x6A;avascript&#58;alert(1)\">x</a></svg>"),
            "'js.svg' line 2: attribute 'xl:href' on element 'a' refers to 'javascript:alert(1)'; "
            "SVG images may refer only to their own parts ('#id')");
  EXPECT_EQ(
      CheckSvg("svgdata.svg", open_ + "<image href=\"data:image/svg+xml;base64,PHN2Zy8+\"/></svg>"),
      "'svgdata.svg' line 2: attribute 'href' on element 'image' refers to "
      "'data:image/svg+xml;base64,PHN2Zy8+'; SVG images may refer only to their own parts "
      "('#id') or embed data:image/png, jpeg, gif or webp base64 URIs");
}

TEST_F(SvgTest, CssMayNotFetchOrEscape) {
  EXPECT_EQ(
      CheckSvg("import.svg",
               open_ + "<style>\n\n@import url(http://example.com/a.css);</style></svg>"),
      "'import.svg' line 4: element 'style' has '@import'; SVG images may not load style sheets");
  EXPECT_EQ(
      CheckSvg("fill.svg", open_ + "<rect style=\"fill:url(http://example.com/p.svg#p)\"/></svg>"),
      "'fill.svg' line 2: attribute 'style' on element 'rect' has "
      "'url(http://example.com/p.svg#p)'; CSS in SVG images may use url() only for '#id'");
  EXPECT_EQ(
      CheckSvg("attr.svg", open_ + "<rect fill=\"&#117;rl( 'https://example.com/p' )\"/></svg>"),
      "'attr.svg' line 2: attribute 'fill' on element 'rect' has "
      "'url( 'https://example.com/p' )'; CSS in SVG images may use url() only for '#id'");
  EXPECT_EQ(
      CheckSvg("escape.svg", open_ + "<style>rect { fill: \\75rl(http://x/) }</style></svg>"),
      "'escape.svg' line 2: element 'style' has a CSS escape ('\\'); write the character itself");
  // Comments split the text, but the style sheet is the text joined.
  EXPECT_EQ(
      CheckSvg("split.svg", open_ + "<style>rect { fill: ur<!-- -->l(http://x/) }</style></svg>"),
      "'split.svg' line 2: element 'style' has 'url(http://x/)'; CSS in SVG images may use "
      "url() only for '#id'");
  // The browser's style sheet is the <style> element's own text only, so an
  // element inside it would split a token for us but not for the browser.
  EXPECT_EQ(CheckSvg("child.svg", open_ + "<style>@imp<desc>x</desc>ort "
                                          "\"https://evil.example/a.css\";</style></svg>"),
            "'child.svg' line 2: element 'desc' inside element 'style' is not allowed; a style "
            "sheet may hold only text, CDATA and comments");
  EXPECT_EQ(CheckSvg("childurl.svg",
                     open_ + "<style>\nrect { fill:url<desc> </desc>(https://evil/p.svg#a) }"
                             "</style></svg>"),
            "'childurl.svg' line 3: element 'desc' inside element 'style' is not allowed; a "
            "style sheet may hold only text, CDATA and comments");
  EXPECT_EQ(CheckSvg("childfont.svg", open_ + "<style>@font-face{src:url<g> </g>"
                                              "(https://e/f.woff)}</style></svg>"),
            "'childfont.svg' line 2: element 'g' inside element 'style' is not allowed; a style "
            "sheet may hold only text, CDATA and comments");
  // A quote in an unquoted url() opens no string for the browser.
  EXPECT_EQ(CheckSvg("quote.svg", open_ + "<rect style=\"fill:url(#a'b) url(http://x/)\"/></svg>"),
            "'quote.svg' line 2: attribute 'style' on element 'rect' has 'url(http://x/)'; CSS in "
            "SVG images may use url() only for '#id'");
  EXPECT_EQ(
      CheckSvg("imageset.svg",
               open_ + "<style>svg { background: image-set(\"http://x/a.png\" 1x) }</style></svg>"),
      "'imageset.svg' line 2: element 'style' uses the CSS function 'image-set()', which is "
      "not allowed in SVG images");
  EXPECT_EQ(CheckSvg("expr.svg", open_ + "<rect style=\"width: EXPRESSION(alert(1))\"/></svg>"),
            "'expr.svg' line 2: attribute 'style' on element 'rect' uses the CSS function "
            "'EXPRESSION()', which is not allowed in SVG images");
}

TEST_F(SvgTest, DoctypesAndProcessingInstructionsAreRefused) {
  EXPECT_EQ(CheckSvg("doctype.svg",
                     "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n"
                     "<!ENTITY e \"&#104;ttp://example.com/\">\n]>\n"
                     "<svg xmlns=\"http://www.w3.org/2000/svg\"><use href=\"&e;\"/></svg>"),
            "'doctype.svg' line 2: a DOCTYPE is not allowed in SVG images (it could declare "
            "entities); delete it");
  EXPECT_EQ(
      CheckSvg("pi.svg",
               "<?xml-stylesheet href=\"http://example.com/a.css\"?>\n" + open_ + "</svg>"),
      "'pi.svg' line 1: processing instruction 'xml-stylesheet' is not allowed in SVG images");
}

TEST_F(SvgTest, MalformedXmlIsAnError) {
  EXPECT_EQ(CheckSvg("broken.svg", open_ + "<rect>\n</svg>"),
            "'broken.svg' is not well-formed XML: Opening and ending tag mismatch: rect line 2 and "
            "svg (line 3)");
  EXPECT_EQ(CheckSvg("undefined.svg", open_ + "<text>&nbsp;</text></svg>"),
            "'undefined.svg' is not well-formed XML: Entity 'nbsp' not defined (line 2)");
  EXPECT_EQ(CheckSvg("empty.svg", ""),
            "'empty.svg' is not well-formed XML: Document is empty (line 1)");
}

// The parser must read the characters a browser reads, and libxml2's other
// decoders would print to stderr: UTF-8 only.
TEST_F(SvgTest, OnlyUtf8IsAccepted) {
  EXPECT_EQ(
      CheckSvg("bom.svg", "\xEF\xBB\xBF<?xml version='1.0' encoding='UTF-8'?>" + open_ + "</svg>"),
      "");
  EXPECT_EQ(CheckSvg("sjis.svg", "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n" + open_ +
                                     "<text>\x81</text></svg>"),
            "'sjis.svg' line 1: the encoding 'Shift_JIS' is not supported; save the file as UTF-8");
  EXPECT_EQ(CheckSvg("latin1.svg", open_ + "\n<text>caf\xe9</text></svg>"),
            "'latin1.svg' line 3: invalid UTF-8; save the file as UTF-8");
  // UTF-16 without a byte order mark is valid UTF-8 bytes, but its NULs are not XML.
  EXPECT_EQ(CheckSvg("utf16.svg", std::string("<\0s\0v\0g\0/\0>\0", 12)),
            "'utf16.svg' is not well-formed XML: Char 0x0 out of allowed range (line 1)");
}

TEST_F(SvgTest, ChecksRunInParallelWithoutInterference) {
  test::WriteFile(content_ + "/ok.svg", open_ + "<rect/></svg>");
  test::WriteFile(content_ + "/bad.svg", open_ + "<rect>\n</svg>");
  std::vector<std::string> results(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) results[t] += Check(t % 2 ? "bad.svg" : "ok.svg");
    });
  for (std::thread& th : threads) th.join();
  std::string bad;
  for (int i = 0; i < 50; ++i)
    bad +=
        "'bad.svg' is not well-formed XML: Opening and ending tag mismatch: rect line 2 and "
        "svg (line 3)";
  for (size_t t = 0; t < results.size(); ++t) EXPECT_EQ(results[t], t % 2 ? bad : "") << t;
}

TEST_F(MediaTest, ReadsFilesForOutputUnderMedia) {
  Diagnostics d;
  std::vector<OutputFile> files = ReadMediaFiles(content_, {"img/dot.png"}, d);
  EXPECT_EQ(test::FormatAll(d), "");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, "media/img/dot.png");
  EXPECT_EQ(files[0].content, std::string("\x89PNG\r\n\x1a\n"));
}

// A folder fails at read() (EISDIR) and a vanished file at open() (ENOENT),
// even for root, for whom a chmod 000 file would still be readable.
TEST_F(MediaTest, AFileThatCannotBeReadIsAnError) {
  fs::create_directories(content_ + "/gone.png");
  Diagnostics d;
  std::vector<OutputFile> files =
      ReadMediaFiles(content_, {"gone.png", "img/dot.png", "vanished.png"}, d);
  EXPECT_EQ(test::FormatAll(d),
            content_ + "/gone.png:1:1: error: cannot read: " + std::strerror(EISDIR) + "\n" +
            content_ + "/vanished.png:1:1: error: cannot read: " + std::strerror(ENOENT) + "\n");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, "media/img/dot.png");
}

}  // namespace
}  // namespace casebook
