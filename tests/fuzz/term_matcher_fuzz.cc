// The glossary term matcher: the lines before "@@@ text" are names (one
// term each), the rest is prose to find them in.
#include "fuzz_util.h"
#include "term_matcher.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace casebook;
  auto parts = fuzz::Parts(fuzz::AsText(data, size));
  TermMatcher matcher;
  int term = 0;
  std::string_view names = parts[0].second;
  for (size_t pos = 0; pos < names.size() && term < 1000;) {
    size_t end = names.find('\n', pos);
    if (end == std::string_view::npos) end = names.size();
    if (end > pos) matcher.Add(names.substr(pos, end - pos), term++);
    pos = end + 1;
  }
  matcher.Finish();
  std::string text = parts.size() > 1 ? parts[1].second : parts[0].second;
  auto any = [](int) { return true; };
  for (size_t from = 0; from <= text.size();) {
    auto m = matcher.Find(text, from, any);
    if (!m) break;
    from = m->begin + (m->length ? m->length : 1);
  }
  return 0;
}
