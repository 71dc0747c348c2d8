// The Anki deck: how one field is written, the GUIDs, the header, and the
// deck of real sites read back the way Anki's importer reads it.
#include "anki_deck.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "build.h"
#include "page_map.h"
#include "test_util.h"

namespace casebook {
namespace {

// What Anki's text importer does with a file (rslib/src/import_export/text/
// csv): header lines start with '#' and hold "key:value"; after them each
// line is a record of tab-separated fields, where a field that starts with a
// double quote runs to the closing quote and "" inside stands for one quote,
// and any later line that starts with '#' is a comment (so a note whose GUID
// began with one would be lost: the note count catches it).
// Returns false, with `error`, for what that reader would misread: a quote
// left open, text after a closing quote, or a raw line break in a field.
struct ParsedDeck {
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::vector<std::string>> records;
};

bool ParseAsAnki(const std::string& text, ParsedDeck& out, std::string& error) {
  size_t at = 0;
  while (at < text.size() && text[at] == '#') {
    size_t end = text.find('\n', at);
    std::string line = text.substr(at + 1, end - at - 1);
    size_t colon = line.find(':');
    if (colon != std::string::npos)  // else a comment, to Anki as to us
      out.headers.push_back({line.substr(0, colon), line.substr(colon + 1)});
    at = end + 1;
  }
  while (at < text.size()) {
    if (text[at] == '#') {  // a comment
      size_t end = text.find('\n', at);
      at = end == std::string::npos ? text.size() : end + 1;
      continue;
    }
    std::vector<std::string> fields;
    std::string field;
    for (;;) {
      if (text[at] == '"') {
        for (++at;; ++at) {
          if (at >= text.size()) return error = "a quote is left open", false;
          if (text[at] == '"' && at + 1 < text.size() && text[at + 1] == '"') {
            field += '"';
            ++at;
          } else if (text[at] == '"') {
            ++at;
            break;
          } else if (text[at] == '\n' || text[at] == '\r') {
            return error = "a line break inside a quoted field", false;
          } else {
            field += text[at];
          }
        }
        if (at < text.size() && text[at] != '\t' && text[at] != '\n')
          return error = "text after a closing quote", false;
      } else {
        while (at < text.size() && text[at] != '\t' && text[at] != '\n') {
          if (text[at] == '\r') return error = "a carriage return in a field", false;
          field += text[at++];
        }
      }
      fields.push_back(field);
      field.clear();
      if (at >= text.size() || text[at] == '\n') break;
      ++at;  // the tab
    }
    out.records.push_back(fields);
    ++at;
  }
  return true;
}

ParsedDeck Parse(const std::string& text) {
  ParsedDeck deck;
  std::string error;
  EXPECT_TRUE(ParseAsAnki(text, deck, error)) << error;
  return deck;
}

TEST(AnkiDeckTest, AFieldStaysOnOneLine) {
  EXPECT_EQ(AnkiField("<p>plain</p>"), "<p>plain</p>");
  // In text a tab or line break becomes its character reference, which HTML
  // reads back as the same character (a code block keeps its lines) ...
  EXPECT_EQ(AnkiField("<pre><code>a\tb\nc\r\n</code></pre>"),
            "<pre><code>a&#9;b&#10;c&#13;&#10;</code></pre>");
  // ... and between a tag's attributes, where a reference means nothing, a space.
  EXPECT_EQ(AnkiField("<svg\n\tviewBox='0 0 1 1'>x</svg>"), "<svg  viewBox='0 0 1 1'>x</svg>");
  // A '>' inside a quoted attribute value does not end the tag.
  EXPECT_EQ(AnkiField("<a title='a>b\nc'>t\n</a>"), "<a title='a>b c'>t&#10;</a>");
}

TEST(AnkiDeckTest, AFieldWithAQuoteIsQuoted) {
  EXPECT_EQ(AnkiField("<a href=\"x\">say \"hi\"</a>"),
            "\"<a href=\"\"x\"\">say \"\"hi\"\"</a>\"");
  // Whatever the text, the reader gets it back whole, in any column.
  for (const std::string html : {"\"", "\"\"", "a\"", "\"a\tb\"\n", "#not a header", "\t\t"}) {
    ParsedDeck deck = Parse(AnkiDeckText("D", {{"g", html, "back", "t"}}));
    ParsedDeck first = Parse(AnkiDeckText("D", {{html, "front", "back", "t"}}));
    EXPECT_EQ(first.records.size(), html[0] == '#' ? 0u : 1u) << html;  // the reader's own rule
    ASSERT_EQ(deck.records.size(), 1u) << html;
    ASSERT_EQ(deck.records[0].size(), 4u) << html;
    std::string expected = html;
    for (auto [raw, ref] : {std::pair<const char*, const char*>{"\t", "&#9;"}, {"\n", "&#10;"}})
      for (size_t at; (at = expected.find(raw)) != std::string::npos;)
        expected.replace(at, 1, ref);
    EXPECT_EQ(deck.records[0][1], expected);
  }
}

TEST(AnkiDeckTest, TheHeaderTellsAnkiHowToReadTheFile) {
  ParsedDeck deck = Parse(AnkiDeckText("My\tguide\nname", {}));
  EXPECT_EQ(deck.headers, (std::vector<std::pair<std::string, std::string>>{
                              {"separator", "tab"},
                              {"html", "true"},
                              {"notetype", "Basic"},
                              {"deck", "My guide name"},
                              {"guid column", "1"},
                              {"tags column", "4"}}));
  EXPECT_TRUE(deck.records.empty());
}

TEST(AnkiDeckTest, GuidsAreStableAndDistinct) {
  std::string a = AnkiGuid("site", "practice/case/x/12345678");
  EXPECT_EQ(a, AnkiGuid("site", "practice/case/x/12345678"));
  EXPECT_EQ(a.size(), 18u);
  EXPECT_EQ(a.rfind("cb", 0), 0u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef", 2), std::string::npos);
  EXPECT_NE(a, AnkiGuid("site", "practice/case/x/12345679"));
  EXPECT_NE(a, AnkiGuid("other", "practice/case/x/12345678"));
}

size_t QuestionCount(const Site& site) {
  size_t n = 0;
  for (const Step& s : site.steps) n += s.questions.size();
  for (const CaseStudy& c : site.cases) n += c.questions.size();
  return n;
}

class DeckOfSite : public testing::TestWithParam<std::string> {};

// The deck of the golden fixture and of the guide, read as Anki reads it:
// one note per question with four fields, GUIDs unique, tags without
// spaces, formulas as TeX for Anki's MathJax, no link left relative.
TEST_P(DeckOfSite, ParsesAsAnkiExpectsWithANoteForEveryQuestion) {
  Diagnostics diags;
  auto linked = LinkContent(test::SourceDir() + "/" + GetParam(), "", 2, diags);
  ASSERT_FALSE(diags.has_errors()) << test::FormatAll(diags);
  const Site& site = linked->site;
  ParsedDeck deck = Parse(AnkiDeckFile(site));
  ASSERT_GT(QuestionCount(site), 0u);
  EXPECT_EQ(deck.records.size(), QuestionCount(site));
  EXPECT_EQ(deck.headers.size(), 6u);
  std::set<std::string> guids;
  for (const auto& r : deck.records) {
    ASSERT_EQ(r.size(), 4u);
    guids.insert(r[0]);
    for (const std::string& field : r) {
      EXPECT_EQ(field.find('\t'), std::string::npos) << field;
      EXPECT_EQ(field.find('\n'), std::string::npos) << field;
      EXPECT_EQ(field.find("<math"), std::string::npos) << field;  // TeX instead
      EXPECT_EQ(field.find("href=\"../"), std::string::npos) << field;
      EXPECT_EQ(field.find("class=\"tip\""), std::string::npos) << field;
    }
    EXPECT_EQ(r[3].find_first_of("\t\n"), std::string::npos);
    EXPECT_TRUE(r[3].find("::step::") != std::string::npos ||
                r[3].find("::case::") != std::string::npos)
        << r[3];
  }
  EXPECT_EQ(guids.size(), deck.records.size());
}

INSTANTIATE_TEST_SUITE_P(Sites, DeckOfSite,
                         testing::Values("tests/golden/basic/content", "content"),
                         [](const testing::TestParamInfo<std::string>& p) {
                           return p.param == "content" ? std::string("Guide") : std::string("Golden");
                         });

std::vector<AnkiNote> NotesOf(const std::string& dir) {
  Diagnostics diags;
  auto linked = LinkContent(dir, "", 1, diags);
  EXPECT_FALSE(diags.has_errors()) << test::FormatAll(diags);
  return DeckNotes(linked->site);
}

// The same content gives the same GUIDs in every build; editing an answer
// keeps a note's GUID (re-importing updates it), rewording a question
// changes that question's alone.
TEST(AnkiDeckTest, GuidsSurviveRebuildsAndAnswerEdits) {
  test::TempDir dir;
  auto write_case = [&](const std::string& q2, const std::string& a1) {
    test::WriteFile(dir / "case-studies/search.md",
                    "---\ntitle: Search\nsummary: Find things.\ncategory: Search\n"
                    "questions:\n  - q: First?\n    a: " + a1 + "\n  - q: " + q2 +
                        "\n    a: Two.\n  - q: Third?\n    a: Three.\n"
                        "references:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n"
                        "## Clarify\n\nText.\n\n## Evaluate\n\nText.\n");
  };
  test::WriteMinimalContent(dir.path());
  write_case("Second?", "One.");
  std::vector<AnkiNote> first = NotesOf(dir.path()), again = NotesOf(dir.path());
  ASSERT_EQ(first.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(first[i].guid, again[i].guid);
  write_case("Second?", "One, said better.");
  std::vector<AnkiNote> edited = NotesOf(dir.path());
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(edited[i].guid, first[i].guid);
  EXPECT_NE(edited[0].back, first[0].back);
  write_case("The second, reworded?", "One.");
  std::vector<AnkiNote> reworded = NotesOf(dir.path());
  EXPECT_EQ(reworded[0].guid, first[0].guid);
  EXPECT_NE(reworded[1].guid, first[1].guid);
  EXPECT_EQ(reworded[2].guid, first[2].guid);
}

// Content is escaped on the way in, raw HTML never passes, and without a
// base URL a link into the site is left as its text.
TEST(AnkiDeckTest, ContentIsEscapedAndLinksStandAlone) {
  test::TempDir dir;
  test::WriteMinimalContent(dir.path());
  test::WriteFile(dir / "case-studies/search.md",
                  "---\ntitle: Search & <Find>\nsummary: Find things.\ncategory: Search\n"
                  "questions:\n  - q: 'Is `<script>` & \"text\" safe?'\n"
                  "    a: 'See [the step](step:evaluate), [recall](term:recall) and "
                  "[a paper](https://example.org/p). <script>alert(1)</script>'\n"
                  "references:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n"
                  "## Clarify\n\nText.\n\n## Evaluate\n\nText.\n");
  Diagnostics diags;
  auto linked = LinkContent(dir.path(), "", 1, diags);
  ASSERT_FALSE(diags.has_errors()) << test::FormatAll(diags);
  std::vector<AnkiNote> notes = DeckNotes(linked->site);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].front.find("Case study: Search &amp; &lt;Find&gt;"), std::string::npos)
      << notes[0].front;
  EXPECT_NE(notes[0].front.find("<code>&lt;script&gt;</code> &amp; &quot;text&quot;"),
            std::string::npos)
      << notes[0].front;
  const std::string& back = notes[0].back;
  EXPECT_EQ(back.find("<script"), std::string::npos) << back;
  EXPECT_NE(back.find("See the step, recall and <a href=\"https://example.org/p\">a paper</a>."),
            std::string::npos)
      << back;
  EXPECT_EQ(notes[0].tags, "mini::case::search mini::category::search");
  // With a base URL the same links lead into the published site.
  Diagnostics again;
  auto based = LinkContent(dir.path(), "https://x.github.io/g/", 1, again);
  std::string based_back = DeckNotes(based->site)[0].back;
  EXPECT_NE(based_back.find("<a href=\"https://x.github.io/g/framework/evaluate.html\">the step</a>"),
            std::string::npos)
      << based_back;
  EXPECT_NE(based_back.find("<a href=\"https://x.github.io/g/glossary/recall.html\">recall</a>"),
            std::string::npos)
      << based_back;
}

}  // namespace
}  // namespace casebook
