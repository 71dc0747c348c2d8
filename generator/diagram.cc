#include "diagram.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "child_process.h"
#include "diagram_svg.h"
#include "parallel.h"
#include "text.h"

namespace casebook {

namespace {

// What Graphviz said about one graph, with the block line it names (0:
// the block as a whole).
using Message = DiagramMessage;
using Outcome = DiagramRun;

std::string FindDot() {
  if (const char* env = std::getenv("CASEBOOK_DOT")) return env;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    std::string candidate = dir + "/dot";
    if (!dir.empty() && access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The line of the block that Graphviz's syntax error names ("<stdin>:
// syntax error in line N ..."), or 0 (the fence) for any other message:
// others may echo the author's text (a port named "in line 9"). Clamped
// to the block's `lines`; a number that does not fit an int is 0.
int LineOf(const std::string& text, int lines) {
  static const std::string kSyntax = "<stdin>: syntax error in line ";
  if (text.rfind(kSyntax, 0) != 0) return 0;
  const char* digits = text.c_str() + kSyntax.size();
  if (*digits < '0' || *digits > '9') return 0;
  errno = 0;
  char* end = nullptr;
  long n = std::strtol(digits, &end, 10);
  if (errno == ERANGE || n > INT_MAX || end == digits) return 0;
  return n < 1 ? 0 : static_cast<int>(std::min<long>(n, lines));
}

int LineCount(const std::string& dot) {
  int lines = 1 + static_cast<int>(std::count(dot.begin(), dot.end(), '\n'));
  return !dot.empty() && dot.back() == '\n' ? lines - 1 : lines;
}

// "<stdin>: syntax error in line 3 near ';'" -> "DOT syntax error near ';'".
std::string Tidy(std::string text) {
  for (const char* noise : {"<stdin>: ", " of <stdin>"})
    for (size_t p; (p = text.find(noise)) != std::string::npos;)
      text.erase(p, std::string(noise).size());
  size_t at = text.find("syntax error in line ");
  if (at == 0) {
    size_t end = text.find_first_not_of("0123456789", at + 21);
    text = "DOT syntax error" + (end == std::string::npos ? "" : text.substr(end));
  }
  return Abbreviated(Trim(text), 200);
}

// Graphviz's "Error: ..." and "Warning: ..." lines; the lines that follow
// one (the rest of a quoted string, say) repeat the source and are left out.
std::vector<Message> ParseMessages(const std::string& err, int block_lines) {
  std::vector<Message> out;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    bool error = line.rfind("Error: ", 0) == 0;
    if (!error && line.rfind("Warning: ", 0) != 0) continue;
    std::string text = line.substr(error ? 7 : 9);
    out.push_back({error, LineOf(text, block_lines), Tidy(text), true});
  }
  return out;
}

bool HasError(const std::vector<Message>& messages) {
  for (const Message& m : messages)
    if (m.error) return true;
  return false;
}

// Where `dot` has its next "//", "/*" or "#" comment, quoted string or
// HTML string at `p`: the position after it; else p itself.
size_t SkipToken(const std::string& dot, size_t p) {
  auto after = [&](size_t at) { return at == std::string::npos ? dot.size() : at; };
  if (dot.compare(p, 2, "/*") == 0) return after(dot.find("*/", p + 2)) + 2;
  bool line_start = p == 0 || dot[p - 1] == '\n';
  if (dot.compare(p, 2, "//") == 0 || (dot[p] == '#' && line_start))
    return after(dot.find('\n', p));
  if (dot[p] == '"') {
    for (size_t q = p + 1; q < dot.size(); ++q) {
      if (dot[q] == '\\') ++q;
      else if (dot[q] == '"') return q + 1;
    }
    return dot.size();
  }
  if (dot[p] == '<') {
    int depth = 0;
    for (size_t q = p; q < dot.size(); ++q) {
      if (dot[q] == '<') ++depth;
      else if (dot[q] == '>' && --depth == 0) return q + 1;
    }
    return dot.size();
  }
  return p;
}

// The position of the brace that opens the graph's body, outside strings
// and comments, or npos.
size_t GraphBodyStart(const std::string& dot) {
  for (size_t p = 0; p < dot.size();) {
    size_t next = SkipToken(dot, p);
    if (next != p) {
      p = next;
      continue;
    }
    if (dot[p] == '{') return p;
    ++p;
  }
  return std::string::npos;
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// The value of an attribute at `p` (a quoted string, "a" + "b" joined, an
// HTML string or a bare word), as written, quotes left out.
std::string AttributeValue(const std::string& dot, size_t p) {
  std::string value;
  for (;;) {
    size_t end = SkipToken(dot, p);
    if (end == p) {  // a bare word
      end = dot.find_first_of(" \t\r\n,;]>", p);
      return value + dot.substr(p, end == std::string::npos ? std::string::npos : end - p);
    }
    bool quoted = dot[p] == '"';
    value += quoted ? dot.substr(p + 1, end - p - 2) : dot.substr(p, end - p);
    size_t plus = dot.find_first_not_of(" \t\r\n", end);
    if (!quoted || plus == std::string::npos || dot[plus] != '+') return value;
    p = dot.find_first_not_of(" \t\r\n", plus + 1);
    if (p == std::string::npos || dot[p] != '"') return value;
  }
}

// Graphviz 2.43 copies a font name (fontname=, or FACE= in an HTML-like
// label) into font-family="..." without escaping it, so a name with a
// quote could add attributes or markup to the SVG. The line (1-based) of
// the first such name, or 0. The SVG check would refuse what it adds;
// this says why, at the author's line.
int UnsafeFontLine(const std::string& dot) {
  std::string lower = AsciiLower(dot);
  for (const char* attr : {"fontname", "face"}) {
    for (size_t at = lower.find(attr); at != std::string::npos; at = lower.find(attr, at + 1)) {
      if (at > 0 && IsWordChar(lower[at - 1])) continue;  // "typeface"
      size_t p = at + std::strlen(attr);
      if (p < lower.size() && lower[p] == '"') ++p;  // "fontname"="..."
      p = lower.find_first_not_of(" \t\r\n", p);
      if (p == std::string::npos || lower[p] != '=') continue;
      p = lower.find_first_not_of(" \t\r\n", p + 1);
      if (p == std::string::npos) continue;
      if (AttributeValue(dot, p).find_first_of("\"<>&\\") != std::string::npos)
        return 1 + static_cast<int>(std::count(dot.begin(), dot.begin() + at, '\n'));
    }
  }
  return 0;
}

// Whether lower-cased `line` holds `word` as a whole word at `at`.
bool WordAt(const std::string& line, size_t at, const std::string& word) {
  return line.compare(at, word.size(), word) == 0 && (at == 0 || !IsWordChar(line[at - 1])) &&
         (at + word.size() == line.size() || !IsWordChar(line[at + word.size()]));
}

// Whether lower-cased `line` sets a colour attribute to `colour`:
// (color|fillcolor|fontcolor|pencolor|bgcolor) = "colour" (quotes optional).
bool SetsColour(const std::string& line, const std::string& colour) {
  for (const char* attr : {"color", "fillcolor", "fontcolor", "pencolor", "bgcolor"}) {
    for (size_t at = line.find(attr); at != std::string::npos; at = line.find(attr, at + 1)) {
      if (!WordAt(line, at, attr)) continue;
      size_t p = line.find_first_not_of(" \t", at + std::strlen(attr));
      if (p == std::string::npos || line[p] != '=') continue;
      p = line.find_first_not_of(" \t", p + 1);
      if (p != std::string::npos && line[p] == '"') ++p;
      if (p != std::string::npos && line.compare(p, colour.size(), colour) == 0 &&
          (p + colour.size() == line.size() || !IsWordChar(line[p + colour.size()])))
        return true;
    }
  }
  return false;
}

// Whether lower-cased `line` holds `word` as a whole word anywhere.
bool HasWord(const std::string& line, const std::string& word) {
  for (size_t at = line.find(word); at != std::string::npos; at = line.find(word, at + 1))
    if (WordAt(line, at, word)) return true;
  return false;
}

// The first line of `dot` where an author most likely wrote what the SVG
// check refused, or 0: a colour clue only as the value of a colour
// attribute (not "red" in label="Stored features"), other clues (URL,
// image) as whole words, ignoring case.
int LineOfClue(const std::string& dot, const std::vector<std::string>& clues, bool colour) {
  std::istringstream lines(AsciiLower(dot));
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    for (const std::string& clue : clues) {
      std::string c = AsciiLower(clue);
      if (!c.empty() && (colour ? SetsColour(line, c) : HasWord(line, c))) return n;
    }
  }
  return 0;
}

// On dot's command line, -G, -N and -E are not defaults: they override
// the graph's own attributes (fontsize=30 in the graph, or node
// [fontsize=20], would be drawn at 14). Only what we mean to force is
// passed there: a transparent background, so the theme shows through.
std::vector<std::string> DotArgs() { return {"-Tsvg", "-Gbgcolor=transparent"}; }

// The font defaults go into the graph itself instead, as its first
// statement, so that the author's own fontname= and fontsize= win. They
// are put on the line of the opening brace, so line numbers do not move.
std::string WithFontDefaults(const std::string& dot) {
  size_t brace = GraphBodyStart(dot);
  if (brace == std::string::npos) return dot;  // dot reports the syntax error
  std::string font = std::string("\"") + kDiagramFont + "\"";
  std::string defaults = "graph[fontname=" + font + ",fontsize=14];node[fontname=" + font +
                         ",fontsize=14];edge[fontname=" + font + ",fontsize=12];";
  return dot.substr(0, brace + 1) + defaults + dot.substr(brace + 1);
}

// How dot runs: see the top of this file.
ChildSpec DotSpec(const std::string& program, const std::string& empty_dir,
                  const DiagramOptions& options) {
  ChildSpec spec;
  spec.program = program;
  spec.args = DotArgs();
  // Graphviz confines image=, <IMG SRC> and shapefile= to GV_FILE_PATH only
  // when SERVER_NAME is set too (as for a web server); without it, any
  // readable file would be loaded.
  spec.env = {"GV_FILE_PATH=" + empty_dir + "/", "SERVER_NAME=casebook", "PATH=/usr/bin:/bin",
              "LC_ALL=C.UTF-8"};
  spec.work_dir = empty_dir;
  spec.timeout_ms = options.timeout_ms;
  return spec;
}

// The graph's outcome from the SVG document dot wrote for it, after what
// dot said about it (`o`'s messages).
Outcome FromSvg(const std::string& dot, const std::string& svg_text, Outcome o = {}) {
  DiagramSvg svg = PrepareDiagramSvg(svg_text, kDiagramFont);
  if (!svg.problem.empty()) {
    o.messages.push_back({true, LineOfClue(dot, svg.clues, svg.colour_clue), svg.problem});
    return o;
  }
  if (svg.width > kMaxDiagramWidth || svg.height > kMaxDiagramHeight)
    o.messages.push_back(
        {false, 0, "diagram is " + std::to_string(static_cast<long>(svg.width)) + " x " +
                       std::to_string(static_cast<long>(svg.height)) +
                       " units, larger than a page can show (" +
                       std::to_string(kMaxDiagramWidth) + " x " +
                       std::to_string(kMaxDiagramHeight) +
                       " at most); simplify the graph or split it into several"});
  o.ok = true;
  o.diagram = {std::move(svg.svg), std::move(svg.label)};
  return o;
}

// A graph dot is not run on: its font names could break out of the SVG.
bool RefusedFont(const std::string& dot, Outcome* o) {
  int line = UnsafeFontLine(dot);
  if (line == 0) return false;
  o->messages.push_back({true, line, "a font name (fontname=, or FACE= in an HTML-like label) "
                                     "must not contain '\"', '<', '>', '&' or '\\'"});
  return true;
}

// One graph, in a dot process of its own: what it says is its own.
Outcome Run(const std::string& dot, const std::string& program, const std::string& empty_dir,
            const DiagramOptions& options) {
  Outcome refused;
  if (RefusedFont(dot, &refused)) return refused;
  ChildSpec spec = DotSpec(program, empty_dir, options);
  spec.input = WithFontDefaults(dot);
  if (options.dot_runs) ++*options.dot_runs;
  ChildResult r = RunChild(spec);
  Outcome o;
  o.messages = ParseMessages(r.err, LineCount(dot));
  using S = ChildResult::Status;
  auto fail = [&](std::string text) {
    o.messages.push_back({true, 0, std::move(text)});
    return o;
  };
  switch (r.status) {
    case S::kCannotStart: return fail("cannot run Graphviz '" + program + "'");
    case S::kTimedOut: {
      std::string limit = options.timeout_ms % 1000 == 0
                              ? std::to_string(options.timeout_ms / 1000) + " s"
                              : std::to_string(options.timeout_ms) + " ms";
      return fail("diagram took longer than " + limit + " to lay out; simplify the graph");
    }
    case S::kTooLarge:
      return fail("diagram's SVG is larger than " + std::to_string(spec.max_output >> 20) +
                  " MiB; simplify the graph");
    case S::kSignaled:
      return fail("Graphviz stopped (signal " + std::to_string(r.signal) +
                  "), perhaps for want of memory (the limit is " +
                  std::to_string(spec.memory_limit >> 20) + " MiB); simplify the graph");
    case S::kExited: break;
  }
  if (r.exit_code != 0 || HasError(o.messages)) {
    if (!HasError(o.messages))
      o.messages.push_back(
          {true, 0, "Graphviz could not lay out the diagram (exit status " +
                        std::to_string(r.exit_code) + ")"});
    return o;
  }
  // Graphviz writes one SVG document per graph; their XML declarations
  // cannot be escaped text (it would write "&lt;?xml").
  if (r.out.find("<?xml ", 1) != std::string::npos)
    return fail("a ```dot block holds more than one graph: one graph per ```dot block");
  return FromSvg(dot, r.out, std::move(o));
}

// Several graphs laid out by one dot process, for the usual case of graphs
// that lay out cleanly: starting dot (its plugins, its fonts) costs ~8 ms,
// laying out a small graph well under 1. Each graph is followed by an
// empty sentinel graph, named with a number no content can know, so that
// each graph's text is read exactly as when alone: a graph that did not
// end (an open brace, string or comment) swallows the sentinel after it,
// whose document is then missing, and one that ends in a word that could
// start the sentinel's statement ("strict") makes "strict strict", an
// error. The sentinel also sets the layout engine back to dot's: a
// graph's layout= stays the process's engine for the graphs after it.
// Anything not clean (a message, an exit status, a limit, a document
// missing, extra or out of place) gives nullopt, and each graph is run
// alone, to say what is wrong where. The SVG of a graph is the same either
// way once diagram_svg.h has dropped ids, titles and comments (dot numbers
// anonymous graphs and pages across the process); the tests compare the
// two.
std::optional<std::vector<Outcome>> RunBatch(const std::vector<const std::string*>& dots,
                                             const std::string& program,
                                             const std::string& empty_dir,
                                             const DiagramOptions& options, uint64_t nonce) {
  ChildSpec spec = DotSpec(program, empty_dir, options);
  auto sentinel = [nonce](size_t i) {
    return "casebook_sentinel_" + std::to_string(nonce) + "_" + std::to_string(i);
  };
  for (size_t i = 0; i < dots.size(); ++i)
    spec.input += WithFontDefaults(*dots[i]) + "\nstrict graph " + sentinel(i) + " { layout=dot }\n";
  if (options.dot_runs) ++*options.dot_runs;
  ChildResult r = RunChild(spec);
  if (r.status != ChildResult::Status::kExited || r.exit_code != 0 || !r.err.empty())
    return std::nullopt;
  // Each document starts with its XML declaration, which cannot be escaped
  // text (dot would write "&lt;?xml").
  std::vector<std::string_view> docs;
  std::string_view out = r.out;
  if (out.rfind("<?xml ", 0) != 0) return std::nullopt;
  for (size_t at = 0; at != std::string_view::npos;) {
    size_t next = out.find("<?xml ", at + 1);
    docs.push_back(out.substr(at, next == std::string_view::npos ? next : next - at));
    at = next;
  }
  if (docs.size() != 2 * dots.size()) return std::nullopt;
  for (size_t i = 0; i < dots.size(); ++i)
    if (docs[2 * i + 1].find("<!-- Title: " + sentinel(i) + " Pages: ") == std::string_view::npos)
      return std::nullopt;
  std::vector<Outcome> outcomes;
  for (size_t i = 0; i < dots.size(); ++i)
    outcomes.push_back(FromSvg(*dots[i], std::string(docs[2 * i])));
  return outcomes;
}

SourceLocation LineAt(const DiagramSource& s, int line) {
  return {s.at.path, s.at.line + line * s.line_step, s.at.column};
}

// A private, empty folder for GV_FILE_PATH (mkdtemp, mode 0700), so that
// no one can put files in it while dot runs. "" when none can be made.
std::string MakeEmptyFolder() {
  std::string folder =
      (std::filesystem::temp_directory_path() / "casebook-dot-XXXXXX").string();
  return mkdtemp(folder.data()) ? folder : "";
}

}  // namespace

std::map<std::string, Diagram> ConvertDiagrams(const std::vector<DiagramSource>& sources,
                                               int jobs, Diagnostics& diags,
                                               const DiagramOptions& options,
                                               DiagramCache* cache) {
  std::map<std::string, Diagram> result;
  if (sources.empty()) return result;
  std::string program = options.program.empty() ? FindDot() : options.program;
  if (program.empty() || access(program.c_str(), X_OK) != 0) {
    diags.Error(sources.front().at, "cannot run Graphviz 'dot': install the graphviz package");
    return result;
  }
  std::string empty_dir = MakeEmptyFolder();
  if (empty_dir.empty()) {
    diags.Error(sources.front().at, "cannot create a temporary folder for Graphviz");
    return result;
  }
  std::vector<std::string> distinct;
  std::map<std::string, size_t> index;
  for (const DiagramSource& s : sources)
    if (index.emplace(s.dot, distinct.size()).second) distinct.push_back(s.dot);
  std::vector<Outcome> outcomes(distinct.size());
  std::vector<size_t> to_run;
  for (size_t i = 0; i < distinct.size(); ++i) {
    auto hit = cache ? cache->find(distinct[i]) : DiagramCache::iterator();
    if (cache && hit != cache->end()) outcomes[i] = hit->second;
    else to_run.push_back(i);
  }
  // A few processes at a time, whatever `jobs` is: each may take 1 GiB
  // (diagram.h). The graphs go in batches (RunBatch) of at most 32 KiB of
  // DOT and 64 graphs, in order, run that many at a time: a small graph
  // costs far less than starting dot, so a guide's few graphs share one,
  // and a batch that is not clean (its graphs then run alone) costs at
  // most that much again. Graphs refused before dot are not run at all.
  const int processes = std::max(1, std::min(jobs, kMaxDotProcesses));
  constexpr size_t kBatchBytes = 32u << 10, kBatchGraphs = 64;
  std::vector<std::vector<size_t>> batches;
  size_t in_last = 0;  // bytes of DOT in batches.back()
  for (size_t i : to_run) {
    if (RefusedFont(distinct[i], &outcomes[i])) continue;
    if (batches.empty() || batches.back().size() == kBatchGraphs ||
        (in_last > 0 && in_last + distinct[i].size() > kBatchBytes)) {
      batches.emplace_back();
      in_last = 0;
    }
    batches.back().push_back(i);
    in_last += distinct[i].size();
  }
  std::vector<size_t> alone;
  std::mutex alone_mutex;
  const uint64_t nonce = std::random_device()() * 4294967296ull + std::random_device()();
  ParallelFor(batches.size(), processes, [&](size_t b) {
    std::vector<const std::string*> dots;
    for (size_t i : batches[b]) dots.push_back(&distinct[i]);
    std::optional<std::vector<Outcome>> batch;
    if (dots.size() > 1) batch = RunBatch(dots, program, empty_dir, options, nonce);
    if (batch) {
      for (size_t k = 0; k < dots.size(); ++k) outcomes[batches[b][k]] = std::move((*batch)[k]);
      return;
    }
    std::lock_guard<std::mutex> lock(alone_mutex);
    alone.insert(alone.end(), batches[b].begin(), batches[b].end());
  });
  std::sort(alone.begin(), alone.end());
  ParallelFor(alone.size(), processes, [&](size_t k) {
    outcomes[alone[k]] = Run(distinct[alone[k]], program, empty_dir, options);
  });
  // Only successes: a failure may be a time limit hit on a busy machine.
  if (cache)
    for (size_t i : to_run)
      if (outcomes[i].ok) (*cache)[distinct[i]] = outcomes[i];
  std::error_code ignored;  // a folder left in /tmp is no reason to fail the build
  std::filesystem::remove(empty_dir, ignored);

  std::set<std::string> failed;
  for (const DiagramSource& s : sources) {
    const Outcome& o = outcomes[index.at(s.dot)];
    for (const Message& m : o.messages) {
      if (m.error) diags.Error(LineAt(s, m.line), m.text);
      else diags.Warning(LineAt(s, m.line), m.from_graphviz ? "Graphviz: " + m.text : m.text);
    }
    if (o.ok && s.caption.empty() && o.diagram.label.empty()) {
      diags.Error(s.at, "a diagram needs a name for screen readers: write a caption after "
                        "```dot, or give the graph a label");
      failed.insert(s.dot);
    }
  }
  for (size_t i = 0; i < distinct.size(); ++i)
    if (outcomes[i].ok && !failed.count(distinct[i]))
      result.emplace(distinct[i], std::move(outcomes[i].diagram));
  return result;
}

std::string DiagramFigure(const Diagram& d, const std::string& caption, const std::string& id) {
  std::string name = caption.empty()
                         ? " aria-label=\"" + HtmlEscape(d.label) + "\""
                         : " aria-labelledby=\"" + HtmlEscape(id) + "\"";
  std::string svg = d.svg;
  svg.insert(4, " role=\"img\"" + name);  // after "<svg"
  std::string out = "<figure class=\"diagram\">" + svg;
  if (!caption.empty())
    out += "<figcaption id=\"" + HtmlEscape(id) + "\">" + HtmlEscape(caption) + "</figcaption>";
  return out + "</figure>\n";
}

std::string DiagramProgram() { return FindDot(); }

}  // namespace casebook
