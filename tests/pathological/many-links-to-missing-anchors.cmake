# 30,000 headings and 100,000 links to a missing anchor on one page (950 KB):
# every broken link copied all 30,000 anchor names before the suggestion
# gave up (over its 2,000-candidate cap); 25,000 x 25,000 took 13 s, this
# over a minute.
pathological_write(pages/about.md "---\ntitle: About\n---\n")
string(REPEAT "## h\n" 1000 headings)
string(REPEAT "[x](#zz)" 1000 links)
foreach(i RANGE 1 30)
  pathological_append(pages/about.md "${headings}")
endforeach()
pathological_append(pages/about.md "\n")
foreach(i RANGE 1 100)
  pathological_append(pages/about.md "${links}")
endforeach()
pathological_append(pages/about.md "\n")
set(EXPECT_RC 1)
set(EXPECT_REGEX "error: no section '#zz' in about.html .*casebook: 0 warnings, 100000 errors")
