// The SVG check: any bytes as an SVG image a page links to.
#include "fuzz_util.h"
#include "svg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  casebook::SvgProblem(casebook::fuzz::AsText(data, size));
  return 0;
}
