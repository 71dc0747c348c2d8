# 60,000 keys in one YAML map: the duplicate-key check must not compare
# each key with every earlier one. The map sits under one unknown field,
# so that is the only error.
if(NOT DEFINED SCALE)
  set(SCALE 1)
endif()
math(EXPR n "60000 * ${SCALE}")
pathological_write(site.yaml "title: Mini\nextra:\n")
set(chunk "")
foreach(i RANGE 1 ${n})
  string(APPEND chunk "  k${i}: v\n")
  if(i MATCHES "00$" OR i EQUAL n)
    pathological_append(site.yaml "${chunk}")
    set(chunk "")
  endif()
endforeach()
set(EXPECT_RC 1)
set(EXPECT_REGEX "site.yaml:2:1: error: unknown field 'extra'.*1 error")
