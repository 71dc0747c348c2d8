#include "yaml_reader.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

std::string Errors(const std::string& yaml, int first_line = 1) {
  Diagnostics d;
  ParseYaml(yaml, "f.yaml", first_line, d);
  return test::FormatAll(d);
}

TEST(YamlReaderTest, BuildsATreeWithPositions) {
  Diagnostics d;
  auto n = ParseYaml("title: Hello\nlist:\n  - a\n  - 'b'\nbody: |\n  text\n", "f.yaml", 5, d);
  ASSERT_TRUE(n) << test::FormatAll(d);
  EXPECT_EQ(n->kind, YamlNode::Kind::kMap);
  const YamlNode* title = n->Find("title");
  ASSERT_TRUE(title);
  EXPECT_EQ(title->scalar, "Hello");
  EXPECT_EQ(title->at.line, 5);
  EXPECT_EQ(title->at.column, 8);
  const YamlNode* list = n->Find("list");
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_FALSE(list->items[0].quoted);
  EXPECT_TRUE(list->items[1].quoted);
  EXPECT_EQ(list->items[1].at.line, 8);
  EXPECT_TRUE(n->Find("body")->block);
  EXPECT_EQ(n->Find("body")->scalar, "text\n");
}

TEST(YamlReaderTest, RejectsDuplicateKeysAtAnyDepth) {
  EXPECT_EQ(Errors("title: a\ntitle: b\n"),
            "f.yaml:2:1: error: duplicate key 'title' (first defined at line 1)\n");
  EXPECT_EQ(Errors("a:\n  - x: 1\n    x: 2\n"),
            "f.yaml:3:5: error: duplicate key 'x' (first defined at line 2)\n");
  // Every repeat names the first one; a quoted key is the same key.
  EXPECT_EQ(Errors("k: 1\nj: 2\nk: 3\n'k': 4\n"),
            "f.yaml:3:1: error: duplicate key 'k' (first defined at line 1)\n"
            "f.yaml:4:1: error: duplicate key 'k' (first defined at line 1)\n");
}

// 60,000 keys in one map; comparing each with all earlier ones took seconds.
TEST(YamlReaderTest, ManyKeysInOneMap) {
  std::string yaml;
  for (int i = 0; i < 60000; ++i) yaml += "k" + std::to_string(i) + ": v\n";
  yaml += "k123: again\n";
  EXPECT_EQ(Errors(yaml),
            "f.yaml:60001:1: error: duplicate key 'k123' (first defined at line 124)\n");
}

TEST(YamlReaderTest, RejectsAnchorsAliasesAndMergeKeys) {
  EXPECT_NE(Errors("a: &x 1\nb: *x\n").find("f.yaml:1:4: error: YAML anchors"), std::string::npos);
  EXPECT_NE(Errors("a: &x 1\nb: *x\n").find("f.yaml:2:4: error: YAML aliases"), std::string::npos);
  EXPECT_NE(Errors("b:\n  <<: {x: 1}\n").find("merge keys"), std::string::npos);
  // A cycle (&a [1, *a]) would make a naive walk recurse forever.
  EXPECT_NE(Errors("a: &a [1, *a]\n").find("error"), std::string::npos);
}

TEST(YamlReaderTest, ReportsSyntaxErrorsWithTheFileLine) {
  EXPECT_EQ(Errors("title: x\ntags: [a, b\nlayout: y\n", 2),
            "f.yaml:4:7: error: invalid YAML: end of sequence flow not found\n");
  EXPECT_NE(Errors("a: 1\n\tb: 2\n").find("f.yaml:2:1: error: invalid YAML"), std::string::npos);
}

TEST(YamlReaderTest, CatchesAMissingClosingQuote) {
  EXPECT_EQ(Errors("title: \"unterminated\nsummary: y\n"),
            "f.yaml:1:8: error: this quoted value runs on into the next field; is its closing quote missing?\n");
  EXPECT_NE(Errors("title: 'x\nsummary: y\n").find("closing quote"), std::string::npos);
  // A quoted value may legitimately span lines, and hold escaped quotes.
  EXPECT_EQ(Errors("title: \"a \\\" b\n  continued\"\nsummary: 'it''s'\n"), "");
}

TEST(YamlReaderTest, TheClosingQuoteCheckScansLongLines) {
  // 200,000 characters on the continuation line: a regex recursed once per
  // character here and overflowed the stack.
  std::string line(200000, 'x');
  EXPECT_EQ(Errors("title: \"a\n" + line + "\"\nsummary: y\n"), "");
  EXPECT_EQ(Errors("title: \"a\n" + line + "\nsummary: y\n"),
            "f.yaml:1:8: error: this quoted value runs on into the next field; is its closing quote missing?\n");
  // A key is a name, ':' and a space, a line break or the closing quote.
  EXPECT_NE(Errors("title: \"a\nsum_2-x:\"\n").find("closing quote"), std::string::npos);
  EXPECT_EQ(Errors("title: \"a\n2sum: b\"\n"), "");
  EXPECT_EQ(Errors("title: \"a\nhttp://x b\"\n"), "");
}

TEST(YamlReaderTest, RejectsASecondDocumentAndDeepNesting) {
  EXPECT_NE(Errors("a: 1\n---\nb: 2\n").find("more than one YAML document"), std::string::npos);
  EXPECT_NE(Errors(std::string(100, '[') + std::string(100, ']')).find("nested more than 32"),
            std::string::npos);
  // yaml-cpp 0.7's LoadAll loops forever on a lone comma; we must return.
  Diagnostics d;
  ParseYaml(",", "f.yaml", 1, d);
  SUCCEED();
}

TEST(YamlReaderTest, MapReaderChecksFieldsAndTypes) {
  Diagnostics d;
  auto n = ParseYaml("titel: x\ncount: ten\nlevel: hard\nitems: a\nempty: ''\n", "f.yaml", 1, d);
  ASSERT_TRUE(n);
  MapReader r(*n, {"title", "count", "level", "items", "empty"}, d);
  EXPECT_EQ(r.String("title", true), "");
  EXPECT_FALSE(r.Int("count", true));
  EXPECT_EQ(r.Enum("level", {"easy", "medium"}, true), "");
  EXPECT_TRUE(r.StringList("items", true).empty());
  r.String("empty", true);
  EXPECT_EQ(test::FormatAll(d),
            "f.yaml:1:1: error: unknown field 'titel' (did you mean 'title'?)\n"
            "f.yaml:1:1: error: missing required field 'title'\n"
            "f.yaml:2:8: error: field 'count' must be a whole number, not 'ten'\n"
            "f.yaml:3:8: error: field 'level' is 'hard'; expected one of: easy, medium\n"
            "f.yaml:4:8: error: field 'items' must be a list, not a single value\n"
            "f.yaml:5:8: error: field 'empty' must not be empty\n");
}

// What a Markdown fragment needs to map positions inside a scalar back to
// the file: where its text starts, a block's indentation, and whether the
// text is verbatim.
TEST(YamlReaderTest, PlacesScalarText) {
  Diagnostics d;
  auto n = ParseYaml("a: plain\nb: \"quoted\"\nc: \"esc\\tape\"\nd: |\n    lit\ne: >\n  fold\n"
                     "f: two\n  lines\n",
                     "f.yaml", 3, d);
  ASSERT_TRUE(n) << test::FormatAll(d);
  const YamlNode* a = n->Find("a");
  EXPECT_EQ(a->text_column, 4);
  EXPECT_TRUE(a->exact);
  const YamlNode* b = n->Find("b");
  EXPECT_EQ(b->at.column, 4);
  EXPECT_EQ(b->text_column, 5);  // past the quote
  EXPECT_TRUE(b->exact);
  EXPECT_FALSE(n->Find("c")->exact);  // an escape changed the text
  const YamlNode* lit = n->Find("d");
  EXPECT_EQ(lit->at.line, 6);
  EXPECT_EQ(lit->text_column, 4);
  EXPECT_EQ(lit->block_indent, 4);
  EXPECT_TRUE(lit->exact);
  EXPECT_EQ(n->Find("e")->block_indent, 2);
  EXPECT_FALSE(n->Find("e")->exact);  // > joins lines
  EXPECT_FALSE(n->Find("f")->exact);  // so does a plain multi-line value
}

TEST(YamlReaderTest, MapReaderBoolAcceptsOnlyUnquotedTrueAndFalse) {
  Diagnostics d;
  auto n = ParseYaml("a: true\nb: false\nc: True\nd: [true]\n", "f.yaml", 1, d);
  ASSERT_TRUE(n);
  MapReader r(*n, {"a", "b", "c", "d"}, d);
  EXPECT_EQ(r.Bool("a", true), true);
  EXPECT_EQ(r.Bool("b", true), false);
  EXPECT_EQ(r.Bool("c", true), std::nullopt);
  EXPECT_EQ(r.Bool("d", true), std::nullopt);
  EXPECT_EQ(r.Bool("e", false), std::nullopt);
  EXPECT_EQ(test::FormatAll(d),
            "f.yaml:3:4: error: field 'c' must be true or false, not 'True'\n"
            "f.yaml:4:4: error: field 'd' must be true or false, not a list\n");
}

// Every field of a tree, positions included, as text to compare.
std::string Dump(const std::optional<YamlNode>& n) {
  if (!n) return "none";
  std::string out;
  auto dump = [&out](const YamlNode& node, auto& self) -> void {
    out += std::to_string(static_cast<int>(node.kind)) + "@" + node.at.path + ":" +
           std::to_string(node.at.line) + ":" + std::to_string(node.at.column) + "[" +
           node.scalar + "]" + (node.quoted ? "q" : "") + (node.block ? "b" : "") +
           (node.exact ? "e" : "") + std::to_string(node.text_column) + "/" +
           std::to_string(node.block_indent) + "(";
    for (const YamlNode& item : node.items) self(item, self);
    for (const YamlNode::Entry& e : node.entries) {
      self(e.first, self);
      out += ":";
      self(e.second, self);
    }
    out += ")";
  };
  dump(*n, dump);
  return out;
}

// ParseList and ParseYamlList give ParseYaml's tree and diagnostics, for the real glossary,
// after an edit that moves every later term down, and for texts it must
// parse whole (not a plain list, an alias across items, a broken item).
TEST(YamlCacheTest, ParseListGivesTheWholeTextsTree) {
  const std::string glossary =
      test::ReadFile(std::string(CASEBOOK_SOURCE_DIR) + "/content/glossary.yaml");
  std::string edited = glossary;
  size_t at = edited.find("  definition: >-\n");
  ASSERT_NE(at, std::string::npos);
  edited.insert(at, "  # a comment\n  category: Moved\n");
  const std::vector<std::string> texts = {
      glossary,
      edited,
      "# notes\n- id: a\n  term: A\n\n- id: b\n  term: B\n",
      "- &x id: a\n- *x\n",
      "- id: a\n- id: [b\n- id: c\n",
      "---\n- id: a\n- id: b\n",
      "- id: a\nother: 1\n- id: b\n",
      "- a\n-\n- c\r\n"};
  YamlCache cache;
  for (int round = 0; round < 2; ++round)  // the second from the cache
    for (const std::string& text : texts) {
      Diagnostics whole, list;
      std::string expected = Dump(ParseYaml(text, "g.yaml", 3, whole));
      EXPECT_EQ(Dump(cache.ParseList(text, "g.yaml", 3, list, round + 1)), expected)
          << text.substr(0, 60);
      EXPECT_EQ(test::FormatAll(list), test::FormatAll(whole)) << text.substr(0, 60);
      // Without a cache, on 1 and 4 threads.
      for (int jobs : {1, 4}) {
        Diagnostics uncached;
        EXPECT_EQ(Dump(ParseYamlList(text, "g.yaml", 3, jobs, uncached)), expected)
            << jobs << " " << text.substr(0, 60);
        EXPECT_EQ(test::FormatAll(uncached), test::FormatAll(whole)) << text.substr(0, 60);
      }
    }
}

// The entries written for the disk cache read back as the same trees:
// every field and position, block scalars and quoting included (a file
// cut short is disk_cache_test's).
TEST(YamlCacheTest, EntriesReadBackAsTheSameTrees) {
  const std::string glossary =
      test::ReadFile(std::string(CASEBOOK_SOURCE_DIR) + "/content/glossary.yaml");
  const std::string front = "title: 'Quoted: yes'\nn: -3\nlist:\n  - |\n    a\n    b\n  - >\n    c\n    d\n"
                            "empty:\nmap: {a: 1, \"b\": [x, y]}\n";
  YamlCache cache;
  Diagnostics d;
  cache.ParseList(glossary, "/c/glossary.yaml", 1, d, 2);
  cache.Parse(front, "/c/x.md", 2, d);
  ASSERT_TRUE(d.all().empty()) << test::FormatAll(d);
  std::string text;
  cache.Write(text);
  YamlCache back;
  size_t at = 0;
  ASSERT_TRUE(back.Read(text, at));
  EXPECT_EQ(at, text.size());
  EXPECT_EQ(back.size(), cache.size());
  Diagnostics whole, hit;
  EXPECT_EQ(Dump(back.Parse(front, "/c/x.md", 2, hit)), Dump(ParseYaml(front, "/c/x.md", 2, whole)));
  EXPECT_EQ(Dump(back.ParseList(glossary, "/c/glossary.yaml", 1, hit)),
            Dump(ParseYaml(glossary, "/c/glossary.yaml", 1, whole)));
  EXPECT_EQ(back.size(), cache.size()) << "a text read back was parsed again";
}

}  // namespace
}  // namespace casebook
