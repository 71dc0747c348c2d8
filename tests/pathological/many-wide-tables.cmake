# 100 tables, each a 99-column header over 1,000 one-cell rows: each is just
# under the per-table cap, but cmark-gfm pads them all (9.9 million cells
# from 240 KB, 10 s and 2.7 GB), so the cap covers the whole page.
string(REPEAT " a |" 99 header)
string(REPEAT "---|" 99 delimiter)
string(REPEAT "x\n" 1000 rows)
pathological_write(pages/index.md "---\ntitle: Mini\n---\nIntro.\n\n")
foreach(i RANGE 1 100)
  pathological_append(pages/index.md "|${header}\n|${delimiter}\n${rows}\n")
endforeach()
set(EXPECT_RC 1)
# Tables start at lines 6, 1009, 2012: the third pushes the page over.
set(EXPECT_REGEX "index.md:2012:1: error: tables on this page would have 297594 cells once padded; at most 200000")
