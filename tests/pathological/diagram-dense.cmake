# A complete directed graph of 40 nodes (1,560 edges, 20 KB of DOT) keeps
# Graphviz busy for minutes; with it, two copies of a small graph, each in
# a page of its own. The build stops the dense one at the default 10 s
# limit with an error at its block, lays the small one out once, and
# returns well within CTest's timeout: a hostile graph never hangs a build.
set(dense "")
foreach(i RANGE 0 39)
  foreach(j RANGE 0 39)
    if(NOT i EQUAL j)
      string(APPEND dense " n${i} -> n${j}\n")
    endif()
  endforeach()
endforeach()
pathological_write(pages/index.md
  "---\ntitle: Mini\n---\nHello.\n\n```dot Dense\ndigraph {\n${dense}}\n```\n\n```dot Small\ndigraph { a -> b }\n```\n")
pathological_write(pages/about.md
  "---\ntitle: About\n---\n```dot Small\ndigraph { a -> b }\n```\n")
set(EXPECT_RC 1)
set(EXPECT_REGEX "index.md:6:1: error: diagram took longer than 10 s to lay out; simplify the graph.*0 warnings, 1 error")
