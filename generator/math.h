// TeX formulas to MathML at build time, so that readers need no JavaScript.
// Runs Debian's blahtexml once per build over every distinct formula.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "diagnostics.h"

namespace casebook {

struct Formula {
  std::string tex;
  SourceLocation at;
};

// The MathML of every formula that converted, by its TeX, kept between
// builds of one process (`casebook serve`) so that a rebuild runs
// blahtexml only for formulas it has not seen. Only successes are kept: a
// formula that converted has nothing to report, so skipping it loses no
// diagnostic. Not thread-safe; one build at a time.
using MathCache = std::map<std::string, std::string>;

// Converts each distinct formula to display-style MathML. A formula that
// blahtexml rejects is reported at its location and left out of the map.
// With a `cache`, formulas found in it are not converted again, and new
// successes are added to it.
std::map<std::string, std::string> ConvertMath(const std::vector<Formula>& formulas,
                                               Diagnostics& diags, MathCache* cache = nullptr);

// The blahtexml ConvertMath runs ($CASEBOOK_BLAHTEXML, else found on
// PATH), "" when there is none.
std::string MathProgram();

// Exposed for tests: the XML batch blahtexml reads, and how its answer is
// read back (in the same order).
std::string MathBatchInput(const std::vector<std::string>& tex);
struct MathResult {
  bool ok = false;
  std::string text;  // MathML, or the error message
};
std::vector<MathResult> ParseMathBatchOutput(const std::string& xml);

}  // namespace casebook
