// Phase 6, render: turns the linked Site into output files through the
// templates. Pages are rendered in parallel; the file list comes out in a
// fixed order.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "site_model.h"
#include "templates.h"
#include "writer.h"

namespace casebook {

// The HTML pages, 404.html, .nojekyll, sitemap.xml (with base_url) and the
// template assets. Media files are added by the caller.
std::vector<OutputFile> RenderSite(const Site& site, const Templates& templates, int jobs);

// Every name the page data can contain; templates may use no other.
const std::set<std::string>& TemplateVariables();

// The data of every page, in reading order (exposed for tests).
std::vector<TemplateData> AllPageData(const Site& site, int jobs);

// The data a checklist gives a template; exposed for tests.
// `scope` names where the list is ("step/evaluation" or
// "case/ad-click/evaluation"); each item's browser key is
// scope/item-id/hash-of-its-text, so rewording an item resets that item only.
TemplateData ChecklistData(const std::vector<ChecklistItem>& items, const std::string& scope);

}  // namespace casebook
