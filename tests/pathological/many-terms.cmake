# 18,500 glossary terms: checking their references must not copy every
# term id once per term. Unused terms only warn.
if(NOT DEFINED SCALE)
  set(SCALE 1)
endif()
math(EXPR n "18500 * ${SCALE}")
# Written tersely, to fit the 1 MiB file cap.
pathological_write(glossary.yaml "- {id: precision,term: Precision,category: C,definition: Right.}
- {id: recall,term: Recall,category: C,definition: Found.}\n")
set(chunk "")
foreach(i RANGE 1 ${n})
  string(APPEND chunk "- {id: t${i},term: t${i},category: C,definition: D}\n")
  if(i MATCHES "00$" OR i EQUAL n)
    pathological_append(glossary.yaml "${chunk}")
    set(chunk "")
  endif()
endforeach()
set(EXPECT_RC 0)
set(EXPECT_REGEX "glossary term 't1' is not used outside the glossary")
