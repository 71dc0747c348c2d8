# A quoted YAML value whose second line has 200,000 characters: the
# closing-quote check must not recurse once per character.
string(REPEAT "x" 200000 long)
pathological_write(pages/about.md "---\ntitle: \"A title\n${long}\"\n---\nText.\n")
set(EXPECT_RC 0)
set(EXPECT_REGEX "casebook: checked [0-9]+ pages; 0 warnings, 0 errors")
