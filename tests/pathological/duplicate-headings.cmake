# 30,000 identical headings on one page: each needs the next free id
# (a, a-2, a-3, ...), which must not be searched for from -2 every time.
if(NOT DEFINED SCALE)
  set(SCALE 1)
endif()
math(EXPR n "30000 * ${SCALE}")
string(REPEAT "### a\n" ${n} headings)
pathological_write(pages/index.md "---\ntitle: Mini\n---\n${headings}")
set(EXPECT_RC 0)
set(EXPECT_REGEX "casebook: ")
