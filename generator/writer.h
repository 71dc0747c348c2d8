// Phase 7, write: puts the rendered files on disk without ever losing a
// file. The site is written into a staging folder beside the output folder
// and swapped in only when complete, so a failed or interrupted build leaves
// the previous site as it was. A manifest in the output folder lists what
// casebook wrote; casebook refuses a non-empty folder without one, refuses
// one that holds files the manifest does not list, and deletes nothing else.
#pragma once

#include <string>
#include <vector>

#include "diagnostics.h"

namespace casebook {

constexpr const char* kManifestName = ".casebook-manifest";

// One file of the site, as the earlier phases produce it.
struct OutputFile {
  std::string path;  // relative to the output folder
  std::string content;
};

// Checks that `out_dir` may be written: reports why not (a usage error).
// `inputs` are folders the output must neither be nor contain nor sit in.
bool CheckOutputFolder(const std::string& out_dir, const std::vector<std::string>& inputs,
                       Diagnostics& diags);

// Writes `files` as the new contents of out_dir. REQUIRES: CheckOutputFolder.
bool WriteSite(const std::string& out_dir, std::vector<OutputFile> files, Diagnostics& diags);

}  // namespace casebook
