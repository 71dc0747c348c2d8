#include "anki_deck.h"

#include <cstdint>

#include "page_map.h"
#include "text.h"

namespace casebook {

namespace {

// Anki splits tags at white space; ids and CategorySlugs have none.
std::string AnkiTag(const std::string& site_id, const std::string& kind, const std::string& id) {
  return site_id + "::" + kind + "::" + id;
}

// Where a note comes from, above its question: a question often says
// "here" of its case study.
std::string Front(const std::string& from, const Question& q) {
  return "<p><small>" + HtmlEscape(from) + "</small></p>\n<p>" + q.question.Html() + "</p>";
}

// The answer, and with a base URL a link to where the question is asked.
std::string Back(const Site& site, const std::string& url, const Question& q) {
  std::string back = q.answer.Html();
  if (!site.config.base_url.empty())
    back += "<p><small><a href=\"" + HtmlEscape(site.config.base_url + url) +
            "#" + Generated("questions").anchor + "\">Read it in the guide</a></small></p>";
  return back;
}

// `questions` are the deck's copies of `originals`, which the keys hash.
void AddNotes(const Site& site, const std::string& scope, const std::string& url,
              const std::string& from, const std::string& tags,
              const std::vector<Question>& questions, const std::vector<Question>& originals,
              std::vector<AnkiNote>& notes) {
  std::vector<std::string> keys = QuestionKeys(scope, originals);
  for (size_t i = 0; i < questions.size(); ++i)
    notes.push_back({AnkiGuid(site.config.id, keys[i]), Front(from, questions[i]),
                     Back(site, url, questions[i]), tags});
}

// Text fit for a header line's value: one line, no tab.
std::string OneLine(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return out;
}

}  // namespace

std::vector<AnkiNote> DeckNotes(const Site& site) {
  std::vector<AnkiNote> notes;
  const std::string& id = site.config.id;
  for (const QuestionGroup& g : QuestionGroups(site)) {
    const auto& copies = g.is_case ? site.deck.cases : site.deck.steps;
    if (g.index >= copies.size()) continue;
    std::string from, tags;
    if (g.is_case) {
      from = "Case study: " + g.title;
      tags = AnkiTag(id, "case", site.cases[g.index].id) + " " + AnkiTag(id, "category", g.category);
    } else {
      from = "Step " + g.title;
      tags = AnkiTag(id, "step", site.steps[g.index].id);
    }
    AddNotes(site, g.scope, g.url, from, tags, copies[g.index], *g.questions, notes);
  }
  return notes;
}

std::string AnkiField(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  bool in_tag = false, quoted = false;
  char quote = 0;
  for (char c : html) {
    if (in_tag) {
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        in_tag = false;
      }
    } else if (c == '<') {
      in_tag = true;
    }
    if (c == '\t' || c == '\n' || c == '\r') {
      // Between a tag's attributes any white space is a space; in text a
      // character reference keeps what the character meant (a line of a
      // code block).
      out += in_tag ? " " : c == '\t' ? "&#9;" : c == '\n' ? "&#10;" : "&#13;";
      continue;
    }
    if (c == '"') quoted = true;
    out += c;
  }
  if (!quoted) return out;
  std::string field = "\"";
  for (char c : out) field += c == '"' ? std::string("\"\"") : std::string(1, c);
  return field + "\"";
}

std::string AnkiGuid(const std::string& site_id, const std::string& key) {
  // 64-bit FNV-1a: a GUID needs stability, not secrecy, and 64 bits keep
  // the thousands of notes of a large guide apart.
  uint64_t h = 14695981039346656037ull;
  for (char c : site_id + "\n" + key) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out = "cb";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(h >> shift) & 0xF];
  return out;
}

std::string AnkiDeckText(const std::string& deck_name, const std::vector<AnkiNote>& notes) {
  // No #columns line: with column names Anki maps fields by name, and a
  // collection in another language names Basic's fields otherwise. By
  // position, columns 2 and 3 fill the note type's first two fields.
  std::string text =
      "#separator:tab\n"
      "#html:true\n"
      "#notetype:Basic\n"
      "#deck:" + OneLine(deck_name) + "\n"
      "#guid column:1\n"
      "#tags column:4\n";
  for (const AnkiNote& n : notes)
    text += AnkiField(n.guid) + "\t" + AnkiField(n.front) + "\t" + AnkiField(n.back) + "\t" +
            AnkiField(n.tags) + "\n";
  return text;
}

std::string AnkiDeckFile(const Site& site) {
  return AnkiDeckText(site.config.title, DeckNotes(site));
}

}  // namespace casebook
