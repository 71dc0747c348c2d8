// What a linked file other than a content page may be, and reading such
// files for output. A media file is published as media/<its content path>,
// so everything a browser would do with it must be safe: only image and pdf
// extensions, a size cap, no way out of content/ through a symbolic link,
// and no SVG that runs scripts or fetches from another host.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "writer.h"

namespace casebook {

// Images and other linked files may be at most this large.
constexpr long kMaxMediaBytes = 8 << 20;

// Checks content_dir/rel as a link target. Returns the problem as the
// diagnostic's message, or "" when the file may be published.
// REQUIRES: rel is normalized and inside content_dir (no "..", no leading /).
std::string CheckMediaFile(const std::string& content_dir, const std::string& rel);

// The contents of every file in `rels` (content-relative paths that
// CheckMediaFile accepted), as output files under media/. A file that
// cannot be read is an error: a site without it would have broken images.
std::vector<OutputFile> ReadMediaFiles(const std::string& content_dir,
                                       const std::set<std::string>& rels, Diagnostics& diags);

}  // namespace casebook
