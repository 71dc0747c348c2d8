#include "diagram.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
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
struct Message {
  bool error = true;
  int line = 0;
  std::string text;
};

struct Outcome {
  bool ok = false;
  Diagram diagram;
  std::vector<Message> messages;
};

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

// The number after "in line " in a Graphviz message, or 0.
int LineOf(const std::string& text) {
  size_t at = text.find("in line ");
  if (at == std::string::npos) return 0;
  return std::atoi(text.c_str() + at + 8);
}

// "<stdin>: syntax error in line 3 near ';'" -> "DOT syntax error near ';'".
std::string Tidy(std::string text) {
  for (const char* noise : {"<stdin>: ", " of <stdin>"})
    for (size_t p; (p = text.find(noise)) != std::string::npos;)
      text.erase(p, std::string(noise).size());
  size_t at = text.find("syntax error in line ");
  if (at != std::string::npos) {
    size_t end = text.find_first_not_of("0123456789", at + 21);
    text = "DOT syntax error" + (end == std::string::npos ? "" : text.substr(end));
  }
  return Abbreviated(Trim(text), 200);
}

// Graphviz's "Error: ..." and "Warning: ..." lines; the lines that follow
// one (the rest of a quoted string, say) repeat the source and are left out.
std::vector<Message> ParseMessages(const std::string& err) {
  std::vector<Message> out;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    bool error = line.rfind("Error: ", 0) == 0;
    if (!error && line.rfind("Warning: ", 0) != 0) continue;
    std::string text = line.substr(error ? 7 : 9);
    out.push_back({error, LineOf(text), Tidy(text)});
  }
  return out;
}

bool HasError(const std::vector<Message>& messages) {
  for (const Message& m : messages)
    if (m.error) return true;
  return false;
}

// The first line of `dot` that holds one of `clues` (ignoring case), or 0:
// where an author most likely wrote what the SVG check refused.
int LineOfClue(const std::string& dot, const std::vector<std::string>& clues) {
  std::istringstream lines(AsciiLower(dot));
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    for (const std::string& clue : clues)
      if (!clue.empty() && line.find(AsciiLower(clue)) != std::string::npos) return n;
  }
  return 0;
}

std::vector<std::string> DotArgs() {
  std::string font = kDiagramFont;
  // Defaults only: the graph's own attributes win.
  return {"-Tsvg",         "-Gfontname=" + font, "-Nfontname=" + font, "-Efontname=" + font,
          "-Gfontsize=14", "-Nfontsize=14",      "-Efontsize=12",      "-Gbgcolor=transparent"};
}

Outcome Run(const std::string& dot, const std::string& program, const std::string& empty_dir,
            const DiagramOptions& options) {
  ChildSpec spec;
  spec.program = program;
  spec.args = DotArgs();
  spec.env = {"GV_FILE_PATH=" + empty_dir + "/", "PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8"};
  spec.input = dot;
  spec.timeout_ms = options.timeout_ms;
  ChildResult r = RunChild(spec);
  Outcome o;
  o.messages = ParseMessages(r.err);
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
  DiagramSvg svg = PrepareDiagramSvg(r.out, kDiagramFont);
  if (!svg.problem.empty()) {
    o.messages.push_back({true, LineOfClue(dot, svg.clues), svg.problem});
    return o;
  }
  o.ok = true;
  o.diagram = {std::move(svg.svg), std::move(svg.label)};
  return o;
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
                                               const DiagramOptions& options) {
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
  ParallelFor(distinct.size(), jobs, [&](size_t i) {
    outcomes[i] = Run(distinct[i], program, empty_dir, options);
  });
  std::error_code ignored;  // a folder left in /tmp is no reason to fail the build
  std::filesystem::remove(empty_dir, ignored);

  std::set<std::string> failed;
  for (const DiagramSource& s : sources) {
    const Outcome& o = outcomes[index.at(s.dot)];
    for (const Message& m : o.messages) {
      if (m.error) diags.Error(LineAt(s, m.line), m.text);
      else diags.Warning(LineAt(s, m.line), "Graphviz: " + m.text);
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

}  // namespace casebook
