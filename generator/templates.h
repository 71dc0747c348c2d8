// Loads the Mustache templates (kainjow) and the assets beside them.
//
// Partials (`{{> name}}`, from templates/partials/name.html) are inlined as
// text when the templates load, and every file is validated on its own, so
// template errors are reported at their file:line:col before anything
// renders. (kainjow would otherwise re-parse partials on every use and, on
// a broken one, render empty strings from then on; see deps.md.)
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <kainjow/mustache.hpp>

#include "diagnostics.h"
#include "template_check.h"

namespace casebook {

using TemplateData = kainjow::mustache::data;

struct Templates {
  std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>> pages;
  // Files under templates/assets/, by path relative to it, with contents.
  std::map<std::string, std::string> assets;
  // Changes whenever any page template (partials inlined) changes: a page
  // rendered from the same data with the same fingerprint is the same.
  uint64_t fingerprint = 0;
};

// What `{{name}}` writes for a value: kainjow's html_escape byte for byte
// (& < > " ' as &amp; &lt; &gt; &quot; &apos;), but copying the runs
// between them whole instead of one call per character. Every template
// escapes with it; code that writes what a template would (the "Used in"
// lists) calls it too.
std::string TemplateEscape(const std::string& s);
// TemplateEscape(s) appended to `out`.
void AppendTemplateEscaped(std::string_view s, std::string& out);

// Loads one template per entry of `shapes` (by name: "case" is case.html)
// and checks every tag against that template's shape, following sections
// and partials as Mustache resolves names: a tag naming data the page does
// not have is an error at its file:line:col (Mustache itself would render
// it empty, silently).
Templates LoadTemplates(const std::string& dir, const std::map<std::string, DataShape>& shapes,
                        Diagnostics& diags);

// The templates of the last build of one process (`casebook serve`), kept
// while every file under the templates folder reads as it did: loading
// and checking them was a tenth of a rebuild. Not thread-safe.
struct TemplateCache {
  uint64_t files = 0;  // a hash of every entry under the folder: path, kind, bytes
  std::shared_ptr<const Templates> templates;
};

// LoadTemplates through `cache`: the same templates when no file under
// `dir` changed (and `shapes` is the same map); a load that reported
// anything is not kept, so its diagnostics come again.
std::shared_ptr<const Templates> LoadTemplates(const std::string& dir,
                                               const std::map<std::string, DataShape>& shapes,
                                               Diagnostics& diags, TemplateCache* cache);

// Renders template `name` alone: a page's content (what the layout wraps),
// or a template that is a whole document (print.html).
// REQUIRES: LoadTemplates reported no errors.
std::string RenderContent(const Templates& t, const std::string& name, const TemplateData& data);
// The layout around `content`, with the page's `data`.
std::string WrapInLayout(const Templates& t, TemplateData data, const std::string& content);
// A hash of what of `data` a template of `shape` can read: every field the
// shape names, at every depth, and whether it is there. The template check
// lets a template use only those names, so equal fingerprints (for the
// same Templates::fingerprint) render equal text. 0 when the data holds
// something a hash cannot see (a lambda or a partial).
uint64_t DataFingerprint(const TemplateData& data, const DataShape& shape);

// RenderContent, then WrapInLayout.
std::string RenderPage(const Templates& t, const std::string& name, TemplateData data);

}  // namespace casebook
