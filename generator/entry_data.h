// Page data, part 1: the pieces every page's template data is built from
// (links, summaries, checklists), and the data of the pages that each show
// one content entry: a free page, a framework step, a case study, a term.
//
// Each builder sits beside the shape of what it produces (a DataShape spec,
// see templates.h); the template check reads those shapes, so a template
// may use exactly the names its page kind's data has. A test renders every
// page of a real site and compares its data with its shape.
//
// Pure functions of a linked Site; safe to call from many threads at once.
#pragma once

#include <string>

#include "page_map.h"
#include "site_model.h"
#include "templates.h"

namespace casebook {

using Data = TemplateData;

Data List();
// Sets a field of the object `d`, taking `value` (pass a temporary or
// std::move it: kainjow's data copies deeply). `key` must be a name of
// some shape (AllDataNames()); a name no template may use is a bug in the
// data builders.
void Put(Data& d, const std::string& key, Data value);
// Empty text is false, so that {{#field}} hides an empty field, and the key
// stays present, so that Mustache never finds a same-named outer value.
Data Str(const std::string& s);

// Shapes of the building blocks, for the page shapes that use them.
// (Functions, not globals: other files' shapes are built from them during
// static initialization.)
const std::string& LinkShape();         // title url
const std::string& StepSummaryShape();  // a step card
const std::string& CaseSummaryShape();  // a case-study card
const std::string& TermRefShape();      // a link to a term, with its tooltip
const std::string& ChecklistShape();       // in full, as on its step's page
const std::string& ShortChecklistShape();  // in short form, as on a case page
const std::string& BodyShape();         // a page body and its contents list

Data Link(const std::string& title, const std::string& url);
Data StepSummary(const Site& site, size_t step, const std::string& from);
Data CaseSummary(const CaseStudy& c, const std::string& from);
Data TermRef(const Term& t, const std::string& from);
Data TermRef(const Site& site, const PageMap& map, const std::string& id,
             const std::string& from);  // by id
// A checklist under `scope` (see ChecklistKey): each item's text and why.
Data ChecklistData(const std::vector<ChecklistItem>& items, const std::string& scope);
// The same checklist in short form: each item's `brief` (which a case
// study's copies always have) and, once, `step_url`, where the full one is.
// The keys are those ChecklistData gives.
Data ShortChecklistData(const std::vector<ChecklistItem>& items, const std::string& scope,
                        const std::string& step_url);
// Adds the accessible name "Checklist: <step title>" (`label`) to a checklist's data.
Data LabelledChecklist(Data checklist, const std::string& step_title);
void Body(Data& d, const Fragment& body);

// The data of one entry's page, added to `d`; `url` is the page's own.
const std::string& FreePageShape();
const std::string& StepShape();
const std::string& CaseShape();
const std::string& TermShape();
void FreePageData(Data& d, const FreePage& p);
void StepData(Data& d, const Site& site, size_t step, const std::string& url);
void CaseData(Data& d, const Site& site, const PageMap& map, const CaseStudy& c, const std::string& url);
void TermData(Data& d, const Site& site, const PageMap& map, const Term& t, const std::string& url);

}  // namespace casebook
