// Reading one content file: size, UTF-8, BOM and line ends, then the split
// into front matter and body.
#include "fuzz_util.h"
#include "source_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace casebook;
  std::filesystem::path file = fuzz::FreshScratch() / "page.md";
  fuzz::Write(file, fuzz::AsText(data, size));
  Diagnostics diags;
  std::optional<std::string> text = ReadTextFile(file.string(), diags);
  if (text) SplitFrontMatter(*text, file.string(), diags);
  return 0;
}
