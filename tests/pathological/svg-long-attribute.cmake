# An SVG of about 500 KB whose path data is one attribute value and whose
# style is one long run of url(#id) references: parsed as XML and checked
# in one pass each, it must pass within the limits like any fine diagram.
string(REPEAT "L1 1 " 80000 path)
string(REPEAT "fill:url(#g);" 8000 style)
pathological_write(media/big.svg
  "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n<defs><linearGradient id=\"g\"><stop offset=\"0\"/></linearGradient></defs>\n<path style=\"${style}\" d=\"M0 0 ${path}\"/>\n</svg>\n")
pathological_write(case-studies/search.md
  "---\ntitle: Search\nsummary: Find things.\ncategory: Search\nreferences:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n## Clarify\n\nText, and a [diagram](../media/big.svg).\n\n## Evaluate\n\nText.\n")
set(EXPECT_RC 0)
set(EXPECT_REGEX "checked [0-9]+ pages; 0 warnings, 0 errors")
