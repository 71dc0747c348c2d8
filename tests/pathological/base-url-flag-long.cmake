# A --base-url of 60,000 characters: a usage error (exit 2), like any other
# bad flag value, not a stack overflow.
string(REPEAT "a" 60000 long)
set(ARGS_EXTRA --base-url "https://x.org/${long}")
set(EXPECT_RC 2)
set(EXPECT_REGEX "error: --base-url is 60014 bytes long; an address may have at most 2048")
