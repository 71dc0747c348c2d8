// The whole check, as `casebook check` runs it, on a small valid guide of
// which the input replaces files: "@@@ pages/index.md" starts the new text
// of that file (content-relative; names that leave the folder are ignored).
// Text before the first marker replaces the case study.
#include "build.h"
#include "fuzz_util.h"

namespace {

bool SafeName(const std::string& name) {
  return !name.empty() && name.size() < 64 && name[0] != '/' && name.find("..") == std::string::npos &&
         name.find('\0') == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace casebook;
  std::filesystem::path dir = fuzz::FreshScratch();
  std::filesystem::path content = dir / "content";
  fuzz::Write(content / "site.yaml", "title: Fuzz\n");
  fuzz::Write(content / "pages/index.md", "---\ntitle: Fuzz\n---\nHello.\n");
  fuzz::Write(content / "framework/01-clarify.md",
              "---\ntitle: Clarify\nsummary: Ask.\nchecklist:\n  - id: goal\n    text: State it.\n---\nAsk.\n");
  fuzz::Write(content / "glossary.yaml",
              "- id: precision\n  term: Precision\n  category: C\n  definition: Share right.\n");
  auto parts = fuzz::Parts(fuzz::AsText(data, size));
  fuzz::Write(content / "case-studies/case.md", parts[0].second);
  for (size_t i = 1; i < parts.size(); ++i)
    if (SafeName(parts[i].first)) fuzz::Write(content / parts[i].first, parts[i].second);
  BuildOptions o;
  o.content_dir = content.string();
  o.templates_dir = CASEBOOK_SOURCE_DIR "/templates";
  o.write = false;
  o.jobs = 2;
  Build(o);
  return 0;
}
