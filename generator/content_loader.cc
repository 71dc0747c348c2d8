#include "content_loader.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "text.h"
#include "yaml_reader.h"

namespace fs = std::filesystem;

namespace casebook {

namespace {

// Everything LoadContent needs while it walks: the folder and the diagnostics.
struct Loader {
  std::string dir;
  Diagnostics& diags;

  std::string PathOf(const std::string& rel) const { return dir + "/" + rel; }

  // A Markdown field; `inline_only` for one-line texts such as list items.
  Fragment MarkdownField(const YamlNode* n, const std::string& what,
                         bool inline_only) {
    Fragment f;
    if (!n) return f;
    if (n->kind != YamlNode::Kind::kScalar) {
      diags.Error(n->at, "'" + what + "' must be text, not " + KindName(n->kind));
      return f;
    }
    f.source = n->scalar;
    f.at = n->at;
    f.at.column = n->text_column;
    f.block = n->block;
    f.indent = n->block ? n->block_indent : 0;
    f.exact = n->exact;
    f.is_inline = inline_only;
    return f;
  }

  Fragment Body(std::string_view body, const std::string& path, int line) {
    Fragment f;
    f.source = std::string(body);
    f.at = {path, line, 1};
    return f;
  }

  // The id a file name gives, reported when it breaks the id pattern.
  bool CheckId(const std::string& id, const std::string& path, bool may_be_index = false) {
    if (id == "index" && !may_be_index) {
      diags.Error({path}, "'index' names the section's own page; choose another id");
      return false;
    }
    if (IsValidId(id)) return true;
    diags.Error({path}, "'" + id +
                            "' is not a valid id: use lower-case letters, "
                            "digits and single hyphens (e.g. " +
                            Slugify(id) + ")");
    return false;
  }

  std::optional<YamlNode> ReadYamlMap(std::string_view yaml,
                                      const std::string& path, int line) {
    auto node = ParseYaml(yaml, path, line, diags);
    if (!node) return std::nullopt;
    if (node->kind == YamlNode::Kind::kNull) {
      node->kind = YamlNode::Kind::kMap;  // empty front matter
      node->at = {path, line, 1};
    }
    if (node->kind != YamlNode::Kind::kMap) {
      diags.Error(node->at, std::string("expected fields (key: value), found ") +
                                KindName(node->kind));
      return std::nullopt;
    }
    return node;
  }

  // A Markdown file's text, its front matter and its body. Not copyable:
  // `split` points into `text`.
  struct PageFile {
    std::string text;
    FrontMatterSplit split;
    YamlNode front;
    PageFile() = default;
    PageFile(const PageFile&) = delete;
    PageFile& operator=(const PageFile&) = delete;
  };
  // Reads, splits and parses one page; false (reported) when any step fails.
  bool ReadPageFile(const std::string& path, PageFile& out) {
    auto text = ReadTextFile(path, diags);
    if (!text) return false;
    out.text = std::move(*text);
    auto split = SplitFrontMatter(out.text, path, diags);
    if (!split) return false;
    out.split = *split;
    auto fm = ReadYamlMap(split->yaml, path, split->yaml_line);
    if (!fm) return false;
    out.front = std::move(*fm);
    return true;
  }

  void LoadSiteConfig(Site& site);
  void LoadPages(Site& site);
  void LoadSteps(Site& site);
  void LoadCases(Site& site);
  void LoadGlossary(Site& site);
  void ReadStep(Step& step, const YamlNode& fm);
  void ReadCase(CaseStudy& cs, const YamlNode& fm);
  void ReadTerm(Term& term, const YamlNode& node);
  std::vector<IdRef> Ids(MapReader& r, std::string_view key);
};

// Sorted, so that every later phase sees files in the same order.
std::vector<std::string> ListFiles(const std::string& dir,
                                   const std::string& ext) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (name.size() > ext.size() &&
        name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string Stem(const std::string& name) {
  return name.substr(0, name.rfind('.'));
}

void Loader::LoadSiteConfig(Site& site) {
  std::string path = PathOf("site.yaml");
  auto text = ReadTextFile(path, diags);
  if (!text) return;
  auto node = ReadYamlMap(*text, path, 1);
  if (!node) return;
  MapReader r(*node, {"id", "title", "description", "base_url", "repository",
                      "language"},
              diags);
  SiteConfig& c = site.config;
  c.title = r.String("title", true);
  c.description = r.String("description", false);
  c.id = r.String("id", false);
  if (c.id.empty()) c.id = Slugify(c.title);
  else if (!IsValidId(c.id))
    diags.Error(r.LocationOf("id"), "'" + c.id + "' is not a valid id");
  if (r.Has("language")) c.language = r.String("language", true);
  c.base_url = r.String("base_url", false);
  if (!c.base_url.empty()) {
    if (!IsValidBaseUrl(c.base_url))
      diags.Error(r.LocationOf("base_url"),
                  "base_url must be an address such as https://you.github.io/repo/");
    if (c.base_url.back() != '/') c.base_url += '/';
  }
  c.repository = r.String("repository", false);
  if (!c.repository.empty() && c.repository.rfind("https://", 0) != 0)
    diags.Error(r.LocationOf("repository"), "repository must start with https://");
}

void Loader::LoadPages(Site& site) {
  for (const std::string& name : ListFiles(PathOf("pages"), ".md")) {
    std::string rel = "pages/" + name, path = PathOf(rel);
    FreePage page;
    page.id = Stem(name);
    page.path = rel;
    if (!CheckId(page.id, path, /*may_be_index=*/true)) continue;
    PageFile file;
    if (!ReadPageFile(path, file)) continue;
    MapReader r(file.front, {"title", "summary"}, diags);
    page.title = r.String("title", true);
    page.summary = r.String("summary", false);
    page.body = Body(file.split.body, path, file.split.body_line);
    if (page.id == "index") site.home = std::move(page);
    else site.pages.push_back(std::move(page));
  }
  if (site.home.path.empty() && !fs::exists(PathOf("pages/index.md")))
    diags.Error({PathOf("pages/index.md")},
                "missing home page: create pages/index.md");
}

void Loader::ReadStep(Step& step, const YamlNode& fm) {
  MapReader r(fm, {"title", "summary", "time", "checklist", "mistakes"}, diags);
  step.title = r.String("title", true);
  step.summary = r.String("summary", true);
  step.time = r.String("time", false);
  std::set<std::string> seen;
  for (const YamlNode* item : r.MapList("checklist", true)) {
    MapReader ir(*item, {"id", "text", "why"}, diags);
    ChecklistItem ci;
    ci.id = ir.String("id", true);
    ci.at = item->at;
    if (!ci.id.empty() && !IsValidId(ci.id))
      diags.Error(ir.LocationOf("id"), "'" + ci.id + "' is not a valid id");
    else if (!ci.id.empty() && !seen.insert(ci.id).second)
      diags.Error(ir.LocationOf("id"), "duplicate checklist id '" + ci.id + "'");
    ir.String("text", true);
    ci.text = MarkdownField(ir.Get("text"), "text", true);
    ci.why = MarkdownField(ir.Get("why"), "why", false);
    step.checklist.push_back(std::move(ci));
  }
  if (const YamlNode* m = r.Get("mistakes")) {
    r.StringList("mistakes", false);
    for (const YamlNode& item : m->items)
      if (item.kind == YamlNode::Kind::kScalar)
        step.mistakes.push_back(MarkdownField(&item, "mistakes", true));
  }
}

void Loader::LoadSteps(Site& site) {
  std::set<std::string> ids;
  std::set<int> numbers;
  for (const std::string& name : ListFiles(PathOf("framework"), ".md")) {
    std::string rel = "framework/" + name, path = PathOf(rel);
    size_t dash = name.find('-');
    std::string prefix = name.substr(0, dash == std::string::npos ? 0 : dash);
    if (prefix.size() != 2 || !std::isdigit(static_cast<unsigned char>(prefix[0])) ||
        !std::isdigit(static_cast<unsigned char>(prefix[1]))) {
      diags.Error({path}, "framework files are named NN-<id>.md, e.g. "
                          "01-clarify-requirements.md");
      continue;
    }
    Step step;
    step.number = std::stoi(prefix);
    step.id = Stem(name.substr(dash + 1));
    step.path = rel;
    if (!CheckId(step.id, path)) continue;
    if (!numbers.insert(step.number).second)
      diags.Error({path}, "two framework steps are numbered " + prefix);
    if (!ids.insert(step.id).second)
      diags.Error({path}, "duplicate step id '" + step.id + "'");
    PageFile file;
    if (!ReadPageFile(path, file)) {
      site.steps_incomplete = true;
      continue;
    }
    ReadStep(step, file.front);
    step.body = Body(file.split.body, path, file.split.body_line);
    site.steps.push_back(std::move(step));
  }
  if (site.steps.empty() && !site.steps_incomplete)
    diags.Error({PathOf("framework")},
                "no framework steps: add framework/01-<id>.md");
}

std::vector<IdRef> Loader::Ids(MapReader& r, std::string_view key) {
  std::vector<IdRef> out;
  for (auto& [id, at] : r.StringList(key, false)) out.push_back({id, at});
  return out;
}

void Loader::ReadCase(CaseStudy& cs, const YamlNode& fm) {
  MapReader r(fm, {"title", "summary", "category", "difficulty", "task",
                   "metrics", "related", "scale", "failure_modes", "questions",
                   "references"},
              diags);
  cs.title = r.String("title", true);
  cs.summary = r.String("summary", true);
  cs.category = r.String("category", true);
  cs.difficulty = r.Enum("difficulty", {"introductory", "intermediate", "advanced"},
                         false);
  cs.task = r.String("task", false);
  if (const YamlNode* m = r.Get("metrics")) {
    if (m->kind != YamlNode::Kind::kMap) {
      diags.Error(m->at, "'metrics' must have 'offline' and/or 'online' lists");
    } else {
      MapReader mr(*m, {"offline", "online"}, diags);
      cs.offline_metrics = Ids(mr, "offline");
      cs.online_metrics = Ids(mr, "online");
    }
  }
  cs.related = Ids(r, "related");
  for (const YamlNode* row : r.MapList("scale", false)) {
    MapReader sr(*row, {"quantity", "value", "note"}, diags);
    ScaleRow s;
    s.quantity = sr.String("quantity", true);
    s.value = sr.String("value", true);
    sr.String("note", true);
    s.note = MarkdownField(sr.Get("note"), "note", true);
    cs.scale.push_back(std::move(s));
  }
  for (const YamlNode* f : r.MapList("failure_modes", false)) {
    MapReader fr(*f, {"failure", "signal", "mitigation"}, diags);
    FailureMode fm_;
    for (const char* k : {"failure", "signal", "mitigation"}) fr.String(k, true);
    fm_.failure = MarkdownField(fr.Get("failure"), "failure", true);
    fm_.signal = MarkdownField(fr.Get("signal"), "signal", true);
    fm_.mitigation = MarkdownField(fr.Get("mitigation"), "mitigation", true);
    cs.failure_modes.push_back(std::move(fm_));
  }
  for (const YamlNode* q : r.MapList("questions", false)) {
    MapReader qr(*q, {"q", "a"}, diags);
    qr.String("q", true);
    qr.String("a", true);
    Question question;
    question.question = MarkdownField(qr.Get("q"), "q", true);
    question.answer = MarkdownField(qr.Get("a"), "a", false);
    cs.questions.push_back(std::move(question));
  }
  for (const YamlNode* ref : r.MapList("references", false)) {
    MapReader rr(*ref, {"title", "authors", "venue", "year", "url"}, diags);
    Reference x;
    x.at = ref->at;
    x.title = rr.String("title", true);
    x.authors = rr.String("authors", false);
    x.venue = rr.String("venue", true);
    x.url = rr.String("url", false);
    if (!x.url.empty() && x.url.rfind("https://", 0) != 0 &&
        x.url.rfind("http://", 0) != 0)
      diags.Error(rr.LocationOf("url"), "reference url must start with https://");
    if (auto y = rr.Int("year", true)) {
      x.year = *y;
      if (x.year < 1900 || x.year > 2100)
        diags.Error(rr.LocationOf("year"), "year " + std::to_string(x.year) +
                                               " is not plausible");
    }
    cs.references.push_back(std::move(x));
  }
}

void Loader::LoadCases(Site& site) {
  for (const std::string& name : ListFiles(PathOf("case-studies"), ".md")) {
    std::string rel = "case-studies/" + name, path = PathOf(rel);
    CaseStudy cs;
    cs.id = Stem(name);
    cs.path = rel;
    if (!CheckId(cs.id, path)) continue;
    PageFile file;
    if (!ReadPageFile(path, file)) continue;
    ReadCase(cs, file.front);
    cs.body = Body(file.split.body, path, file.split.body_line);
    site.cases.push_back(std::move(cs));
  }
}

void Loader::ReadTerm(Term& t, const YamlNode& node) {
  MapReader r(node, {"id", "term", "aliases", "category", "definition", "formula",
                     "range", "better", "pitfalls", "source", "related"},
              diags);
  t.at = node.at;
  t.id = r.String("id", true);
  if (!t.id.empty() && !IsValidId(t.id))
    diags.Error(r.LocationOf("id"), "'" + t.id + "' is not a valid id");
  else if (t.id == "index")
    diags.Error(r.LocationOf("id"), "'index' names the glossary's own page; choose another id");
  t.term = r.String("term", true);
  for (auto& [alias, at] : r.StringList("aliases", false)) {
    if (Trim(alias).empty()) diags.Error(at, "empty alias");
    else t.aliases.push_back(alias);
  }
  t.category = r.String("category", true);
  r.String("definition", true);
  t.definition = MarkdownField(r.Get("definition"), "definition", false);
  t.formula = r.String("formula", false);
  t.formula_at = r.LocationOf("formula");
  t.range = r.String("range", false);
  t.better = r.Enum("better", {"higher", "lower", "target"}, false);
  t.pitfalls = MarkdownField(r.Get("pitfalls"), "pitfalls", false);
  t.source = MarkdownField(r.Get("source"), "source", true);
  // A formula is a claim of fact: say where it was checked.
  if (!t.formula.empty() && !r.Has("source"))
    diags.Warning(r.LocationOf("formula"),
                  "formula without a 'source' (name where it can be checked)");
  t.related = Ids(r, "related");
}

void Loader::LoadGlossary(Site& site) {
  std::string path = PathOf("glossary.yaml");
  if (!fs::exists(path)) return;  // a guide without a glossary is allowed
  auto text = ReadTextFile(path, diags);
  if (!text) {
    site.glossary_incomplete = true;
    return;
  }
  auto root = ParseYaml(*text, path, 1, diags);
  if (!root) {
    site.glossary_incomplete = true;
    return;
  }
  if (root->kind == YamlNode::Kind::kNull) return;
  if (root->kind != YamlNode::Kind::kSequence) {
    diags.Error(root->at, "glossary.yaml must be a list of terms ('- id: ...')");
    return;
  }
  for (const YamlNode& item : root->items) {
    if (item.kind != YamlNode::Kind::kMap) {
      diags.Error(item.at, "each glossary entry must be a mapping");
      continue;
    }
    Term t;
    ReadTerm(t, item);
    site.terms.push_back(std::move(t));
  }
}

}  // namespace

Site LoadContent(const std::string& content_dir, Diagnostics& diags) {
  Site site;
  if (!fs::is_directory(content_dir)) {
    diags.Error({content_dir}, "content folder not found");
    return site;
  }
  // Only files under content/ are content: a linked folder would publish
  // whatever it points to.
  for (const char* sub : {"pages", "framework", "case-studies"}) {
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(content_dir + "/" + sub, ec))) {
      diags.Error({content_dir + "/" + sub}, "symbolic links are not followed; make it a folder");
      return site;
    }
  }
  Loader loader{content_dir, diags};
  loader.LoadSiteConfig(site);
  loader.LoadPages(site);
  loader.LoadSteps(site);
  loader.LoadCases(site);
  loader.LoadGlossary(site);
  return site;
}

}  // namespace casebook

namespace casebook {

void ReportStrayFiles(const std::string& content_dir, const std::set<std::string>& linked,
                      Diagnostics& diags) {
  std::error_code ec;
  std::vector<std::string> stray;
  for (auto it = fs::recursive_directory_iterator(content_dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    // lexically: relative() would resolve a symbolic link to where it points.
    std::string rel = it->path().lexically_relative(content_dir).string();
    std::string name = it->path().filename().string();
    if (name[0] == '.') {  // hidden files and folders (.git, editor state)
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_symlink()) {
      diags.Warning({content_dir + "/" + rel}, "symbolic link is not followed; it is ignored");
      continue;
    }
    if (it->is_directory()) continue;
    size_t slash = rel.find('/');
    std::string folder = slash == std::string::npos ? "" : rel.substr(0, slash);
    bool page = rel.size() > 3 && rel.compare(rel.size() - 3, 3, ".md") == 0 &&
                rel.find('/', slash + 1) == std::string::npos &&
                (folder == "pages" || folder == "framework" || folder == "case-studies");
    if (page || rel == "site.yaml" || rel == "glossary.yaml" || linked.count(rel)) continue;
    stray.push_back(rel);
  }
  std::sort(stray.begin(), stray.end());
  for (const std::string& s : stray)
    diags.Warning({content_dir + "/" + s},
                  "file is not part of the content format and no page links to it; it is ignored");
}

}  // namespace casebook
