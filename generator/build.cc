#include "build.h"

#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <set>
#include <new>

#include "content_loader.h"
#include "diagram.h"
#include "disk_cache.h"
#include "front_matter.h"
#include "linker.h"
#include "markdown.h"
#include "math.h"
#include "media.h"
#include "page_data.h"
#include "page_map.h"
#include "parallel.h"
#include "render.h"
#include "search_index.h"
#include "site_index.h"
#include "source_file.h"
#include "templates.h"
#include "writer.h"

namespace casebook {

namespace {

// A fresh, unparsed copy of a fragment's text and position.
Fragment CopySource(const Fragment& f) {
  Fragment copy;
  copy.source = f.source;
  copy.at = f.at;
  copy.block = f.block;
  copy.indent = f.indent;
  copy.is_inline = f.is_inline;
  copy.exact = f.exact;
  return copy;
}

// A checklist item in short form, for a page that shows only its `short`
// (its text when it has none). The text is copied for its source alone,
// which the tick's key hashes (ChecklistKey).
ChecklistItem ShortCopy(const ChecklistItem& item) {
  ChecklistItem copy;
  copy.id = item.id;
  copy.at = item.at;
  copy.text = CopySource(item.text);
  copy.brief = CopySource(item.brief.empty() ? item.text : item.brief);
  return copy;
}

// Each case study shows every step's checklist in short form: each item's
// `short` (its text when it has none), without its "why", which the step
// page has. It gets its own copies so that their links and tooltips are
// rendered for its page; it never shows the text, so no page parses or
// links that copy.
void CopyChecklists(Site& site) {
  for (CaseStudy& c : site.cases) {
    c.checklists.clear();
    for (const Step& s : site.steps) {
      std::vector<ChecklistItem> items;
      for (const ChecklistItem& item : s.checklist) items.push_back(ShortCopy(item));
      c.checklists.push_back(std::move(items));
    }
  }
}

// The practice page lists every question of the guide and the Anki deck
// holds them all, so each gets copies, as does the mock interview of every
// step's checklist (in short form, like a case page's).
void CopyPractice(Site& site) {
  auto copy = [](const std::vector<Question>& questions) {
    std::vector<Question> out;
    for (const Question& q : questions) out.push_back({CopySource(q.question), CopySource(q.answer)});
    return out;
  };
  for (QuestionCopies* to : {&site.practice, &site.deck}) {
    to->steps.clear();
    to->cases.clear();
    for (const Step& s : site.steps) to->steps.push_back(copy(s.questions));
    for (const CaseStudy& c : site.cases) to->cases.push_back(copy(c.questions));
  }
  site.mock_checklists.clear();
  for (const Step& s : site.steps) {
    std::vector<ChecklistItem> items;
    for (const ChecklistItem& item : s.checklist) items.push_back(ShortCopy(item));
    site.mock_checklists.push_back(std::move(items));
  }
}

// The cheat sheets show text that other pages show too, so they get copies
// of it: a checklist item without `short` is shown by its text, and a case
// sheet shows the first failure modes.
void PrepareSheets(Site& site) {
  for (Step& s : site.steps)
    for (ChecklistItem& item : s.checklist)
      if (item.brief.empty()) item.brief = CopySource(item.text);
  for (CaseStudy& c : site.cases) {
    c.sheet_failures.clear();
    for (size_t i = 0; i < c.failure_modes.size() && i < kSheetFailureModes; ++i) {
      FailureMode copy;
      copy.failure = CopySource(c.failure_modes[i].failure);
      copy.mitigation = CopySource(c.failure_modes[i].mitigation);
      c.sheet_failures.push_back(std::move(copy));
    }
  }
}

// The first sentence of a definition, as plain text, for tooltips.
std::string FirstSentence(const std::string& text) {
  for (size_t i = 0; i + 1 < text.size(); ++i)
    if ((text[i] == '.' || text[i] == '?' || text[i] == '!') && text[i + 1] == ' ')
      return text.substr(0, i + 1);
  return text;
}

// Every formula of the site (the terms' and the ```math blocks'), converted
// once per distinct TeX.
std::map<std::string, std::string> RenderFormulas(Site& site, const std::vector<CodeBlocks>& blocks,
                                                  Diagnostics& diags, MathCache* cache) {
  std::vector<Formula> formulas;
  for (const Term& t : site.terms)
    if (!t.formula.empty()) formulas.push_back({t.formula, t.formula_at});
  for (const CodeBlocks& b : blocks)
    for (const auto& [tex, at] : b.math) formulas.push_back({tex, at});
  std::map<std::string, std::string> math = ConvertMath(formulas, diags, cache);
  // The cache keeps this build's formulas only, so it stays one guide's size.
  if (cache)
    std::erase_if(*cache, [&](const auto& entry) { return !math.count(entry.first); });
  for (Term& t : site.terms) {
    auto it = math.find(t.formula);
    if (it != math.end()) t.mathml = it->second;
  }
  return math;
}

// Every ```dot block of the site, laid out once per distinct graph.
std::map<std::string, Diagram> RenderDiagrams(std::vector<CodeBlocks>& blocks, int jobs,
                                              Diagnostics& diags, DiagramCache* cache) {
  std::vector<DiagramSource> sources;
  for (CodeBlocks& b : blocks)
    for (DiagramSource& s : b.diagrams) sources.push_back(std::move(s));
  std::map<std::string, Diagram> diagrams = ConvertDiagrams(sources, jobs, diags, {}, cache);
  if (cache)
    std::erase_if(*cache, [&](const auto& entry) { return !diagrams.count(entry.first); });
  return diagrams;
}

}  // namespace

std::unique_ptr<LinkedSite> LinkContent(const std::string& content_dir,
                                        const std::string& base_url, int jobs,
                                        Diagnostics& diags, BuildCache* cache) {
  InitMarkdown();
  auto linked = std::make_unique<LinkedSite>();
  Site& site = linked->site;
  LoadOptions load;
  load.yaml = cache && (cache->whole || cache->keep_yaml) ? &cache->yaml : nullptr;
  load.jobs = jobs;
  site = LoadContent(content_dir, diags, load);
  CopyChecklists(site);
  CopyPractice(site);
  PrepareSheets(site);
  if (!base_url.empty()) site.config.base_url = base_url.back() == '/' ? base_url : base_url + "/";
  // The map points into site: from here on no page is added or removed.
  linked->map = BuildPageMap(site);
  const PageMap& map = linked->map;
  // Every page shows tooltips: the definitions are parsed first. The rest
  // is parsed page by page as it is linked.
  ParseQueue parse;
  std::vector<Diagnostics> parsed(site.terms.size());
  ParallelFor(site.terms.size(), jobs,
              [&](size_t i) { parse.Add(site.terms[i].definition, parsed[i]); });
  parse.Finish();
  for (const Diagnostics& d : parsed) diags.Append(d);
  for (Term& t : site.terms) t.tooltip = FirstSentence(PlainText(t.definition));

  SiteIndex index = BuildIndex(site, map, diags);
  // The glossary's formulas are known now: they are converted while the
  // pages are parsed and linked, instead of while every worker waits for
  // blahtexml at the batch; the pages' formulas, once known, while the
  // glossary's may still be converting. Each early batch converts what the
  // cache lacks into a map of its own (nothing else touches it), merged
  // into the cache at the batch, which then converts all formulas through
  // it, as one batch did: what converted is taken from it, and whatever
  // failed is tried again and reported there, at every place.
  MathCache build_math;  // when the build keeps no cache of its own
  MathCache* math_cache = cache ? &cache->math : &build_math;
  // Only what the cache does not hold already goes to an early batch.
  auto missing = [math_cache](const std::string& tex) { return !math_cache->count(tex); };
  std::vector<Formula> glossary_formulas;
  std::set<std::string> glossary_tex;
  for (const Term& t : site.terms)
    if (!t.formula.empty()) {
      if (missing(t.formula)) glossary_formulas.push_back({t.formula, t.formula_at});
      glossary_tex.insert(t.formula);
    }
  MathCache glossary_converted;
  std::future<void> glossary_math;  // after what it uses: destroyed (joined) first
  if (!glossary_formulas.empty())
    glossary_math = std::async(std::launch::async, [&glossary_formulas, &glossary_converted] {
      Diagnostics reported_again_at_the_batch;
      ConvertMath(glossary_formulas, reported_again_at_the_batch, &glossary_converted);
    });
  // Graphviz lays the graphs out while blahtexml converts the formulas (on
  // a thread of their own, unless the build is to use one): both are other
  // programs, and each batch mostly waits for them. The two read different
  // members of the blocks; the formulas' diagnostics come first, as before.
  auto convert = [&](std::vector<CodeBlocks>& blocks, std::map<std::string, std::string>& math,
                     std::map<std::string, Diagram>& diagrams) {
    Diagnostics diagram_diags;
    std::future<std::map<std::string, Diagram>> laying_out =
        std::async(jobs > 1 ? std::launch::async : std::launch::deferred, [&] {
          return RenderDiagrams(blocks, jobs, diagram_diags, cache ? &cache->diagrams : nullptr);
        });
    std::vector<Formula> page_formulas;
    for (const CodeBlocks& b : blocks)
      for (const auto& [tex, at] : b.math)
        if (!glossary_tex.count(tex) && missing(tex)) page_formulas.push_back({tex, at});
    MathCache page_converted;
    Diagnostics reported_again_at_the_batch;
    ConvertMath(page_formulas, reported_again_at_the_batch, &page_converted);
    if (glossary_math.valid()) glossary_math.get();
    for (const MathCache* early : {&glossary_converted, &page_converted})
      math_cache->insert(early->begin(), early->end());
    math = RenderFormulas(site, blocks, diags, math_cache);
    diagrams = laying_out.get();
    diags.Append(diagram_diags);
  };
  LinkSite(site, map, index, convert, content_dir, jobs, diags,
           cache && cache->whole ? &cache->link : nullptr);
  CheckReferences(site, index, diags);
  ReportStrayFiles(content_dir, site.linked_files, diags);
  return linked;
}

namespace {

// The search library's bytes, or nullopt after reporting why not: a
// missing library is the machine's problem, and says how to fix it. A
// template asset may not take the name of a file search writes.
std::optional<std::string> ReadSearchLibrary(const std::string& path, const Templates& templates,
                                             Diagnostics& diags) {
  for (const std::string& url : {SearchIndexUrl(), SearchLibraryUrl()}) {
    std::string name = url.substr(url.find('/') + 1);
    if (templates.assets.count(name))
      diags.Error({}, "templates: assets/" + name + " is written by the search box; rename it");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    diags.Error({path}, "cannot read the search library: install Debian's libjs-lunr, pass "
                        "--search-library PATH, or build with --no-search");
    return std::nullopt;
  }
  return ReadBinaryFile(path, diags);
}

// Every phase from the templates to the files, reporting to `result`.
// With a `writer`, each file goes to it as it is rendered (then committed by
// the caller); otherwise they are returned in `files`, which stays empty
// after errors.
void RenderPhases(const BuildOptions& o, BuildCache* cache, BuildResult& result,
                  std::vector<OutputFile>& files, SiteWriter* writer) {
  Diagnostics& diags = result.diags;
  std::string url_problem = o.base_url.empty() ? "" : BaseUrlProblem(o.base_url);
  if (!url_problem.empty()) {
    diags.Error({}, "--base-url " + url_problem);
    result.usage_error = true;
  }
  // Templates load while the content does (on a thread of their own, unless
  // the build is to use one): their errors are independent of content, and
  // reporting both in one run saves the author a round trip. Their
  // diagnostics come first, as if they had loaded first. The two touch
  // different parts of the cache. The content's checks see only its own
  // errors (a template's does not hide an unused term's warning).
  Diagnostics template_diags;
  std::future<std::shared_ptr<const Templates>> loading = std::async(
      o.jobs > 1 ? std::launch::async : std::launch::deferred, [&o, cache, &template_diags] {
        return LoadTemplates(o.templates_dir, RenderShapes(), template_diags,
                             cache && cache->whole ? &cache->templates : nullptr);
      });
  Diagnostics content_diags;
  std::unique_ptr<LinkedSite> linked =
      LinkContent(o.content_dir, o.base_url, o.jobs, content_diags, cache);
  std::shared_ptr<const Templates> loaded = loading.get();
  const Templates& templates = *loaded;
  diags.Append(template_diags);
  diags.Append(content_diags);
  std::optional<std::string> search_library;
  if (o.search) {
    search_library = ReadSearchLibrary(o.search_library, templates, diags);
    if (!search_library) result.usage_error = true;
  }
  // Media are read before anything is rendered: a file that cannot be read
  // fails the build before a page is written.
  std::vector<OutputFile> media;
  if (!diags.has_errors()) media = ReadMediaFiles(o.content_dir, linked->site.media, diags);

  if (o.strict) diags.PromoteWarnings();
  diags.Sort();
  if (diags.has_errors()) return;
  if (writer && !writer->Open(diags)) {
    result.usage_error = true;
    return;
  }

  const Site& site = linked->site;
  // Counts and (without a writer) keeps each file.
  auto keep = [&](std::vector<OutputFile>&& more) {
    for (OutputFile& f : more) {
      if (f.path.size() > 5 && f.path.compare(f.path.size() - 5, 5, ".html") == 0) ++result.pages;
      ++result.files;
      if (!writer) files.push_back(std::move(f));
    }
  };
  std::vector<OutputFile> rendered =
      RenderSite(site, linked->map, templates, search_library ? &*search_library : nullptr,
                 o.jobs, cache && cache->whole ? &cache->pages : nullptr, &result.rendered,
                 writer);
  keep(std::move(rendered));
  for (const OutputFile& m : media)
    if (writer) writer->Add(m.path, m.content);
  keep(std::move(media));
}

// Build() without its last line of defence against exceptions.
void RunPhases(const BuildOptions& o, BuildResult& result, BuildCache* cache) {
  Diagnostics& diags = result.diags;
  if (o.write &&
      !CheckOutputFolder(o.out_dir, {o.content_dir, o.templates_dir}, diags)) {
    result.usage_error = true;
    return;
  }
  std::vector<OutputFile> files;
  if (!o.write) {
    RenderPhases(o, cache, result, files, nullptr);
    return;
  }
  SiteWriter writer(o.out_dir, {o.content_dir, o.templates_dir}, o.jobs);
  RenderPhases(o, cache, result, files, &writer);
  if (diags.has_errors()) return;
  if (!writer.Commit(diags)) result.usage_error = true;
  diags.Sort();
}

// A bug or an exhausted machine, not the author's content: exit 2. What
// was reported before it is kept.
void ReportInternalError(BuildResult& result, const std::string& what) {
  result.diags.Error({}, "internal error: " + what);
  result.diags.Sort();
  result.usage_error = true;
}

// Runs `phases`; exceptions from any phase, including its worker threads
// (ParallelFor rethrows them here), end as one diagnostic instead of
// std::terminate.
template <typename Phases>
void Guarded(BuildResult& result, Phases phases) {
  try {
    phases();
  } catch (const std::bad_alloc&) {
    ReportInternalError(result, "out of memory");
  } catch (const std::exception& e) {
    ReportInternalError(result, e.what());
  } catch (...) {
    ReportInternalError(result, "unknown exception");
  }
}

}  // namespace

BuildResult Build(const BuildOptions& o) {
  BuildResult result;
  BuildCache cache;
  cache.whole = false;
  std::string cache_path = o.disk_cache ? DiskCachePath(o.content_dir) : "";
  cache.keep_yaml = !cache_path.empty();
  Guarded(result, [&] {
    LoadDiskCache(cache_path, cache.math, cache.diagrams, &cache.yaml);
    RunPhases(o, result, &cache);
    if (!result.diags.has_errors())
      SaveDiskCache(cache_path, cache.math, cache.diagrams, &cache.yaml);
  });
  return result;
}

BuildResult BuildFiles(const BuildOptions& o, BuildCache* cache, std::vector<OutputFile>& files) {
  BuildResult result;
  files.clear();
  Guarded(result, [&] {
    RenderPhases(o, cache, result, files, nullptr);
    result.diags.Sort();
  });
  // A cache half updated by a failed phase must not feed the next build.
  if (result.usage_error && cache) *cache = BuildCache();
  if (result.diags.has_errors()) files.clear();
  return result;
}

}  // namespace casebook
