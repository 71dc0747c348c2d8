# A 1,000-column table header over 10,000 one-cell rows: cmark-gfm pads
# every row to the header's width (10 million cells from 22 KB), so such a
# table is refused before parsing.
if(NOT DEFINED SCALE)
  set(SCALE 1)
endif()
math(EXPR n "10000 * ${SCALE}")
string(REPEAT " a |" 1000 header)
string(REPEAT "---|" 1000 delimiter)
string(REPEAT "x\n" ${n} rows)
pathological_write(pages/index.md "---\ntitle: Mini\n---\nIntro.\n\n|${header}\n|${delimiter}\n${rows}")
set(EXPECT_RC 1)
set(EXPECT_REGEX "index.md:6:1: error: table has 1000 columns; tables may have at most 100")
