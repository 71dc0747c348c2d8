# 3,000 headings and 3,000 links to missing anchors on one page: 3,000
# errors, without 9 million edit distances for their suggestions.
set(text "---\ntitle: About\n---\n")
foreach(i RANGE 1 3000)
  string(APPEND text "## Heading ${i}\n\n")
endforeach()
foreach(i RANGE 1 3000)
  string(APPEND text "[x](#missing-${i})\n\n")
endforeach()
pathological_write(pages/about.md "${text}")
set(EXPECT_RC 1)
set(EXPECT_REGEX "error: no section '#missing-1' in .*casebook: 0 warnings, 3000 errors")
