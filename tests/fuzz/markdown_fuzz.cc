// Markdown and linking: the input is the body of the home page, of a step
// and of a case study of a small site built in memory, then parsed, given
// heading ids, indexed and linked (links to files resolve against a folder
// that does not exist, so they are reported, never read).
#include "fuzz_util.h"
#include "linker.h"
#include "markdown.h"
#include "page_map.h"
#include "site_index.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace casebook;
  static bool init = (InitMarkdown(), true);
  (void)init;
  std::string text(fuzz::AsText(data, size));
  Site site;
  site.config.title = "Fuzz";
  site.home.body.source = text;
  site.home.body.at = {"pages/index.md", 1, 1};
  Step step;
  step.id = "clarify";
  step.title = "Clarify";
  step.body.source = text;
  site.steps.push_back(std::move(step));
  CaseStudy cs;
  cs.id = "case";
  cs.title = "Case";
  cs.body.source = text;
  cs.checklists.resize(1);
  site.cases.push_back(std::move(cs));
  Term term;
  term.id = "precision";
  term.term = "Precision";
  term.definition.source = "Share of predicted positives that are right.";
  site.terms.push_back(std::move(term));

  PageMap map = BuildPageMap(site);
  Diagnostics diags;
  ParseMarkdown(site.terms[0].definition, diags);  // LinkSite parses the rest
  SiteIndex index = BuildIndex(site, map, diags);
  auto no_conversions = [](std::vector<CodeBlocks>&, std::map<std::string, std::string>&,
                           std::map<std::string, Diagram>&) {};
  LinkSite(site, map, index, no_conversions, "/nonexistent-casebook-fuzz", 1, diags);
  for (const Page& p : map.pages)
    for (const FragmentSlot& s : p.fragments) (void)s.fragment->Html();
  return 0;
}
