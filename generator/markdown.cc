#include "markdown.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <string_view>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include "table_guard.h"
#include "text.h"

namespace casebook {

struct MarkdownTree {
  cmark_parser* parser = nullptr;  // owns the extension list render needs
  cmark_node* doc = nullptr;
};

void MarkdownTreeDeleter::operator()(MarkdownTree* t) const {
  if (t->doc) cmark_node_free(t->doc);
  if (t->parser) cmark_parser_free(t->parser);
  delete t;
}

const std::vector<std::string>& Fragment::Sections() const {
  if (!linked) {
    std::fprintf(stderr, "casebook: bug: a fragment from %s:%d is shown but was never linked; "
                         "add it to its page in page_map.cc\n", at.path.c_str(), at.line);
    std::abort();
  }
  return sections;
}

std::string Fragment::Html() const {
  std::string out;
  Sections();
  for (const std::string& s : sections) out += s;
  return out;
}

namespace {

// Safe mode is cmark-gfm's default: raw HTML and javascript:/data: URLs are
// dropped. We never pass CMARK_OPT_UNSAFE.
constexpr int kOptions = CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8;
constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink",
                                       "tagfilter", "tasklist"};
// Cannot come from content: safe mode escapes every '<' of the source.
constexpr const char* kSectionBreak = "<casebook-section-break/>";

std::mutex g_parse_mutex;
std::once_flag g_init_once;

bool IsType(cmark_node* n, cmark_node_type t) { return cmark_node_get_type(n) == t; }

// Text of a node's inline descendants.
std::string TextOf(cmark_node* node) {
  std::string out;
  cmark_iter* it = cmark_iter_new(node);
  for (auto ev = cmark_iter_next(it); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(it)) {
    cmark_node* n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER) continue;
    if (IsType(n, CMARK_NODE_TEXT) || IsType(n, CMARK_NODE_CODE)) {
      const char* lit = cmark_node_get_literal(n);
      if (lit) out += lit;
    } else if (IsType(n, CMARK_NODE_SOFTBREAK) || IsType(n, CMARK_NODE_LINEBREAK)) {
      out += ' ';
    } else if (n != node && (IsType(n, CMARK_NODE_PARAGRAPH))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    }
  }
  cmark_iter_free(it);
  return out;
}

bool Inside(cmark_node* n, std::initializer_list<cmark_node_type> types) {
  for (cmark_node* p = cmark_node_parent(n); p; p = cmark_node_parent(p))
    for (cmark_node_type t : types)
      if (IsType(p, t)) return true;
  return false;
}

// A fenced block whose info string starts with the word "dot".
bool IsDiagram(const char* info) {
  std::string s = Trim(info);
  return s.rfind("dot", 0) == 0 && (s.size() == 3 || s[3] == ' ' || s[3] == '\t');
}

// The caption of a ```dot block: the info string after the word.
std::string CaptionOf(const char* info) { return Trim(Trim(info ? info : "").substr(3)); }

// The nodes RenderMarkdown rewrites, gathered first because cmark's iterator
// must not see the tree change under it.
struct Collected {
  struct At {
    cmark_node* node;
    int section;
  };
  std::vector<At> links, texts, headings, math, diagrams, html;
};

Collected Collect(cmark_node* doc) {
  Collected c;
  int section = 0;
  for (cmark_node* top = cmark_node_first_child(doc); top; top = cmark_node_next(top)) {
    if (IsType(top, CMARK_NODE_HEADING) && cmark_node_get_heading_level(top) == 2)
      ++section;
    cmark_iter* it = cmark_iter_new(top);
    for (auto ev = cmark_iter_next(it); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(it)) {
      if (ev != CMARK_EVENT_ENTER) continue;
      cmark_node* n = cmark_iter_get_node(it);
      switch (cmark_node_get_type(n)) {
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE: c.links.push_back({n, section}); break;
        case CMARK_NODE_HEADING: c.headings.push_back({n, section}); break;
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE: c.html.push_back({n, section}); break;
        case CMARK_NODE_CODE_BLOCK: {
          const char* info = cmark_node_get_fence_info(n);
          if (info && Trim(info) == "math") c.math.push_back({n, section});
          if (info && IsDiagram(info)) c.diagrams.push_back({n, section});
          break;
        }
        case CMARK_NODE_TEXT:
          if (!Inside(n, {CMARK_NODE_LINK, CMARK_NODE_IMAGE, CMARK_NODE_HEADING}))
            c.texts.push_back({n, section});
          break;
        default: break;
      }
    }
    cmark_iter_free(it);
  }
  return c;
}

// A line break inside a paragraph reads as a space; making it one lets a
// term written across two source lines ("normalized discounted⏎cumulative
// gain") match like any other.
void JoinSoftBreaks(cmark_node* doc) {
  std::vector<cmark_node*> breaks;
  cmark_iter* it = cmark_iter_new(doc);
  for (auto ev = cmark_iter_next(it); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(it))
    if (ev == CMARK_EVENT_ENTER && IsType(cmark_iter_get_node(it), CMARK_NODE_SOFTBREAK))
      breaks.push_back(cmark_iter_get_node(it));
  cmark_iter_free(it);
  for (cmark_node* b : breaks) {
    cmark_node* space = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(space, " ");
    cmark_node_replace(b, space);
    cmark_node_free(b);
  }
}

cmark_node* NewText(std::string_view s) {
  cmark_node* t = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(t, std::string(s).c_str());
  return t;
}

// Term links are written as links to this scheme and turned into their
// final markup after rendering: a table cell may hold a link but not a
// custom node. No content link can carry the scheme, because the link
// phase replaces every destination it does not know with "".
constexpr const char* kTermScheme = "casebook-term:";

// Splits one text node around the glossary terms it mentions. Returns the
// serial numbers it used, with their terms.
void LinkTerms(cmark_node* text, int section, std::set<int>& linked, const LinkContext& ctx,
               std::map<int, int>& serials) {
  const char* literal = cmark_node_get_literal(text);
  const std::string_view lit = literal ? literal : "";  // lives until `text` is freed
  auto wanted = [&](int term) { return term != ctx.own_term && !linked.count(term); };
  std::vector<cmark_node*> pieces;
  size_t pos = 0;
  std::vector<std::pair<int, int>> found;  // (serial, term)
  while (auto m = ctx.terms->Find(lit, pos, wanted)) {
    if (m->begin > pos) pieces.push_back(NewText(lit.substr(pos, m->begin - pos)));
    int serial = (*ctx.serial)++;
    cmark_node* link = cmark_node_new(CMARK_NODE_LINK);
    cmark_node_set_url(link, (kTermScheme + std::to_string(serial)).c_str());
    cmark_node_append_child(link, NewText(lit.substr(m->begin, m->length)));
    pieces.push_back(link);
    found.push_back({serial, m->term});
    linked.insert(m->term);
    pos = m->begin + m->length;
  }
  if (found.empty()) return;
  if (pos < lit.size()) pieces.push_back(NewText(lit.substr(pos)));
  for (cmark_node* p : pieces) {
    bool ok = cmark_node_insert_before(text, p);
    assert(ok && "text and links fit wherever text does");
    (void)ok;
  }
  cmark_node_free(text);  // unlinks it too
  for (auto [serial, term] : found) {
    serials[serial] = term;
    if (ctx.on_mention) ctx.on_mention(term, section);
  }
}

// Replaces each <a href="casebook-term:N">text</a> with the term markup.
std::string ExpandTermLinks(std::string_view html, const LinkContext& ctx,
                            const std::map<int, int>& serials) {
  const std::string open = std::string("<a href=\"") + kTermScheme;
  std::string out;
  out.reserve(html.size());
  size_t pos = 0;
  for (size_t at; (at = html.find(open, pos)) != std::string_view::npos;) {
    size_t num_end = html.find('"', at + open.size());
    int serial = std::stoi(std::string(html.substr(at + open.size(), num_end - at - open.size())));
    size_t text_begin = html.find('>', num_end) + 1;
    size_t close = html.find("</a>", text_begin);
    int term = serials.at(serial);
    out += html.substr(pos, at - pos);
    ctx.term_open(term, serial, out);
    out += html.substr(text_begin, close - text_begin);
    ctx.term_close(term, serial, out);
    pos = close + 4;
  }
  out += html.substr(pos);
  return out;
}

// Replaces a heading by a custom block that carries its id.
void RenderHeading(cmark_node* h, const Heading& info, bool top_level) {
  std::string level = std::to_string(cmark_node_get_heading_level(h));
  std::string open = (top_level && info.level == 2 ? kSectionBreak : "");
  open += "<h" + level + " id=\"" + HtmlEscape(info.id) + "\">";
  std::string close = "<a class=\"anchor\" href=\"#" + HtmlEscape(info.id) +
                      "\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h" + level + ">\n";
  cmark_node* block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
  cmark_node_set_on_enter(block, open.c_str());
  cmark_node_set_on_exit(block, close.c_str());
  while (cmark_node* c = cmark_node_first_child(h)) {
    cmark_node_unlink(c);
    cmark_node_append_child(block, c);
  }
  cmark_node_replace(h, block);
  cmark_node_free(h);
}

// Replaces each ```dot block by its figure; one that did not convert has
// its error already and stays a code block.
void RenderDiagrams(Fragment& f, const Collected& c, const LinkContext& ctx) {
  f.diagrams.clear();
  if (!ctx.diagrams) return;
  for (const auto& d : c.diagrams) {
    const char* lit = cmark_node_get_literal(d.node);
    auto found = ctx.diagrams->find(lit ? lit : "");
    if (found == ctx.diagrams->end()) continue;
    std::string caption = CaptionOf(cmark_node_get_fence_info(d.node));
    std::string id = "diagram_" + ctx.footnote_prefix + std::to_string(f.diagrams.size() + 1);
    f.diagrams.push_back(DiagramFigure(found->second, caption, id));
    cmark_node* block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(block, f.diagrams.back().c_str());
    cmark_node_replace(d.node, block);
    cmark_node_free(d.node);
  }
}

// Calls fn(node, info string) for each code block under `root`, in
// document order. Only blocks are walked: paragraphs and headings hold
// inlines alone, which never contain a code block, so this visits a small
// part of the tree. Iterative (parent links, no stack), as content may nest
// blocks deeply.
template <typename Fn>
void ForEachCodeBlock(cmark_node* root, const Fn& fn) {
  for (cmark_node* n = cmark_node_first_child(root); n;) {
    cmark_node_type t = cmark_node_get_type(n);
    if (t == CMARK_NODE_CODE_BLOCK) {
      const char* info = cmark_node_get_fence_info(n);
      fn(n, info ? info : "");
    }
    bool container = t != CMARK_NODE_PARAGRAPH && t != CMARK_NODE_HEADING &&
                     (t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK;
    if (cmark_node* child = container ? cmark_node_first_child(n) : nullptr) {
      n = child;
      continue;
    }
    while (n != root && !cmark_node_next(n)) n = cmark_node_parent(n);
    n = n == root ? nullptr : cmark_node_next(n);
  }
}

std::vector<std::string> SplitSections(std::string&& html) {
  std::vector<std::string> out;
  size_t start = 0, len = std::strlen(kSectionBreak);
  for (size_t at; (at = html.find(kSectionBreak, start)) != std::string::npos;) {
    out.push_back(html.substr(start, at - start));
    start = at + len;
  }
  if (start == 0) {
    out.push_back(std::move(html));  // one section, most fragments: no copy
  } else {
    out.push_back(html.substr(start));
  }
  return out;
}

}  // namespace

void InitMarkdown() {
  // The registration guard in cmark-gfm is a plain static int: racing it
  // registers extensions twice, so do it exactly once.
  std::call_once(g_init_once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

namespace {

using TreePtr = std::unique_ptr<MarkdownTree, MarkdownTreeDeleter>;

// The part of parsing before the lock: a parser with the extensions, or
// null after reporting a table cmark-gfm cannot take.
TreePtr BeginParse(Fragment& f, Diagnostics& diags) {
  InitMarkdown();
  f.headings.clear();
  f.tree.reset();
  f.parsed = true;
  if (std::optional<TableProblem> p = OversizedTable(f.source)) {
    diags.Error(FileLocation(f, p->line, p->column), p->message);
    return nullptr;  // no tree: the fragment renders empty
  }
  TreePtr tree(new MarkdownTree);
  tree->parser = cmark_parser_new(kOptions);
  for (const char* name : kExtensions) {
    cmark_syntax_extension* ext = cmark_find_syntax_extension(name);
    assert(ext && "InitMarkdown registers every extension");
    cmark_parser_attach_syntax_extension(tree->parser, ext);
  }
  return tree;
}

// The part that must hold g_parse_mutex.
void FeedParser(const Fragment& f, MarkdownTree& tree) {
  cmark_parser_feed(tree.parser, f.source.data(), f.source.size());
  tree.doc = cmark_parser_finish(tree.parser);
}

// The part after the lock: the headings, then the tree goes to f.
void EndParse(Fragment& f, TreePtr tree) {
  cmark_iter* it = cmark_iter_new(tree->doc);
  for (auto ev = cmark_iter_next(it); ev != CMARK_EVENT_DONE; ev = cmark_iter_next(it)) {
    cmark_node* n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || !IsType(n, CMARK_NODE_HEADING)) continue;
    Heading h;
    h.level = cmark_node_get_heading_level(n);
    h.top_level = cmark_node_parent(n) == tree->doc;
    h.title = Trim(TextOf(n));
    h.at = FileLocation(f, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
    f.headings.push_back(std::move(h));
  }
  cmark_iter_free(it);
  f.tree = std::move(tree);
}

}  // namespace

void ParseMarkdown(Fragment& f, Diagnostics& diags) {
  TreePtr tree = BeginParse(f, diags);
  if (!tree) return;
  {
    std::lock_guard<std::mutex> lock(g_parse_mutex);
    FeedParser(f, *tree);
  }
  EndParse(f, std::move(tree));
}

void ParseFragments(const std::vector<Fragment*>& fragments, Diagnostics& diags) {
  std::vector<TreePtr> trees;
  trees.reserve(fragments.size());
  for (Fragment* f : fragments) trees.push_back(BeginParse(*f, diags));
  {
    std::lock_guard<std::mutex> lock(g_parse_mutex);
    for (size_t i = 0; i < fragments.size(); ++i)
      if (trees[i]) FeedParser(*fragments[i], *trees[i]);
  }
  for (size_t i = 0; i < fragments.size(); ++i)
    if (trees[i]) EndParse(*fragments[i], std::move(trees[i]));
}

struct ParseQueue::Pending {
  Fragment* fragment;
  TreePtr tree;
};

ParseQueue::ParseQueue() = default;

// Fragments still queued (only after an exception) may be gone: drop them
// without touching them.
ParseQueue::~ParseQueue() = default;

void ParseQueue::Add(Fragment& f, Diagnostics& diags) {
  TreePtr tree = BeginParse(f, diags);
  if (!tree) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back({&f, std::move(tree)});
  }
  Drain(/*wait=*/false);
}

void ParseQueue::Finish() { Drain(/*wait=*/true); }

void ParseQueue::Drain(bool wait) {
  for (;;) {
    std::unique_lock<std::mutex> parse(g_parse_mutex, std::defer_lock);
    if (wait) parse.lock();
    else if (!parse.try_lock()) return;  // the holder takes our fragment in its next batch
    std::vector<Pending> batch;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batch.swap(queue_);
    }
    for (Pending& p : batch) FeedParser(*p.fragment, *p.tree);
    parse.unlock();
    for (Pending& p : batch) EndParse(*p.fragment, std::move(p.tree));
    if (batch.empty()) {
      // Something added while we held the parser found it taken and left
      // its fragment to us: look once more before returning.
      std::lock_guard<std::mutex> lock(mutex_);
      if (queue_.empty()) return;
    }
  }
}

SourceLocation FileLocation(const Fragment& f, int line, int column) {
  if (!f.exact) return f.at;
  if (f.block) return {f.at.path, f.at.line + line, column + f.indent};
  if (line <= 1) return {f.at.path, f.at.line, f.at.column + column - 1};
  return {f.at.path, f.at.line + line - 1, column};
}

std::vector<std::pair<std::string, SourceLocation>> CollectMath(const Fragment& f) {
  std::vector<std::pair<std::string, SourceLocation>> out;
  if (!f.tree) return out;
  ForEachCodeBlock(f.tree->doc, [&](cmark_node* n, const char* info) {
    if (Trim(info) != "math") return;
    const char* lit = cmark_node_get_literal(n);
    out.emplace_back(Trim(lit ? lit : ""),
                     FileLocation(f, cmark_node_get_start_line(n), cmark_node_get_start_column(n)));
  });
  return out;
}

std::vector<DiagramSource> CollectDiagrams(const Fragment& f) {
  std::vector<DiagramSource> out;
  if (!f.tree) return out;
  ForEachCodeBlock(f.tree->doc, [&](cmark_node* n, const char* info) {
    if (!IsDiagram(info)) return;
    DiagramSource s;
    const char* lit = cmark_node_get_literal(n);
    s.dot = lit ? lit : "";
    s.caption = CaptionOf(info);
    int line = cmark_node_get_start_line(n), column = cmark_node_get_start_column(n);
    s.at = FileLocation(f, line, column);
    // Line N of the block is the fence's line + N wherever positions are exact.
    s.line_step = FileLocation(f, line + 1, column).line - s.at.line;
    out.push_back(std::move(s));
  });
  return out;
}

std::string PlainText(const Fragment& f) {
  return f.tree ? Trim(TextOf(f.tree->doc)) : "";
}

namespace {

// The tasklist extension draws "- [x]" as a disabled checkbox with no name,
// which screen readers announce as an unlabelled control. Content cannot
// write an <input> itself (raw HTML never passes), so these exact strings
// are the extension's.
void LabelTaskBoxes(std::string& html) {
  constexpr std::string_view kBox = "<input type=\"checkbox\" ";
  // What follows kBox in cmark-gfm's two boxes, and where the label goes.
  constexpr std::string_view kDone = "checked=\"\" disabled=\"\" ", kToDo = "disabled=\"\" ";
  size_t at = html.find(kBox);
  if (at == std::string::npos) return;
  std::string out;
  out.reserve(html.size() + 256);
  size_t pos = 0;
  for (; at != std::string::npos; at = html.find(kBox, at + kBox.size())) {
    const size_t rest = at + kBox.size();
    for (auto [attrs, label] : {std::pair{kDone, "aria-label=\"Done\" />"},
                                std::pair{kToDo, "aria-label=\"To do\" />"}}) {
      if (html.compare(rest, attrs.size(), attrs) != 0 ||
          html.compare(rest + attrs.size(), 2, "/>") != 0)
        continue;
      out.append(html, pos, rest + attrs.size() - pos);
      out += label;
      pos = rest + attrs.size() + 2;
      break;
    }
  }
  out.append(html, pos, std::string::npos);
  html = std::move(out);
}

// Replaces a link or image by its content: its text, an image's alt text.
void Unwrap(cmark_node* node) {
  while (cmark_node* child = cmark_node_first_child(node)) cmark_node_insert_before(node, child);
  cmark_node_free(node);
}

}  // namespace

void RenderMarkdown(Fragment& f, const LinkContext& ctx, Diagnostics& diags) {
  f.linked = true;
  if (!f.tree) {
    f.sections = {""};
    return;
  }
  cmark_node* doc = f.tree->doc;
  JoinSoftBreaks(doc);
  cmark_consolidate_text_nodes(doc);
  Collected c = Collect(doc);

  for (const auto& l : c.links) {
    const char* url = cmark_node_get_url(l.node);
    SourceLocation at = FileLocation(f, cmark_node_get_start_line(l.node),
                                     cmark_node_get_start_column(l.node));
    auto target = ctx.resolve(url ? url : "", IsType(l.node, CMARK_NODE_IMAGE), at);
    if (target.term >= 0) {
      ctx.linked(l.section).insert(target.term);
      if (ctx.on_mention) ctx.on_mention(target.term, l.section);
    }
    if (target.url.empty())
      Unwrap(l.node);
    else
      cmark_node_set_url(l.node, target.url.c_str());
  }
  std::map<int, int> serials;
  if (ctx.terms) {
    // Text nodes come section by section: one lookup of its linked terms each.
    int section = -1;
    std::set<int>* linked = nullptr;
    for (const auto& t : c.texts) {
      if (!linked || t.section != section) linked = &ctx.linked(section = t.section);
      LinkTerms(t.node, t.section, *linked, ctx, serials);
    }
  }
  for (const auto& m : c.math) {
    if (!ctx.math) break;
    const char* lit = cmark_node_get_literal(m.node);
    auto found = ctx.math->find(Trim(lit ? lit : ""));
    if (found == ctx.math->end()) continue;  // reported by the math phase
    cmark_node* block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    std::string html = "<div class=\"math-display\">" + found->second + "</div>\n";
    cmark_node_set_on_enter(block, html.c_str());
    cmark_node_replace(m.node, block);
    cmark_node_free(m.node);
  }
  RenderDiagrams(f, c, ctx);
  for (const auto& h : c.html) {
    diags.Warning(FileLocation(f, cmark_node_get_start_line(h.node),
                               cmark_node_get_start_column(h.node)),
                  "raw HTML is not allowed in content and was left out");
    cmark_node_free(h.node);
  }
  for (size_t i = 0; i < c.headings.size() && i < f.headings.size(); ++i)
    RenderHeading(c.headings[i].node, f.headings[i], cmark_node_parent(c.headings[i].node) == doc);

  char* raw = cmark_render_html(doc, kOptions, cmark_parser_get_syntax_extensions(f.tree->parser));
  std::string html = ExpandTermLinks(raw, ctx, serials);
  free(raw);
  if (f.is_inline && html.rfind("<p>", 0) == 0 && html.size() >= 8 &&
      html.compare(html.size() - 5, 5, "</p>\n") == 0 &&
      html.find("<p>", 3) == std::string::npos) {
    html.resize(html.size() - 5);
    html.erase(0, 3);
  }
  // Every footnote id and link has "fn" in it; most fragments have none.
  if (!ctx.footnote_prefix.empty() && html.find("fn") != std::string::npos)
    for (const char* attr : {"id=\"fn-", "href=\"#fn-", "id=\"fnref-", "href=\"#fnref-"})
      html = ReplaceAll(html, attr, attr + ctx.footnote_prefix);
  LabelTaskBoxes(html);
  f.sections = SplitSections(std::move(html));
  f.tree.reset();
}

}  // namespace casebook
