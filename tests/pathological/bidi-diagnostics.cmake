# A link whose target hides a RIGHT-TO-LEFT OVERRIDE and a BEL: the
# diagnostic quotes it escaped (\u202e, \x07), so the terminal line is
# neither reordered nor rung.
string(ASCII 226 128 174 rlo)
string(ASCII 7 bel)
pathological_write(pages/index.md
  "---\ntitle: Mini\n---\nSee [it](term:${rlo}precision${bel}).\n")
set(EXPECT_RC 1)
set(EXPECT_REGEX "index.md:4:5: error: unknown glossary term '\\\\u202eprecision\\\\x07'")
