# A page saved with CR-only line ends (classic Mac OS) and one starting
# with two byte-order marks: each is named as the cause, not reported as
# "missing front matter".
string(ASCII 13 cr)
string(ASCII 239 187 191 bom)
pathological_write(pages/old-mac.md "---${cr}title: Old${cr}---${cr}Text.${cr}")
pathological_write(pages/two-boms.md "${bom}${bom}---\ntitle: Two\n---\nText.\n")
set(EXPECT_RC 1)
set(EXPECT_REGEX "old-mac.md:1:1: error: .*CR-only line ends.*two-boms.md:1:1: error: .*two byte-order marks")
