// The formulas' MathML, the graphs' drawings and the parsed YAML kept on
// disk between runs of `casebook build`, so that a build whose formulas and
// graphs have not changed starts no blahtexml and no dot (those child
// processes were most of the guide's build time), and a YAML text read
// before is not parsed again (yaml-cpp then took a quarter of it).
//
// One file per content folder, under $CASEBOOK_CACHE_DIR, else
// $XDG_CACHE_HOME/casebook, else $HOME/.cache/casebook (no cache when none
// is set), named by a hash of the folder's absolute path. It holds what one
// build converted and is replaced whole (written beside it, then renamed)
// by the next, so it never grows past one guide's formulas, graphs and
// YAML (only texts that parsed without a diagnostic are kept: a hit has
// nothing to report).
//
// An entry is used only when the file names the same casebook binary and
// the same blahtexml and dot (path, size and modification time): a new
// Graphviz draws anew. A file that cannot be read, is not in the format or
// is larger than kMaxDiskCacheBytes is ignored as if absent. The cache is
// the user's own (folder mode 0700, file 0600); entries are output casebook
// made, so they are trusted like the programs that made them.
//
// Not thread-safe; call from the thread that runs the build.
#pragma once

#include <cstddef>
#include <string>

#include "diagram.h"
#include "math.h"
#include "yaml_reader.h"

namespace casebook {

constexpr size_t kMaxDiskCacheBytes = 64u << 20;

// The cache file for `content_dir`, or "" when no cache folder is set.
std::string DiskCachePath(const std::string& content_dir);

// Adds the file's entries to the caches; false (and nothing added) when the
// file is absent, unreadable, malformed or made for other programs.
bool LoadDiskCache(const std::string& path, MathCache& math, DiagramCache& diagrams,
                   YamlCache* yaml = nullptr);

// Replaces the file with these entries; false when it could not be written
// (a cache is an optimisation: the build goes on).
bool SaveDiskCache(const std::string& path, const MathCache& math, const DiagramCache& diagrams,
                   const YamlCache* yaml = nullptr);

// Exposed for tests: the file's text and its reading back.
std::string DiskCacheText(const MathCache& math, const DiagramCache& diagrams,
                          const YamlCache* yaml = nullptr);
bool ParseDiskCache(const std::string& text, MathCache& math, DiagramCache& diagrams,
                    YamlCache* yaml = nullptr);

}  // namespace casebook
