// Runs a helper program (Graphviz's dot) on untrusted input without
// letting it hang, flood or exhaust the build: the input goes in on stdin,
// stdout and stderr come back through pipes (read together with poll, so
// neither can fill up and block the child), and the child is killed after
// a time limit or once its output passes a size cap. It runs with only the
// environment it is given, an address-space limit (RLIMIT_AS), a CPU
// limit a second past the time limit (RLIMIT_CPU), no core dumps and no
// file writes (RLIMIT_CORE, RLIMIT_FSIZE = 0; a write fails with EFBIG
// rather than raising SIGXFSZ, which is ignored), no gain of privileges
// (PR_SET_NO_NEW_PRIVS), in `work_dir`, and it is killed when the thread
// that started it ends (PR_SET_PDEATHSIG), so a killed casebook leaves
// no child behind. It works when casebook runs with fd 0, 1 or 2 closed.
//
// Safe to call from several threads at once: each call has its own pipes
// (all close-on-exec, so no child inherits another call's), and the child
// is always reaped before the call returns, so no zombie is left behind.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace casebook {

struct ChildSpec {
  std::string program;            // an absolute path; PATH is not searched
  std::vector<std::string> args;  // without argv[0]
  std::vector<std::string> env;   // "NAME=value", the child's whole environment
  std::string input;              // written to the child's stdin, then closed
  int timeout_ms = 10000;
  size_t max_output = 8u << 20;    // stdout bytes before the child is killed
  size_t max_errors = 64u << 10;   // stderr bytes kept (the rest is read and dropped)
  size_t memory_limit = 1u << 30;  // RLIMIT_AS of the child, in bytes
  std::string work_dir;            // its working directory ("" keeps ours)
};

struct ChildResult {
  enum class Status {
    kExited,       // exit_code is valid
    kSignaled,     // killed by a signal it got on its own (e.g. out of memory)
    kTimedOut,     // killed by us after timeout_ms
    kTooLarge,     // killed by us once stdout passed max_output
    kCannotStart,  // fork or pipe failed, or the program could not be executed
  };
  Status status = Status::kCannotStart;
  int exit_code = -1;
  int signal = 0;
  std::string out, err;
};

ChildResult RunChild(const ChildSpec& spec);

}  // namespace casebook
