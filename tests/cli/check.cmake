cmake_minimum_required(VERSION 3.25)
# Runs EXE with ARGS in WORKDIR and checks its exit code (RC) and that its
# stdout+stderr match REGEX. @SCRATCH@ in ARGS becomes a fresh folder.
file(REMOVE_RECURSE ${SCRATCH})
file(MAKE_DIRECTORY ${SCRATCH})
string(REPLACE "@SCRATCH@" "${SCRATCH}" ARGS "${ARGS}")
execute_process(COMMAND ${EXE} ${ARGS} WORKING_DIRECTORY ${WORKDIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(all "${out}${err}")
string(REPLACE "\n" " " flat "${all}")
message("exit ${rc}\n${all}")
if(NOT rc EQUAL RC)
  message(FATAL_ERROR "expected exit ${RC}, got ${rc}")
endif()
if(NOT flat MATCHES "${REGEX}")
  message(FATAL_ERROR "output does not match: ${REGEX}")
endif()
