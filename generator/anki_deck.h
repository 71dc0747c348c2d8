// The Anki deck, practice/anki.txt: every question of the guide as a note of
// Anki's built-in "Basic" note type (Front, Back), in the tab-separated text
// format that Anki's importer reads, with the header lines that tell it the
// separator, that fields are HTML, the note type, the deck, and which
// columns hold each note's GUID and tags
// (https://docs.ankiweb.net/importing/text-files.html). Anki files the
// notes in the deck named like the guide if the reader has one, else in
// the deck chosen in its import dialog; fields are filled by position.
//
// A note's GUID derives from the site's id and the question's storage key
// (QuestionKeys), so importing a newer deck updates the notes it already
// made, answers included; a reworded question is a new note, as it is a new
// card on the practice page. Tags name its step, or its case study and
// category, under the site's id ("mlsd::case::ad-click-prediction").
//
// Pure functions of a linked Site (its deck copies, linked to stand alone);
// safe from many threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "site_model.h"

namespace casebook {

struct AnkiNote {
  std::string guid;
  std::string front, back;  // HTML
  std::string tags;         // space-separated
};

// The notes of every question, in QuestionGroups order (the practice page's).
std::vector<AnkiNote> DeckNotes(const Site& site);

// The whole file: header lines, then one line per note.
std::string AnkiDeckText(const std::string& deck_name, const std::vector<AnkiNote>& notes);

// One field as Anki's CSV reader takes it back unchanged: on one line (a
// tab or line break in text becomes its character reference, one inside a
// tag a space), and in double quotes, doubled inside, when it holds one.
std::string AnkiField(std::string_view html);

// "cb" and 16 hex digits: stable for the same site id and key.
std::string AnkiGuid(const std::string& site_id, const std::string& key);

// The deck file of `site`: AnkiDeckText(site title, DeckNotes(site)).
std::string AnkiDeckFile(const Site& site);

}  // namespace casebook
