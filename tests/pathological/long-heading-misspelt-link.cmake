# A 30,000-character heading and a link to a misspelt copy of its anchor:
# the "did you mean" search must not allocate a 30,000 x 30,000 matrix,
# and the message quotes only the first 80 bytes of the anchor.
string(REPEAT "ab" 15000 slug)
string(REPEAT "ab" 14999 rest)
pathological_write(pages/about.md "---\ntitle: About\n---\n## ${slug}\n\n[x](#ax${rest})\n")
set(EXPECT_RC 1)
set(EXPECT_REGEX "about.md:6:1: error: no section '#axabab[ab]*…' in about.html *casebook: 0 warnings, 1 error")
