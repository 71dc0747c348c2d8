// Build(): the only place that knows the order of the phases.
#pragma once

#include <string>

#include "diagnostics.h"

namespace casebook {

struct BuildOptions {
  std::string content_dir = "content";
  std::string templates_dir = "templates";
  std::string out_dir = "site";
  int jobs = 1;
  bool strict = false;  // warnings are errors
  bool write = true;    // false for `casebook check`
  std::string base_url;  // overrides site.yaml's (the Pages workflow sets it)
};

struct BuildResult {
  Diagnostics diags;
  int pages = 0;   // HTML pages written (or that would be)
  int files = 0;   // every output file
  // A problem with the command or the machine (bad flags, an output folder
  // casebook may not use, a failed write), not with the content: exit 2.
  bool usage_error = false;
};

BuildResult Build(const BuildOptions& options);

}  // namespace casebook
