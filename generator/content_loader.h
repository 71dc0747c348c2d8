// Phase 1, load: reads content/ into a Site. Walks the folders, reads and
// splits each file (source_file), takes ids from file names, and hands each
// file's YAML to the schema (front_matter). Checks across files that need no
// Markdown (step numbers, comparison columns) are done here; the rest wait
// for the link phase.
#pragma once

#include <set>
#include <string>

#include "diagnostics.h"
#include "site_model.h"
#include "source_file.h"
#include "yaml_reader.h"

namespace casebook {

struct LoadOptions {
  // YAML texts this cache holds are not parsed again (see YamlCache).
  YamlCache* yaml = nullptr;
  // Files are read on up to this many threads; the Site and the
  // diagnostics do not depend on it.
  int jobs = 1;
};

// Reads a whole content folder. `content_dir` prefixes every path in
// diagnostics, exactly as given.
Site LoadContent(const std::string& content_dir, Diagnostics& diags,
                 const LoadOptions& options = {});

// Warns about every file under content/ that no rule reads and no page
// links to, so that nothing is silently left out of the site.
void ReportStrayFiles(const std::string& content_dir, const std::set<std::string>& linked,
                      Diagnostics& diags);

}  // namespace casebook
