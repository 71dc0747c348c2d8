# A complete directed graph of 60 nodes (3,540 edges, 46 KB of DOT) keeps
# Graphviz busy for minutes; beside it, a small graph on two pages. The
# build stops the dense one at the default 10 s limit with one error at
# its block, says nothing about the small one, and returns well within
# CTest's timeout: a hostile graph never hangs a build.
set(dense "")
foreach(i RANGE 0 59)
  foreach(j RANGE 0 59)
    if(NOT i EQUAL j)
      string(APPEND dense " n${i} -> n${j}\n")
    endif()
  endforeach()
endforeach()
set(small "```dot Small\ndigraph { a -> b }\n```\n")
pathological_write(pages/index.md
  "---\ntitle: Mini\n---\nHello.\n\n```dot Dense\ndigraph {\n${dense}}\n```\n\n${small}")
pathological_write(pages/about.md
  "---\ntitle: About\n---\n${small}")
set(EXPECT_RC 1)
set(EXPECT_REGEX
  "index.md:6:1: error: diagram took longer than 10 s to lay out; simplify the graph.*0 warnings, 1 error")
