// Page data, part 2: the template data of any page of the page map (what
// every page has, navigation, and the pages that list many entries), and the
// shape of each template's data, which the template check enforces.
//
// Pure functions of a linked Site and its PageMap; safe from many threads.
#pragma once

#include <map>
#include <set>
#include <string>

#include "page_map.h"
#include "site_model.h"
#include "templates.h"

namespace casebook {

// The data of map.pages[n] for its page template (and the layout).
TemplateData PageData(const Site& site, const PageMap& map, size_t n);

// The data of 404.html: no page of the map, and absolute links, because
// GitHub Pages serves it at any depth.
// `css` is the site's stylesheet, inlined into 404.html.
TemplateData NotFoundData(const Site& site, const PageMap& map, const std::string& css);

// What each template may use, by template name: every page template of
// PageKinds(), plus "layout" and "404".
const std::map<std::string, DataShape>& TemplateShapes();

// Every name any page data can hold.
const std::set<std::string>& AllDataNames();

}  // namespace casebook
