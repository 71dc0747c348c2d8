# Three headings that look alike: "Intro", "Intro" + ZERO WIDTH JOINER and
# RIGHT-TO-LEFT OVERRIDE + "Intro". Their ids drop the invisible characters,
# so they are intro, intro-2 and intro-3, and a link to #intro-3 resolves.
# Built from code points here so that this file itself holds no invisible
# characters.
string(ASCII 226 128 141 zwj)
string(ASCII 226 128 174 rlo)
pathological_write(pages/index.md
  "---\ntitle: Mini\n---\n## Intro\n\nA.\n\n## Intro${zwj}\n\nB.\n\n## ${rlo}Intro\n\nSee [the last](#intro-3).\n")
set(EXPECT_RC 0)
set(EXPECT_REGEX "casebook: checked")
