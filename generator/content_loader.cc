#include "content_loader.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "front_matter.h"
#include "parallel.h"
#include "text.h"
#include "yaml_reader.h"

namespace fs = std::filesystem;

namespace casebook {

namespace {

// Everything LoadContent needs while it walks: the folder, the options and
// the diagnostics. Each file is read with a Loader of its own diagnostics
// (ReadEach), so that files can be read on several threads.
struct Loader {
  const std::string& dir;
  Diagnostics& diags;
  const LoadOptions& options;

  std::optional<YamlNode> Parse(std::string_view text, const std::string& path, int line) {
    return options.yaml ? options.yaml->Parse(text, path, line, diags)
                        : ParseYaml(text, path, line, diags);
  }

  // Parse for the glossary: a long list, parsed item by item on the
  // loader's threads, and kept so in the cache.
  std::optional<YamlNode> ParseList(std::string_view text, const std::string& path) {
    return options.yaml ? options.yaml->ParseList(text, path, 1, diags, options.jobs)
                        : ParseYamlList(text, path, 1, options.jobs, diags);
  }

  std::string PathOf(const std::string& rel) const { return dir + "/" + rel; }

  // A page's body; the link phase parses it.
  void SetBody(Fragment& f, std::string_view body, const std::string& path, int line) {
    f.source = std::string(body);
    f.at = {path, line, 1};
  }

  // Calls read(loader, item) for every item, on up to options.jobs threads,
  // each with a Loader whose diagnostics are its own (appended here, in item
  // order). Returns which reads succeeded. `read` may touch only its item.
  template <typename T, typename Read>
  std::vector<char> ReadEach(std::vector<T>& items, Read read) {
    std::vector<char> ok(items.size());
    std::vector<Diagnostics> reported(items.size());
    ParallelFor(items.size(), options.jobs, [&](size_t i) {
      Loader mine{dir, reported[i], options};
      ok[i] = read(mine, items[i]);
    });
    for (const Diagnostics& d : reported) diags.Append(d);
    return ok;
  }

  // The id a file name gives, reported when it breaks the id pattern.
  bool CheckId(const std::string& id, const std::string& path, bool may_be_index = false) {
    if (id == "index" && !may_be_index) {
      diags.Error({path}, "'index' names the section's own page; choose another id");
      return false;
    }
    if (IsValidId(id)) return true;
    // The suggestion must itself be valid: ASCII only, or none at all.
    std::string suggestion = AsciiSlug(id);
    diags.Error({path}, "'" + id +
                            "' is not a valid id: use lower-case letters, "
                            "digits and single hyphens" +
                            (IsValidId(suggestion) ? " (e.g. " + suggestion + ")" : ""));
    return false;
  }

  std::optional<YamlNode> ReadYamlMap(std::string_view yaml,
                                      const std::string& path, int line) {
    auto node = Parse(yaml, path, line);
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
  ReadSiteConfig(*node, site.config, diags);
}

void Loader::LoadPages(Site& site) {
  std::vector<FreePage> pages;
  for (const std::string& name : ListFiles(PathOf("pages"), ".md")) {
    FreePage page;
    page.id = Stem(name);
    page.path = "pages/" + name;
    if (CheckId(page.id, PathOf(page.path), /*may_be_index=*/true))
      pages.push_back(std::move(page));
  }
  std::vector<char> ok = ReadEach(pages, [](Loader& l, FreePage& page) {
    std::string path = l.PathOf(page.path);
    PageFile file;
    if (!l.ReadPageFile(path, file)) return false;
    ReadFreePage(file.front, page, l.diags);
    l.SetBody(page.body, file.split.body, path, file.split.body_line);
    return true;
  });
  for (size_t i = 0; i < pages.size(); ++i) {
    if (!ok[i]) continue;
    if (pages[i].id == "index") site.home = std::move(pages[i]);
    else site.pages.push_back(std::move(pages[i]));
  }
  if (site.home.path.empty() && !fs::exists(PathOf("pages/index.md")))
    diags.Error({PathOf("pages/index.md")},
                "missing home page: create pages/index.md");
}

// Each comparison column is one step's to cover: the first step (in
// framework order) to name it keeps it, a later one is told which step has it.
void CheckCompareColumns(const std::vector<Step>& steps, Diagnostics& diags) {
  std::map<std::string, const Step*> owner;
  for (const Step& step : steps)
    for (size_t i = 0; i < step.compare.size(); ++i) {
      auto [it, fresh] = owner.emplace(step.compare[i], &step);
      if (!fresh)
        diags.Error(step.compare_at[i], "column '" + step.compare[i] +
                                            "' is already covered by step '" + it->second->id +
                                            "' (" + it->second->path + ")");
    }
}

// The mock interview times the steps with their budgets: an interview length
// that some step has and another lacks is not offered (said at the step
// without it), and steps whose budgets add up to more than the interview
// cannot all fit in it.
void CheckBudgets(const std::vector<Step>& steps, const std::string& content_dir,
                  Diagnostics& diags) {
  std::map<int, int> total;
  std::map<int, const Step*> last;  // the last step with a budget for the length
  for (const Step& step : steps)
    for (const auto& [length, minutes] : step.budget) {
      total[length] += minutes;
      last[length] = &step;
    }
  for (const auto& [length, minutes] : total) {
    std::string interview = "a " + std::to_string(length) + "-minute interview";
    for (const Step& step : steps)
      // A budget that could not be read has its own error.
      if (!step.budget.count(length) && !(step.budget.empty() && !step.budget_at.path.empty()))
        diags.Warning(step.budget.empty() ? SourceLocation{content_dir + "/" + step.path, 1, 1}
                                          : step.budget_at,
                      "no budget for " + interview + ", which other steps have; the mock "
                      "interview offers only the lengths that every step has");
    if (minutes > length)
      diags.Warning(last[length]->budget_at, "the steps' budgets for " + interview +
                                                 " add up to " + std::to_string(minutes) +
                                                 " minutes");
  }
}

void Loader::LoadSteps(Site& site) {
  std::set<std::string> ids;
  std::set<int> numbers;
  std::vector<Step> steps;
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
    steps.push_back(std::move(step));
  }
  std::vector<char> ok = ReadEach(steps, [](Loader& l, Step& step) {
    std::string path = l.PathOf(step.path);
    PageFile file;
    if (!l.ReadPageFile(path, file)) return false;
    ReadStep(file.front, step, l.diags);
    l.SetBody(step.body, file.split.body, path, file.split.body_line);
    return true;
  });
  for (size_t i = 0; i < steps.size(); ++i) {
    if (ok[i]) {
      site.steps.push_back(std::move(steps[i]));
    } else {
      site.steps_incomplete = true;
      site.unloaded_steps.insert(steps[i].id);
    }
  }
  CheckCompareColumns(site.steps, diags);
  CheckBudgets(site.steps, dir, diags);
  if (site.steps.empty() && !site.steps_incomplete)
    diags.Error(FolderAt(PathOf("framework")),
                "no framework steps: add framework/01-<id>.md");
}

// sheet.decisions is keyed by step id: an id the framework lacks is reported
// with a suggestion and dropped. A step whose file failed to load was
// already reported, so naming it is no second error.
void CheckSheetSteps(Site& site, Diagnostics& diags) {
  std::vector<std::string> ids;
  for (const Step& s : site.steps) ids.push_back(s.id);
  for (CaseStudy& c : site.cases) {
    std::vector<SheetDecisions>& decisions = c.sheet.decisions;
    for (const SheetDecisions& d : decisions)
      if (std::find(ids.begin(), ids.end(), d.step) == ids.end() &&
          !site.unloaded_steps.count(d.step))
        diags.Error(d.at, "'sheet.decisions' names step '" + d.step +
                              "', which the framework does not have" + DidYouMean(d.step, ids));
    decisions.erase(std::remove_if(decisions.begin(), decisions.end(),
                                   [&](const SheetDecisions& d) {
                                     return std::find(ids.begin(), ids.end(), d.step) == ids.end();
                                   }),
                    decisions.end());
  }
}

void Loader::LoadCases(Site& site) {
  std::vector<CaseStudy> cases;
  for (const std::string& name : ListFiles(PathOf("case-studies"), ".md")) {
    std::string rel = "case-studies/" + name, path = PathOf(rel);
    CaseStudy cs;
    cs.id = Stem(name);
    cs.path = rel;
    if (!CheckId(cs.id, path)) continue;
    if (cs.id == "framework" || cs.id == "metrics") {
      // Its cheat sheet would be sheets/<id>.html, which a guide-wide sheet is.
      diags.Error({path}, "'" + cs.id + "' names the " + cs.id +
                              " cheat sheet (sheets/" + cs.id + ".html); choose another id");
      continue;
    }
    cases.push_back(std::move(cs));
  }
  std::vector<char> ok = ReadEach(cases, [](Loader& l, CaseStudy& cs) {
    std::string path = l.PathOf(cs.path);
    PageFile file;
    if (!l.ReadPageFile(path, file)) return false;
    ReadCase(file.front, cs, l.diags);
    l.SetBody(cs.body, file.split.body, path, file.split.body_line);
    return true;
  });
  for (size_t i = 0; i < cases.size(); ++i) {
    if (ok[i]) site.cases.push_back(std::move(cases[i]));
    else site.unloaded_cases.insert(cases[i].id);
  }
  CheckSheetSteps(site, diags);
}

void Loader::LoadGlossary(Site& site) {
  std::string path = PathOf("glossary.yaml");
  if (!fs::exists(path)) return;  // a guide without a glossary is allowed
  auto text = ReadTextFile(path, diags);
  if (!text) {
    site.glossary_incomplete = true;
    return;
  }
  auto root = ParseList(*text, path);
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
    ReadTerm(item, t, diags);
    site.terms.push_back(std::move(t));
  }
}

}  // namespace

Site LoadContent(const std::string& content_dir, Diagnostics& diags, const LoadOptions& options) {
  Site site;
  if (!fs::is_directory(content_dir)) {
    diags.Error(FolderAt(content_dir), "content folder not found");
    return site;
  }
  // Only files under content/ are content: a linked folder would publish
  // whatever it points to.
  for (const char* sub : {"pages", "framework", "case-studies"}) {
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(content_dir + "/" + sub, ec))) {
      diags.Error(FolderAt(content_dir + "/" + sub),
                  "symbolic links are not followed; make it a folder");
      return site;
    }
  }
  Loader loader{content_dir, diags, options};
  loader.LoadSiteConfig(site);
  loader.LoadPages(site);
  loader.LoadSteps(site);
  loader.LoadCases(site);
  loader.LoadGlossary(site);
  if (options.yaml) options.yaml->EndBuild();
  return site;
}

}  // namespace casebook

namespace casebook {

void ReportStrayFiles(const std::string& content_dir, const std::set<std::string>& linked,
                      Diagnostics& diags) {
  std::error_code ec;
  std::vector<std::string> stray;
  // Each entry's path is the folder's, a '/', and the rest: the rest is
  // its relative path, read lexically (relative() would resolve a symbolic
  // link to where it points, and lexically_relative() is a tenth of a
  // large site's serial time).
  const std::string base = fs::path(content_dir).string();
  const size_t skip = base.size() + (!base.empty() && base.back() == '/' ? 0 : 1);
  for (auto it = fs::recursive_directory_iterator(content_dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string rel = it->path().string().substr(skip);
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
