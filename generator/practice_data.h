// Page data, part 4: the practice page. Every question of the guide (each
// step's, then each case study's in reading order) with its storage key
// and the decks it belongs to (its step, or its case study and category),
// the decks a reader can pick, and what the mock interview needs: the
// interview lengths every step has a budget for, each step's budget and
// checklist in short form, and the case studies with their step sections.
//
// A view of other pages, built from the same linked Site; it shows only the
// fragments the page map gave it (CopyPractice in build.cc). Pure
// functions; safe from many threads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "page_map.h"
#include "site_model.h"
#include "templates.h"

namespace casebook {

const std::string& PracticeShape();

// The data of the practice page, added to `d`; `url` is the page's own.
void PracticeData(TemplateData& d, const Site& site, const std::string& url);

}  // namespace casebook
