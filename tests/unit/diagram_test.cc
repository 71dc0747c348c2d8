// Diagrams with the real Graphviz `dot`, as the build runs it: positions of
// DOT errors, the time limit, what the SVG check refuses and rewrites, the
// accessible name, and determinism of a whole site with diagrams.
#include "diagram.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>
#include <regex>

#include <atomic>
#include <set>
#include <map>
#include <gtest/gtest.h>

#include "build.h"
#include "child_process.h"
#include "diagram_svg.h"
#include "test_util.h"

namespace casebook {
namespace {

DiagramSource Block(std::string dot, std::string caption = "A caption",
                    SourceLocation at = {"page.md", 10, 1}) {
  DiagramSource s;
  s.dot = std::move(dot);
  s.caption = std::move(caption);
  s.at = std::move(at);
  return s;
}

// The SVG of one graph that must convert cleanly.
std::string SvgOf(const std::string& dot) {
  Diagnostics d;
  auto out = ConvertDiagrams({Block(dot)}, 1, d);
  EXPECT_EQ(test::FormatAll(d), "");
  return out.count(dot) ? out.at(dot).svg : "";
}

// The diagnostics of converting one graph.
std::string ProblemsOf(const std::string& dot, const std::string& caption = "A caption") {
  Diagnostics d;
  auto out = ConvertDiagrams({Block(dot, caption)}, 1, d);
  if (d.has_errors()) {
    EXPECT_EQ(out.count(dot), 0u) << "a failed graph has no figure";
  }
  return test::FormatAll(d);
}

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(DiagramTest, SyntaxErrorIsReportedAtItsLineOfTheBlock) {
  // The fence is on line 10, so the block's line 3 is the file's line 13.
  EXPECT_EQ(ProblemsOf("digraph {\n  a -> b\n  b -> ;\n}\n"),
            "page.md:13:1: error: DOT syntax error near ';'\n");
  // The column is the fence's: the block's content starts there.
  Diagnostics d;
  ConvertDiagrams({Block("digraph {\n a [label=\"open]\n}\n", "c", {"x.md", 4, 3})}, 1, d);
  EXPECT_EQ(test::FormatAll(d),
            "x.md:6:3: error: DOT syntax error scanning a quoted string "
            "(missing endquote? longer than 16384?)\n");
}

TEST(DiagramTest, GraphvizWarningsAreWarningsAtTheBlock) {
  Diagnostics d;
  auto out = ConvertDiagrams({Block("digraph {\n a [shape=blob]\n}\n")}, 1, d);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(test::FormatAll(d),
            "page.md:10:1: warning: Graphviz: using box for unknown shape blob\n");
}

// A complete directed graph of 40 nodes keeps dot busy for minutes.
std::string DenseGraph(int n) {
  std::string dot = "digraph {\n";
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      if (i != j) dot += " n" + std::to_string(i) + " -> n" + std::to_string(j) + "\n";
  return dot + "}\n";
}

TEST(DiagramTest, SlowGraphIsKilledAfterTheTimeLimit) {
  DiagramOptions options;
  options.timeout_ms = 300;
  Diagnostics d;
  auto start = std::chrono::steady_clock::now();
  std::string dot = DenseGraph(40);
  auto out = ConvertDiagrams({Block(dot)}, 1, d, options);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(test::FormatAll(d),
            "page.md:10:1: error: diagram took longer than 300 ms to lay out; "
            "simplify the graph\n");
  EXPECT_LT(took, std::chrono::seconds(3));
  // The killed child was reaped: this process has no child left.
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(DiagramTest, ChildThatFloodsOrLingersIsStopped) {
  ChildSpec flood;
  flood.program = "/usr/bin/yes";
  flood.max_output = 1 << 20;
  ChildResult r = RunChild(flood);
  EXPECT_EQ(r.status, ChildResult::Status::kTooLarge);
  EXPECT_LE(r.out.size(), flood.max_output + 1 + 65536);
  // Closes its output, then keeps running: still stopped at the deadline.
  ChildSpec linger;
  linger.program = "/bin/sh";
  linger.args = {"-c", "exec >&- 2>&-; sleep 30"};
  linger.timeout_ms = 200;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(RunChild(linger).status, ChildResult::Status::kTimedOut);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  // The address-space limit applies to the child: with 2 MB, dot cannot
  // even map its libraries.
  ChildSpec starved;
  starved.program = "/usr/bin/dot";
  starved.args = {"-Tsvg"};
  starved.input = "digraph { a -> b }";
  starved.memory_limit = 2u << 20;
  ChildResult s = RunChild(starved);
  EXPECT_FALSE(s.status == ChildResult::Status::kExited && s.exit_code == 0) << s.err;
  EXPECT_EQ(s.out, "");
  ChildSpec missing;
  missing.program = "/nonexistent/dot";
  EXPECT_EQ(RunChild(missing).status, ChildResult::Status::kCannotStart);
}

TEST(DiagramTest, ChildRunsWithLimitsInItsFolder) {
  test::TempDir dir;
  ChildSpec spec;
  spec.program = "/bin/sh";
  spec.args = {"-c", "ulimit -c; ulimit -f; ulimit -t; pwd; grep ^NoNewPrivs /proc/self/status"};
  spec.timeout_ms = 2500;  // the CPU limit is a second more, rounded up
  spec.work_dir = dir.path();
  ChildResult r = RunChild(spec);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "0\n0\n4\n" + std::filesystem::canonical(dir.path()).string() +
                       "\nNoNewPrivs:\t1\n");
}

// A fresh machine's stale font cache makes dot's fontconfig try to write
// it; the write must fail, not kill dot with SIGXFSZ (which made every
// diagram of a first `make site` an error).
TEST(DiagramTest, WriteAttemptFailsWithoutKillingTheChild) {
  test::TempDir dir;
  ChildSpec spec;
  spec.program = "/bin/sh";
  spec.args = {"-c", "echo data > written 2>/dev/null; echo \"after $?\""};
  spec.work_dir = dir.path();
  ChildResult r = RunChild(spec);
  ASSERT_EQ(r.status, ChildResult::Status::kExited) << "signal " << r.signal;
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "after 1\n");
  EXPECT_EQ(std::filesystem::file_size(dir.path() + "/written"), 0u);
}

TEST(DiagramTest, ChildGetsItsPipesWhenStdioIsClosed) {
  // casebook started with fd 0, 1 and 2 closed: its pipes take those
  // numbers, and the child must still read and write the right ones.
  pid_t helper = fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) {
    close(0);
    close(1);
    close(2);
    ChildSpec spec;
    spec.program = "/bin/sh";
    spec.args = {"-c", "read x; echo \"$x\"; echo e >&2"};
    spec.input = "hi\n";
    ChildResult r = RunChild(spec);
    _exit(r.status == ChildResult::Status::kExited && r.exit_code == 0 && r.out == "hi\n" &&
                  r.err == "e\n"
              ? 0
              : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(helper, &status, 0), helper);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// The state letter of process `pid` and its parent, from /proc; "" when
// it is gone.
std::string ProcState(pid_t pid, pid_t* parent = nullptr) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream rest(stat.substr(close + 1));
  std::string state;
  pid_t ppid = 0;
  rest >> state >> ppid;
  if (parent) *parent = ppid;
  return state;
}

// The child processes of `parent`, from /proc.
std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t ppid = 0;
    pid_t pid = static_cast<pid_t>(std::stol(name));
    if (!ProcState(pid, &ppid).empty() && ppid == parent) out.push_back(pid);
  }
  return out;
}

TEST(DiagramTest, DotDiesWithCasebook) {
  // A helper runs a graph that keeps dot busy for minutes, and is killed
  // with SIGKILL (no cleanup of its own runs): its dot must not live on.
  // As a subreaper, this process inherits the orphaned dot and can tell
  // how it ended (and reap it, whatever happened).
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  pid_t helper = fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) {
    ChildSpec spec;
    spec.program = "/usr/bin/dot";
    spec.args = {"-Tsvg"};
    spec.input = DenseGraph(40);
    spec.timeout_ms = 120000;
    RunChild(spec);
    _exit(0);
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::vector<pid_t> dots;
  while (dots.empty() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    dots = ChildrenOf(helper);
  }
  kill(helper, SIGKILL);
  int status = 0;
  waitpid(helper, &status, 0);
  bool reaped = false;
  if (dots.size() == 1) {
    while (!reaped && std::chrono::steady_clock::now() < until) {
      reaped = waitpid(dots[0], &status, WNOHANG) == dots[0];
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (!reaped) {  // still running: stop it here, so no test leaves it behind
      kill(dots[0], SIGKILL);
      waitpid(dots[0], nullptr, 0);
    }
  }
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  ASSERT_EQ(dots.size(), 1u) << "the helper started no dot";
  EXPECT_TRUE(reaped) << "dot was still running after its parent was killed";
  EXPECT_TRUE(reaped && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
}

TEST(DiagramTest, MissingGraphvizIsOneErrorForTheBuild) {
  DiagramOptions options;
  options.program = "/nonexistent/dot";
  Diagnostics d;
  ConvertDiagrams({Block("digraph { a }"), Block("digraph { b }", "c", {"q.md", 2, 1})}, 2, d,
                  options);
  EXPECT_EQ(test::FormatAll(d),
            "page.md:10:1: error: cannot run Graphviz 'dot': install the graphviz package\n");
}

TEST(DiagramTest, LinksTooltipsAndStyleSheetsAreRefused) {
  // Reported on the DOT line that most likely asked for it (the first one
  // naming the attribute): block line 3 is the file's line 13.
  const std::string links =
      "page.md:13:1: error: links and tooltips (URL=, href=, tooltip=) are not allowed in "
      "diagrams\n";
  EXPECT_EQ(ProblemsOf("digraph {\n  a -> b\n  a [URL=\"javascript:alert(1)\"]\n}\n"), links);
  EXPECT_EQ(ProblemsOf("digraph {\n  a\n  a -> b [href=\"https://example.com/\"]\n}\n"), links);
  EXPECT_EQ(ProblemsOf("digraph {\n  a\n  a [tooltip=\"hi\"]\n}\n"), links);
  EXPECT_EQ(ProblemsOf("digraph { stylesheet=\"https://example.com/x.css\"; a }"),
            "page.md:11:1: error: style sheets (stylesheet=) are not allowed in diagrams\n");
}

// A valid 1x1 PNG: Graphviz would load and embed it, were it allowed to.
void WritePng(const std::string& path) {
  static const unsigned char kPng[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
      0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92,
      0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  test::WriteFile(path, std::string(reinterpret_cast<const char*>(kPng), sizeof kPng));
}

TEST(DiagramTest, ImagesAreNeverRead) {
  // A real, readable PNG: without SERVER_NAME, Graphviz ignores
  // GV_FILE_PATH, loads it and draws an <image> (which the SVG check then
  // refuses). With it, Graphviz calls the name unsafe and loads nothing.
  test::TempDir dir;
  std::string png = dir / "picture.png";
  WritePng(png);
  for (const std::string& node :
       {"a [image=\"" + png + "\"]", "a [shape=custom, shapefile=\"" + png + "\"]"}) {
    Diagnostics d;
    std::string dot = "digraph { " + node + " }";
    auto out = ConvertDiagrams({Block(dot)}, 1, d);
    std::string all = test::FormatAll(d);
    EXPECT_TRUE(Contains(all, "page.md:10:1: warning: Graphviz: Filename \"" + png +
                                  "\" is unsafe")) << all;
    EXPECT_FALSE(d.has_errors()) << all;
    ASSERT_EQ(out.count(dot), 1u);
    EXPECT_FALSE(Contains(out.at(dot).svg, "picture"));
    EXPECT_FALSE(Contains(out.at(dot).svg, "<image"));
  }
  // An <IMG> in an HTML-like label is an error of Graphviz's own.
  Diagnostics d;
  std::string dot = "digraph { a [shape=none, label=<<TABLE><TR><TD><IMG SRC=\"" + png +
                    "\"/></TD></TR></TABLE>>] }";
  auto out = ConvertDiagrams({Block(dot)}, 1, d);
  std::string all = test::FormatAll(d);
  EXPECT_TRUE(Contains(all, "warning: Graphviz: Filename \"" + png + "\" is unsafe")) << all;
  EXPECT_TRUE(Contains(all, "error: No or improper image file=\"" + png + "\"")) << all;
  EXPECT_FALSE(Contains(all, "images (image=")) << all;  // no <image> was drawn
  EXPECT_EQ(out.count(dot), 0u);
}

// Graphviz 2.43 copies font names into font-family="..." unescaped.
TEST(DiagramTest, FontNamesThatCouldBreakOutAreRefused) {
  const std::string why =
      "error: a font name (fontname=, or FACE= in an HTML-like label) must not contain "
      "'\"', '<', '>', '&' or '\\'\n";
  EXPECT_EQ(ProblemsOf("digraph {\n a [label=<<FONT FACE=\"x&quot; style=&quot;fill:red;"
                       "font-size:300px\">hi</FONT>>]\n}"),
            "page.md:12:1: " + why);
  EXPECT_EQ(ProblemsOf("digraph {\n a\n b [fontname=\"x\\\" onmouseover=\\\"alert(1)\"]\n}"),
            "page.md:13:1: " + why);
  EXPECT_EQ(ProblemsOf("digraph {\n a [label=<<FONT FACE=\"x&quot;&gt;&lt;use href=&quot;#main"
                       "&quot;/&gt;&lt;![CDATA[&lt;/text&gt;&lt;/svg&gt;&lt;img src=x "
                       "onerror=alert(1)&gt;]]&gt;"
                       "&lt;text a=&quot;\">hi</FONT>>]\n}"),
            "page.md:12:1: " + why);
  // Joined strings are one name.
  EXPECT_EQ(ProblemsOf("digraph {\n a [fontname=\"x\" + \"y\\\" onload=\\\"z\"]\n}"),
            "page.md:12:1: " + why);
  // Ordinary names pass, quoted or not, and so do words that end in "face".
  EXPECT_EQ(ProblemsOf("digraph { a [label=\"typeface=<b>\"] }"), "");

  EXPECT_EQ(ProblemsOf("digraph { a [fontname=\"DejaVu Sans\"]; b [fontname=Helvetica] }"), "");
}

// Behind that check, the SVG allow-list refuses what those names make dot
// write (dot run directly, as the build runs it, without the check).
TEST(DiagramTest, AllowListRefusesWhatHostileFontNamesWrite) {
  auto dot_svg = [](const std::string& dot) {
    ChildSpec spec;
    spec.program = "/usr/bin/dot";
    spec.args = {"-Tsvg", "-Gbgcolor=transparent"};
    spec.env = {"PATH=/usr/bin:/bin"};
    spec.input = dot;
    ChildResult r = RunChild(spec);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return PrepareDiagramSvg(r.out, kDiagramFont).problem;
  };
  EXPECT_EQ(dot_svg("digraph { a [label=<<FONT FACE=\"x&quot; style=&quot;fill:red;"
                    "font-size:300px\">hi</FONT>>] }"),
            "attribute 'style' on <text> is not allowed in diagrams");
  EXPECT_EQ(dot_svg("digraph { a [fontname=\"x\\\" onmouseover=\\\"alert(1)\"] }"),
            "attribute 'onmouseover' on <text> is not allowed in diagrams");
  EXPECT_EQ(dot_svg("digraph { a [label=<<FONT FACE=\"x&quot;&gt;&lt;use href=&quot;#main"
                    "&quot;/&gt;&lt;![CDATA[&lt;/text&gt;&lt;/svg&gt;&lt;img src=x "
                    "onerror=alert(1)&gt;]]&gt;"
                    "&lt;/text&gt;&lt;text a=&quot;\">hi</FONT>>] }"),
            "element <use> is not allowed in diagrams");
  EXPECT_EQ(dot_svg("digraph { a [label=<<FONT FACE=\"x&quot;&gt;&lt;![CDATA[&lt;/text&gt;"
                    "&lt;/svg&gt;&lt;img src=x onerror=alert(1)&gt;]]&gt;&lt;/text&gt;"
                    "&lt;text a=&quot;\">hi</FONT>>] }"),
            "CDATA sections are not allowed in diagrams");
}

TEST(DiagramTest, OnlySyntaxErrorsNameALine) {
  // Ports echoed in a warning say "in line N"; that is the author's text,
  // so the warning is at the fence (not at line 510, nor an overflow).
  Diagnostics d;
  ConvertDiagrams(
      {Block("digraph {\n a:\"in line 500\" -> b\n a:\"in line 2147483647\" -> c\n}\n")}, 1, d);
  EXPECT_EQ(test::FormatAll(d),
            "page.md:10:1: warning: Graphviz: node a, port in line 500 unrecognized\n"
            "page.md:10:1: warning: Graphviz: node a, port in line 2147483647 unrecognized\n");
  // A syntax error on the last line of a block is still placed there.
  EXPECT_EQ(ProblemsOf("digraph {\n a -> b\n}\n}"),
            "page.md:14:1: error: DOT syntax error near '}'\n");
}

TEST(DiagramTest, ColourErrorIsAtTheAttributeThatSetsIt) {
  // "red" is in "Stored" on line 2; the colour is set on line 3.
  EXPECT_EQ(ProblemsOf("digraph {\n a [label=\"Stored features\"]\n b [color = red]\n}"),
            "page.md:13:1: error: the colour 'red' is not allowed in diagrams: the theme sets "
            "colours, so leave out color=, fillcolor= and fontcolor= (style=filled gives a "
            "tinted fill)\n");
  EXPECT_TRUE(Contains(ProblemsOf("digraph {\n a [label=\"reddish\"]\n b [fillcolor=\"Red\", "
                                  "style=filled]\n}"),
                       "page.md:13:1: error: the colour 'Red'"));
  // A colour that no attribute writes as such (a scheme's "1"): the fence.
  EXPECT_TRUE(Contains(ProblemsOf("digraph {\n a [colorscheme=accent3, color=1]\n}"),
                       "page.md:10:1: error: the colour '#7fc97f'"));
}

TEST(DiagramTest, TheGraphsOwnFontSizeWins) {
  // -G on dot's command line would override fontsize=30; the defaults are
  // the graph's first statement instead.
  std::string svg = SvgOf("digraph { fontsize=30; label=\"Big\"; node [fontsize=20]; a -> b "
                          "[label=e]; c }");
  EXPECT_TRUE(Contains(svg, "font-size=\"30.00\" fill=\"currentColor\">Big<")) << svg;
  EXPECT_TRUE(Contains(svg, "font-size=\"20.00\" fill=\"currentColor\">a<")) << svg;
  EXPECT_TRUE(Contains(svg, "font-size=\"12.00\" fill=\"currentColor\">e<")) << svg;
  EXPECT_FALSE(Contains(svg, "font-family")) << svg;  // DejaVu Sans, the default
  // Without sizes of its own, the defaults hold; a brace in a name is skipped.
  svg = SvgOf("digraph \"a{b\" { /* { */ label=\"L\"; a }");
  EXPECT_TRUE(Contains(svg, "font-size=\"14.00\" fill=\"currentColor\">L<")) << svg;
  EXPECT_TRUE(Contains(svg, "font-size=\"14.00\" fill=\"currentColor\">a<")) << svg;
  EXPECT_FALSE(Contains(svg, "font-family")) << svg;
}

// What converting `blocks` reports and makes, as text: each graph's SVG
// and label, then the diagnostics.
std::string Converted(const std::vector<DiagramSource>& blocks, int jobs,
                      std::atomic<int>* runs = nullptr) {
  DiagramOptions options;
  options.dot_runs = runs;
  Diagnostics d;
  std::map<std::string, Diagram> out = ConvertDiagrams(blocks, jobs, d, options);
  std::string text;
  for (const DiagramSource& b : blocks)
    text += out.count(b.dot) ? out.at(b.dot).label + "\n" + out.at(b.dot).svg + "\n" : "(none)\n";
  return text + test::FormatAll(d);
}

// Graphs laid out by one dot process come out as each would alone: with
// other engines, clusters, records, HTML labels, anonymous or named.
TEST(DiagramTest, GraphsLaidOutTogetherAreAsWhenAlone) {
  const std::vector<std::string> graphs = {
      "digraph { a -> b -> c; a -> c }",
      "graph G { layout=neato; a -- b -- c -- d -- a; b -- d }",
      "graph { layout=fdp; a -- b; b -- c; c -- a; d -- a }",
      "digraph { label=\"Flow\"; subgraph cluster_x { label=\"X\"; p -> q } q -> r }",
      "digraph { n [shape=record, label=\"{in|<o> out}\"]; n:o -> m }",
      "digraph { h [label=<<b>bold</b> text>]; h -> i [label=\"edge\"] }",
      "strict digraph named { x -> y; x -> y }",
      "digraph { rankdir=LR; splines=ortho; a -> {b c}; b -> d; c -> d }",
      "graph { layout=circo; a -- b -- c -- d -- e -- a }",
      "digraph { node [shape=box]; \"lay\" + \"out\" = twopi; a -> b; a -> c; a -> d }",
      "digraph { subgraph cluster_y { label=\"Y\"; s -> t } t -> u }",
  };
  // Comment lines as long as a large graph: a batch holds 32 KiB of DOT.
  std::string padding;
  for (int i = 0; i < 200; ++i) padding += "// a comment line of forty characters\n";
  for (bool padded : {false, true}) {
    std::vector<DiagramSource> blocks;
    std::string alone;
    for (const std::string& g : graphs) {
      blocks.push_back(Block(padded ? padding + g : g));
      alone += Converted({blocks.back()}, 1);
    }
    for (int jobs : {1, 2}) {
      std::atomic<int> runs{0};
      EXPECT_EQ(Converted(blocks, jobs, &runs), alone) << jobs;
      // Small graphs share one process; larger ones a few, by size.
      if (padded) {
        EXPECT_GT(runs.load(), 1) << jobs;
        EXPECT_LT(runs.load(), static_cast<int>(graphs.size()) / 2) << jobs;
      } else {
        EXPECT_EQ(runs.load(), 1) << jobs;
      }
    }
  }
}

// A block that does not end (an open brace, string or comment) would take
// the next block's text into its graph if both were read as one stream;
// the two are reported as each alone would be, and what is clean still
// converts.
TEST(DiagramTest, ABlockThatDoesNotEndTakesNothingFromTheNext) {
  const std::vector<std::vector<std::string>> cases = {
      {"digraph { a [label=\"", "\"] }", "digraph { ok }"},
      {"digraph { x } digraph { y", "}", "digraph { ok }"},
      {"digraph { a -> b } /*", "*/ digraph { c }", "digraph { ok }"},
      {"digraph { a -> ", "b }", "digraph { ok }"},
      {"", "digraph { ok }", "digraph { fine }"},
      {"digraph A { a -> b } strict", "digraph { ok }"},
      {"digraph A { a -> b } STRICT", "digraph { ok }"},
      {"digraph { a [shape=blob] }", "digraph { ok }"},  // a warning, once, at its block
  };
  for (const std::vector<std::string>& graphs : cases) {
    std::vector<DiagramSource> blocks;
    std::string alone;
    for (size_t i = 0; i < graphs.size(); ++i) {
      blocks.push_back(Block(graphs[i], "c", {"page.md", 10 + 10 * static_cast<int>(i), 1}));
      alone += Converted({blocks.back()}, 1);
    }
    std::string together = Converted(blocks, 1);
    // Diagnostics are sorted by place in both; compare them as sets of lines.
    auto lines = [](const std::string& s) {
      std::multiset<std::string> out;
      std::istringstream in(s);
      for (std::string line; std::getline(in, line);) out.insert(line);
      return out;
    };
    EXPECT_EQ(lines(together), lines(alone)) << graphs[0];
    EXPECT_TRUE(together.find("error") != std::string::npos ||
                together.find("warning") != std::string::npos) << graphs[0];
  }
}

TEST(DiagramTest, OneGraphPerBlock) {
  EXPECT_EQ(ProblemsOf("digraph { a }\ndigraph { b }\n"),
            "page.md:10:1: error: a ```dot block holds more than one graph: one graph per "
            "```dot block\n");
}

TEST(DiagramTest, HugeDrawingsAreAWarning) {
  Diagnostics d;
  std::string dot = "digraph { a [width=30] }";
  auto out = ConvertDiagrams({Block(dot)}, 1, d);
  EXPECT_EQ(out.count(dot), 1u);
  EXPECT_EQ(test::FormatAll(d),
            "page.md:10:1: warning: diagram is 2168 x 44 units, larger than a page can show "
            "(2000 x 3000 at most); simplify the graph or split it into several\n");
  EXPECT_EQ(ProblemsOf("digraph { a [height=50] }"),
            "page.md:10:1: warning: diagram is 62 x 3608 units, larger than a page can show "
            "(2000 x 3000 at most); simplify the graph or split it into several\n");
  EXPECT_EQ(ProblemsOf("digraph { a [width=27] }"), "");
}

// Graphviz-shaped output that a future dot, a plugin or a hostile label
// could produce: refused by the diagram rules or by SvgProblem behind them.
TEST(DiagramTest, HostileSvgFromGraphvizIsRefused) {
  const std::string head =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
      "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n"
      " \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<!-- Generated -->\n"
      "<svg width=\"62pt\" height=\"44pt\" viewBox=\"0 0 62 44\" "
      "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n";
  auto problem = [&](const std::string& body) {
    return PrepareDiagramSvg(head + body + "</svg>\n", kDiagramFont).problem;
  };
  EXPECT_EQ(problem("<g><text>ok</text></g>"), "");
  EXPECT_EQ(problem("<image xlink:href=\"/etc/passwd\" width=\"9\" height=\"9\"/>"),
            "images (image=, or <IMG> in an HTML-like label) are not allowed in diagrams");
  EXPECT_EQ(problem("<script>alert(1)</script>"), "element <script> is not allowed in diagrams");
  EXPECT_EQ(problem("<style>body{display:none}</style>"),
            "element <style> is not allowed in diagrams");
  EXPECT_TRUE(Contains(problem("<g onload=\"alert(1)\"/>"), "onload"));
  EXPECT_TRUE(Contains(problem("<foreignObject><p/></foreignObject>"), "foreignObject"));
  EXPECT_EQ(problem("<use href=\"#main\"/>"), "element <use> is not allowed in diagrams");
  EXPECT_EQ(problem("<path xlink:href=\"#main\" d=\"M0 0\"/>"),
            "attribute 'xlink:href' is not allowed in diagrams");
  EXPECT_EQ(problem("<text style=\"fill:red\">x</text>"),
            "attribute 'style' on <text> is not allowed in diagrams");
  EXPECT_EQ(problem("<g><text><![CDATA[</text></svg><img src=x>]]></text></g>"),
            "CDATA sections are not allowed in diagrams");
  EXPECT_EQ(problem("<g><?php x?></g>"), "processing instruction 'php' is not allowed in diagrams");
  EXPECT_EQ(problem("<g><text xmlns=\"http://www.w3.org/1999/xhtml\">x</text></g>"),
            "Graphviz wrote XML namespaces that are not allowed in diagrams");
  EXPECT_EQ(problem("<rect width=\"9\" height=\"9\"/>"),
            "element <rect> is not allowed in diagrams");
  EXPECT_EQ(problem("<ellipse cx=\"1\" cy=\"1\" rx=\"1\" ry=\"1\" opacity=\"0\"/>"),
            "attribute 'opacity' on <ellipse> is not allowed in diagrams");
  EXPECT_TRUE(Contains(problem("<?xml-stylesheet href=\"x.css\"?><g/>"), "xml-stylesheet"));
  EXPECT_EQ(PrepareDiagramSvg("<?xml-stylesheet href=\"x.css\"?>\n" + head + "</svg>",
                              kDiagramFont)
                .problem,
            "style sheets (stylesheet=) are not allowed in diagrams");
  EXPECT_EQ(PrepareDiagramSvg("<html/>", kDiagramFont).problem, "Graphviz wrote no SVG");
  EXPECT_TRUE(Contains(PrepareDiagramSvg(head + "<g>", kDiagramFont).problem, "well-formed"));
}

TEST(DiagramTest, ColoursComeFromTheTheme) {
  std::string svg = SvgOf("digraph { a -> b; b [shape=box, style=filled]; c [style=dashed] }");
  EXPECT_FALSE(Contains(svg, "black"));
  EXPECT_FALSE(Contains(svg, "white"));
  EXPECT_TRUE(Contains(svg, "stroke=\"currentColor\""));
  EXPECT_TRUE(Contains(svg, "fill=\"currentColor\""));  // arrowheads and text
  // Text without a fill would be black in the dark theme.
  static const std::regex kText(R"(<text [^>]*>)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), kText);
       it != std::sregex_iterator(); ++it)
    EXPECT_TRUE(Contains(it->str(), "fill=\"currentColor\"")) << it->str();
  // style=filled: a fallback fill, painted by the theme through its class.
  EXPECT_TRUE(Contains(svg, "fill=\"lightgrey\"") && Contains(svg, "class=\"tint\"")) << svg;
  EXPECT_TRUE(Contains(svg, "stroke-dasharray"));
  // The page's font: Graphviz's is dropped so the figure's is inherited.
  EXPECT_FALSE(Contains(svg, "font-family"));
  const std::string refused = "' is not allowed in diagrams: the theme sets colours";
  EXPECT_TRUE(Contains(ProblemsOf("digraph { a [color=red] }"), "the colour 'red" + refused));
  EXPECT_TRUE(Contains(ProblemsOf("digraph { a [style=filled, fillcolor=\"#ff0000\"] }"),
                       "the colour '#ff0000" + refused));
  EXPECT_TRUE(Contains(ProblemsOf("digraph { a [fontcolor=blue] }"), "the colour 'blue"));
  // The page is the background: -Gbgcolor=transparent wins over the graph's.
  EXPECT_FALSE(Contains(SvgOf("digraph { bgcolor=red; a }"), "red"));
  EXPECT_TRUE(Contains(ProblemsOf("digraph { a [label=<<font color=\"red\">x</font>>] }"),
                       "the colour 'red"));
  // Graphviz's grey fills a shape only; as a pen or a font it is a colour.
  EXPECT_TRUE(Contains(ProblemsOf("digraph { a [fontcolor=lightgrey] }"), "'lightgrey"));
  EXPECT_TRUE(Contains(ProblemsOf("digraph { a [color=lightgrey] }"), "'lightgrey"));
  // Black, written out, is the default pen and so allowed.
  EXPECT_NE(SvgOf("digraph { a [color=black] }"), "");
}

TEST(DiagramTest, SvgIsInlineSafeAndScalable) {
  std::string svg = SvgOf("digraph { a -> b [class=\"tip skip\"] }");
  ASSERT_EQ(svg.rfind("<svg ", 0), 0u) << svg;
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
  // Nothing that could clash with the page or another diagram on it.
  EXPECT_FALSE(Contains(svg, " id=")) << svg;
  EXPECT_FALSE(Contains(svg, "<title"));
  EXPECT_FALSE(Contains(svg, "<!--"));
  EXPECT_FALSE(Contains(svg, "DOCTYPE"));
  EXPECT_FALSE(Contains(svg, "skip")) << "author classes are dropped";
  EXPECT_TRUE(Contains(svg, "class=\"edge\""));
  // Pixel sizes, one per drawing unit, which CSS may scale down.
  EXPECT_TRUE(std::regex_search(svg, std::regex(R"(^<svg [^>]*width="\d+(\.\d+)?" )")))
      << svg.substr(0, 200);
  EXPECT_FALSE(Contains(svg.substr(0, svg.find('>')), "pt\""));
}

TEST(DiagramTest, CaptionOrLabelNamesTheFigure) {
  Diagnostics d;
  const std::string labelled = "digraph { label=\"Retrieval, then ranking\"; a -> b }";
  auto out = ConvertDiagrams({Block(labelled, "")}, 1, d);
  EXPECT_EQ(test::FormatAll(d), "");
  ASSERT_EQ(out.count(labelled), 1u);
  const Diagram& dia = out.at(labelled);
  EXPECT_EQ(dia.label, "Retrieval, then ranking");

  std::string by_label = DiagramFigure(dia, "", "diagram_1");
  EXPECT_EQ(by_label.rfind("<figure class=\"diagram\"><svg role=\"img\" aria-label=\""
                           "Retrieval, then ranking\" ", 0), 0u)
      << by_label.substr(0, 120);
  EXPECT_FALSE(Contains(by_label, "figcaption"));

  std::string by_caption = DiagramFigure(dia, "Ads <b>&</b> ranking", "diagram_f2-1");
  EXPECT_EQ(by_caption.rfind("<figure class=\"diagram\"><svg role=\"img\" "
                             "aria-labelledby=\"diagram_f2-1\" ", 0), 0u);
  EXPECT_TRUE(Contains(by_caption, "<figcaption id=\"diagram_f2-1\">Ads &lt;b&gt;&amp;&lt;/b&gt; "
                                   "ranking</figcaption></figure>\n"));

  EXPECT_EQ(ProblemsOf("digraph { a -> b }", ""),
            "page.md:10:1: error: a diagram needs a name for screen readers: write a caption "
            "after ```dot, or give the graph a label\n");
}

TEST(DiagramTest, SameGraphTwiceRunsOnceAndReportsAtEachBlock) {
  Diagnostics d;
  const std::string bad = "digraph {\n a -> \n}\n";
  const std::string good = "digraph { a -> b }";
  auto out = ConvertDiagrams(
      {Block(bad, "c", {"a.md", 3, 1}), Block(good), Block(bad, "c", {"b.md", 7, 5})}, 4, d);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(test::FormatAll(d),
            "a.md:6:1: error: DOT syntax error near '}'\n"
            "b.md:10:5: error: DOT syntax error near '}'\n");
}

// Two diagrams in a body and one in an answer of the same page: three
// figures, three distinct ids, each caption naming its own drawing.
TEST(DiagramTest, FiguresOnOnePageHaveDistinctIds) {
  test::TempDir tmp;
  test::WriteMinimalContent(tmp / "content");
  test::WriteFile(tmp / "content/case-studies/search.md",
                  "---\ntitle: Search\nsummary: Find things.\ncategory: Search\n"
                  "questions:\n  - q: Draw it?\n    a: |\n      ```dot Third\n"
                  "      digraph { c -> d }\n      ```\n"
                  "references:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n"
                  "## Clarify\n\n```dot First\ndigraph { a -> b }\n```\n\n"
                  "```dot Second\ndigraph { a -> b }\n```\n\n## Evaluate\n\nText.\n");
  BuildOptions o;
  o.content_dir = tmp / "content";
  o.templates_dir = test::SourceDir() + "/templates";
  o.out_dir = tmp / "out";
  BuildResult r = Build(o);
  ASSERT_FALSE(r.diags.has_errors()) << test::FormatAll(r.diags);
  std::string html = test::ReadFile(tmp / "out/cases/search.html");
  static const std::regex kFigure(
      R"re(<svg role="img" aria-labelledby="([^"]+)"[^]*?<figcaption id="([^"]+)">([^<]*)<)re");
  std::vector<std::string> ids;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kFigure);
       it != std::sregex_iterator(); ++it) {
    EXPECT_EQ((*it)[1], (*it)[2]) << "each drawing is named by its own caption";
    ids.push_back((*it)[1].str() + " " + (*it)[3].str());
  }
  // The body's figures count from 1; the answer's carry its fragment's
  // prefix (as its footnotes do).
  ASSERT_EQ(ids.size(), 3u) << html;
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids[0], "diagram_1 First");
  EXPECT_EQ(ids[1], "diagram_2 Second");
  EXPECT_TRUE(std::regex_match(ids[2], std::regex("diagram_f[0-9]+-1 Third"))) << ids[2];
  EXPECT_EQ(html.find(" id=\"node1\""), std::string::npos);
}

// The golden site has a diagram: every thread count writes the same bytes.
TEST(DiagramTest, SiteWithDiagramsIsIdenticalAcrossJobs) {
  test::TempDir tmp;
  std::string content = test::SourceDir() + "/tests/golden/basic/content";
  for (int jobs : {1, 4}) {
    BuildOptions o;
    o.content_dir = content;
    o.templates_dir = test::SourceDir() + "/templates";
    o.out_dir = tmp / ("jobs" + std::to_string(jobs));
    o.jobs = jobs;
    BuildResult r = Build(o);
    ASSERT_FALSE(r.diags.has_errors()) << test::FormatAll(r.diags);
  }
  auto one = test::ReadTree(tmp / "jobs1");
  ASSERT_TRUE(Contains(one.at("cases/ranking.html"), "<figure class=\"diagram\">"));
  EXPECT_EQ(test::DiffTrees(one, test::ReadTree(tmp / "jobs4")), "");
}

}  // namespace
}  // namespace casebook
