cmake_minimum_required(VERSION 3.25)
# One pathological input: writes a small valid content folder into SCRATCH,
# lets the case file CASE (tests/pathological/<name>.cmake) make one part of
# it hostile, then runs `casebook check` on it under a memory limit and
# checks the exit code and the diagnostics. CTest's TIMEOUT bounds the time,
# so a hang fails too; speed itself is measured by bench/, not here.
#
# A case file may call pathological_write(rel text) and
# pathological_append(rel text), and must set
#   EXPECT_RC     the exit code (1 for content errors, 0 for a clean run)
#   EXPECT_REGEX  a regex the output must match (a clean diagnostic)
# and may set ARGS_EXTRA (more arguments to casebook) and MEMORY_MB (default 1024).
file(REMOVE_RECURSE ${SCRATCH})
set(content ${SCRATCH}/content)

function(pathological_write rel text)
  file(WRITE ${content}/${rel} "${text}")
endfunction()

# Appends to a file; for generated lists, append in chunks: each string(APPEND)
# copies the whole variable, so one big string grows in O(n^2).
function(pathological_append rel text)
  file(APPEND ${content}/${rel} "${text}")
endfunction()

pathological_write(site.yaml "title: Mini\n")
pathological_write(pages/index.md "---\ntitle: Mini\n---\nHello.\n")
pathological_write(framework/01-clarify.md
  "---\ntitle: Clarify\nsummary: Ask.\nchecklist:\n  - id: goal\n    text: State the goal.\n---\nAsk about recall.\n")
pathological_write(framework/02-evaluate.md
  "---\ntitle: Evaluate\nsummary: Measure.\nchecklist:\n  - id: metric\n    text: Pick a metric.\n---\nUse precision.\n")
pathological_write(case-studies/search.md
  "---\ntitle: Search\nsummary: Find things.\ncategory: Search\nreferences:\n  - title: A paper\n    venue: SIGIR\n    year: 2010\n---\n## Clarify\n\nText.\n\n## Evaluate\n\nText.\n")
pathological_write(glossary.yaml
  "- id: precision\n  term: Precision\n  category: Classification\n  definition: Share of predicted positives that are right.\n- id: recall\n  term: Recall\n  category: Classification\n  definition: Share of positives that are found.\n")

set(MEMORY_MB 1024)
set(ARGS_EXTRA "")
include(${CASE})

math(EXPR bytes "${MEMORY_MB} * 1024 * 1024")
# AddressSanitizer reserves terabytes of address space for its shadow, so a
# sanitized build runs without the limit (ASan reports what goes wrong).
set(limit prlimit --as=${bytes})
if(SANITIZED)
  set(limit "")
endif()
# --no-cache: a drawing kept from an earlier run would hide what the case tests.
execute_process(
  COMMAND ${limit} ${EXE} check --no-cache --content ${content} --templates ${TEMPLATES} ${ARGS_EXTRA}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
string(LENGTH "${all}" n)
if(n GREATER 4000)
  string(SUBSTRING "${all}" 0 4000 shown)
  set(shown "${shown}\n... (${n} bytes in all)")
else()
  set(shown "${all}")
endif()
message("exit ${rc}\n${shown}")
if(NOT rc EQUAL EXPECT_RC)
  message(FATAL_ERROR "expected exit ${EXPECT_RC}, got ${rc}")
endif()
string(REPLACE "\n" " " flat "${all}")
if(NOT flat MATCHES "${EXPECT_REGEX}")
  message(FATAL_ERROR "output does not match: ${EXPECT_REGEX}")
endif()
