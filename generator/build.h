// Build(): the only place that knows the order of the phases.
#pragma once

#include <memory>
#include <string>

#include "diagnostics.h"
#include "diagram.h"
#include "linker.h"
#include "math.h"
#include "page_map.h"
#include "render.h"
#include "site_model.h"
#include "writer.h"
#include "yaml_reader.h"

namespace casebook {

struct BuildOptions {
  std::string content_dir = "content";
  std::string templates_dir = "templates";
  std::string out_dir = "site";
  int jobs = 1;
  bool strict = false;  // warnings are errors
  bool write = true;    // false for `casebook check`
  std::string base_url;  // overrides site.yaml's (the Pages workflow sets it)
  // Offline search: the lunr library copied into the site (Debian's
  // libjs-lunr by default). Without search the site has no search box.
  bool search = true;
  std::string search_library = "/usr/share/javascript/lunr/lunr.min.js";
  // Build(): keep formulas' MathML and graphs' drawings on disk between
  // runs (disk_cache.h).
  bool disk_cache = true;
};

struct BuildResult {
  Diagnostics diags;
  int pages = 0;   // HTML pages written (or that would be)
  int files = 0;   // every output file
  int rendered = 0;  // pages whose templates ran (fewer than `pages` when a cache had the rest)
  // A problem with the command or the machine (bad flags, an output folder
  // casebook may not use, a failed write), not with the content: exit 2.
  bool usage_error = false;
};

// Runs every phase in order. Does not throw: an exception from any phase
// or worker thread becomes the error "internal error: <what>" ("out of
// memory" for std::bad_alloc) with usage_error set (exit 2).
BuildResult Build(const BuildOptions& options);

// What one process keeps from build to build (`casebook serve`), so that a
// rebuild after a one-file edit redoes only what the edit changed:
// formulas and graphs already converted, and each page's last output by
// the fingerprint of what it was rendered from. Owned by the caller;
// one build at a time.
struct BuildCache {
  // false: YAML, formulas and graphs only (what Build() keeps on disk); a
  // build of many pages would otherwise pay to fingerprint and keep every
  // page.
  bool whole = true;
  // With `whole` false: whether the YAML is kept (only for the disk cache:
  // keeping a copy of every tree costs a build that has nowhere to save it).
  bool keep_yaml = true;
  YamlCache yaml;
  MathCache math;          // holds the last build's formulas only
  DiagramCache diagrams;   // and its graphs only
  LinkCache link;
  RenderCache pages;
  TemplateCache templates;
};

// Build() without the write: every file of the site, in memory, in a fixed
// order (`options.write` and `out_dir` are ignored; nothing is written).
// `files` is empty when there are errors. With a `cache`, the output is
// byte-identical to a build without one. Does not throw (as Build()).
BuildResult BuildFiles(const BuildOptions& options, BuildCache* cache,
                       std::vector<OutputFile>& files);

// A loaded and linked site, ready to render. Neither copied nor moved:
// map points into site.
struct LinkedSite {
  Site site;
  PageMap map;
  LinkedSite() = default;
  LinkedSite(const LinkedSite&) = delete;
  LinkedSite& operator=(const LinkedSite&) = delete;
};

// Every phase before rendering: load, index, link (which parses, and
// converts formulas and graphs between its two rounds) and the
// cross-reference checks, reporting to `diags`. `base_url`, if given,
// replaces site.yaml's (REQUIRES: IsValidBaseUrl). The site is returned
// even after errors, for tests to inspect; render it only without errors.
std::unique_ptr<LinkedSite> LinkContent(const std::string& content_dir,
                                        const std::string& base_url, int jobs,
                                        Diagnostics& diags, BuildCache* cache = nullptr);

}  // namespace casebook
