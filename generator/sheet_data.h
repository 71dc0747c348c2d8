// Page data, part 3: the cheat sheets. A case study's sheet (its problem,
// task, headline numbers, metrics, first diagram, the decisions per step,
// the first failure modes and what interviewers probe), the framework
// sheet (every step with its time and its checklist in short form) and the
// metrics sheet (the glossary terms marked `sheet: true`).
//
// A sheet is a view of other pages, built from the same linked Site; it
// shows only the fragments the page map gave it (its own copies, see
// PrepareSheets in build.cc). Pure functions; safe from many threads.
#pragma once

#include <string>

#include "page_map.h"
#include "site_model.h"
#include "templates.h"

namespace casebook {

const std::string& CaseSheetShape();
const std::string& FrameworkSheetShape();
const std::string& MetricsSheetShape();

// The data of a sheet page, added to `d`; `url` is the sheet's own.
void CaseSheetData(TemplateData& d, const Site& site, const PageMap& map, const CaseStudy& c,
                   const std::string& url);
void FrameworkSheetData(TemplateData& d, const Site& site, const std::string& url);
void MetricsSheetData(TemplateData& d, const Site& site, const std::string& url);

// The scale rows a case's sheet shows: its headline row and the rows marked
// `sheet: true`, in the order written; the first rows when none is either.
std::vector<const ScaleRow*> SheetScaleRows(const CaseStudy& c);

}  // namespace casebook
