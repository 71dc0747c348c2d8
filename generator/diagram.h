// Graphviz diagrams to inline SVG at build time, so that readers need no
// JavaScript and the page makes no request.
//
// Each distinct graph (by its DOT text) runs once through Debian's `dot`,
// in child processes that lay out several graphs each (starting dot costs
// more than laying out a small graph), a few at a time; a graph that does
// not lay out cleanly runs again in a process of its own. Each process
// runs with a time limit (the child is killed after it, and the block gets
// an error), a memory limit, a cap on its output, a clean environment, and
// GV_FILE_PATH set to an empty folder with SERVER_NAME set (Graphviz
// confines image=, <IMG SRC> and shapefile= to GV_FILE_PATH only in its
// "web server" mode), so that Graphviz loads no image or shape file: it
// warns that the file name is unsafe instead (for an <IMG>, an error).
// Font names that could break out of Graphviz's unescaped
// font-family="..." are refused first. Its SVG is then checked and made
// themeable by diagram_svg.h. Graphviz's errors and warnings are reported
// at the block, on the line they name.
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "diagnostics.h"

namespace casebook {

struct DiagramSource {
  std::string dot;      // the fenced block's text, as written
  std::string caption;  // the info string after "dot", trimmed
  SourceLocation at;    // the opening fence
  // 1 when line N of the block is at line at.line + N of the file; 0 when
  // the fragment's positions are approximate (every line maps to `at`).
  int line_step = 1;
};

struct Diagram {
  std::string svg;    // an <svg> element without role or name (DiagramFigure adds them)
  std::string label;  // the graph's own label, "" when it has none
};

// What Graphviz (and casebook's checks of its SVG) said about one graph.
struct DiagramMessage {
  bool error = true;
  int line = 0;  // in the block, 0 when it names none
  std::string text;
  bool from_graphviz = false;  // said by dot, not by casebook
};
struct DiagramRun {
  bool ok = false;
  Diagram diagram;
  std::vector<DiagramMessage> messages;
};

// Each graph's run, by its DOT text, kept between builds of one process
// (`casebook serve`) so that a rebuild runs `dot` only for graphs it has
// not seen. Only successful runs are kept (a failure may be a time limit);
// their warnings are replayed at every block that holds the graph, as on
// the first build. Not thread-safe; one build at a time.
using DiagramCache = std::map<std::string, DiagramRun>;

struct DiagramOptions {
  int timeout_ms = 10000;  // per dot process (a graph run alone has all of it)
  std::string program;     // "" finds `dot` ($CASEBOOK_DOT, then PATH)
  std::atomic<int>* dot_runs = nullptr;  // when set, counts the dot processes started
};

// Converts each distinct graph. A graph that fails, or that has neither a
// caption nor a label to name it, is reported at every block that holds
// it and left out of the map. Errors are reported in input order, so the
// diagnostics do not depend on `jobs`. The graphs are laid out in batches
// of at most 32 KiB of DOT, one dot process each, up to one per worker and
// kMaxDotProcesses at a time, each graph exactly as if alone; a graph of a
// batch that is not clean is run alone again, so what is reported is
// always the graph's own.
std::map<std::string, Diagram> ConvertDiagrams(const std::vector<DiagramSource>& sources,
                                               int jobs, Diagnostics& diags,
                                               const DiagramOptions& options = {},
                                               DiagramCache* cache = nullptr);

// The `dot` ConvertDiagrams runs by default ($CASEBOOK_DOT, else found on
// PATH), "" when there is none.
std::string DiagramProgram();

// The figure that replaces a block: the SVG as an image (role="img") named
// by the caption (a <figcaption> with id `id`, which must be unique on the
// page) or, without a caption, by the graph's label (aria-label).
std::string DiagramFigure(const Diagram& d, const std::string& caption, const std::string& id);

// The font Graphviz lays text out with; DejaVu Sans is wider than most
// sans-serif fonts, so the page's own font fits inside the boxes.
constexpr const char* kDiagramFont = "DejaVu Sans";

// Larger drawings (in SVG units, CSS pixels) get a warning, so --strict
// refuses them: no page shows them legibly.
constexpr int kMaxDiagramWidth = 2000;
constexpr int kMaxDiagramHeight = 3000;

// dot processes run at once, at most, whatever --jobs says: each may take
// up to its memory limit (1 GiB).
constexpr int kMaxDotProcesses = 4;

}  // namespace casebook
