# A base_url of 300,000 characters in site.yaml: refused by its length with
# a clean error, not matched by a recursive regex that overflows the stack.
string(REPEAT "a" 300000 long)
pathological_write(site.yaml "title: Mini\nbase_url: https://x.org/${long}\n")
set(EXPECT_RC 1)
set(EXPECT_REGEX "site.yaml:2:11: error: base_url is 300014 bytes long; an address may have at most 2048")
