# 10,000 terms whose names share their first word ("alpha beta 1", ...):
# the matcher must not re-sort that word's names on every insert.
if(NOT DEFINED SCALE)
  set(SCALE 1)
endif()
math(EXPR n "10000 * ${SCALE}")
pathological_write(glossary.yaml "- {id: precision,term: Precision,category: C,definition: Right.}
- {id: recall,term: Recall,category: C,definition: Found.}\n")
set(chunk "")
foreach(i RANGE 1 ${n})
  string(APPEND chunk "- {id: ab${i},term: alpha beta ${i},category: C,definition: D}\n")
  if(i MATCHES "00$" OR i EQUAL n)
    pathological_append(glossary.yaml "${chunk}")
    set(chunk "")
  endif()
endforeach()
pathological_write(pages/index.md "---\ntitle: Mini\n---\nSee alpha beta 7 and alpha beta 10, not alpha.\n")
set(EXPECT_RC 0)
set(EXPECT_REGEX "glossary term 'ab1' is not used outside the glossary")
