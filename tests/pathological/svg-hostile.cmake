# The SVG bypasses of the audit, each linked from the case study: a script
# under a prefixed SVG namespace, one in the XHTML namespace, a remote
# stylesheet import and an entity-encoded javascript: link. Every one is
# refused, all in one run.
set(svg_ns "xmlns=\"http://www.w3.org/2000/svg\"")
pathological_write(media/a.svg "<svg ${svg_ns} xmlns:s=\"http://www.w3.org/2000/svg\"><s:script>alert(1)</s:script></svg>\n")
pathological_write(media/b.svg "<svg ${svg_ns} xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:script>alert(1)</h:script></svg>\n")
pathological_write(media/c.svg "<svg ${svg_ns}><style>@import url(http://example.com/x.css);</style></svg>\n")
pathological_write(media/d.svg "<svg ${svg_ns} xmlns:xl=\"http://www.w3.org/1999/xlink\"><a xl:href=\"&#106;avascript:alert(1)\"><text>x</text></a></svg>\n")
pathological_write(case-studies/search.md
  "---\ntitle: Search\nsummary: Find things.\ncategory: Search\nreferences:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n## Clarify\n\n[a](../media/a.svg) [b](../media/b.svg) [c](../media/c.svg) [d](../media/d.svg)\n\n## Evaluate\n\nText.\n")
set(EXPECT_RC 1)
set(EXPECT_REGEX "'media/a.svg'.*s:script.*'media/b.svg'.*h:script.*'media/c.svg'.*@import.*'media/d.svg'.*javascript.*4 errors")
