#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <thread>

namespace casebook {

namespace {

using Clock = std::chrono::steady_clock;

// Both ends close-on-exec: a child started by another thread at the same
// moment must not inherit them (it would keep our pipe open).
struct Pipe {
  int fd[2] = {-1, -1};
  bool Open() { return pipe2(fd, O_CLOEXEC) == 0; }
  ~Pipe() { CloseBoth(); }
  void Close(int i) {
    if (fd[i] >= 0) close(fd[i]);
    fd[i] = -1;
  }
  void CloseBoth() {
    Close(0);
    Close(1);
  }
};

// Runs in the forked child of a threaded process: only async-signal-safe
// calls from here to execve.
[[noreturn]] void ChildMain(const ChildSpec& spec, char* const* argv, char* const* envp,
                            Pipe& in, Pipe& out, Pipe& err, Pipe& status,
                            const sigset_t& old_mask, pid_t parent) {
  // Killed when the parent goes; if it went before this took effect, stop.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
  // If casebook runs with 0, 1 or 2 closed, a pipe may sit there: moved
  // above 2 first, so no dup2 below overwrites another, and none is a
  // no-op dup2 onto itself (which would keep close-on-exec set).
  int keep = status.fd[1];
  int fds[4] = {in.fd[0], out.fd[1], err.fd[1], keep};
  for (int& fd : fds)
    if (fd <= 2 && (fd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) _exit(127);
  keep = fds[3];
  if (dup2(fds[0], 0) < 0 || dup2(fds[1], 1) < 0 || dup2(fds[2], 2) < 0) _exit(127);
  // Nothing else of casebook's (files other threads have open) reaches it;
  // the status pipe closes itself on exec.
  if (keep > 3) close_range(3, static_cast<unsigned>(keep - 1), 0);
  close_range(static_cast<unsigned>(keep + 1), ~0u, 0);
  auto limit = [](int resource, rlim_t value) {
    rlimit l{value, value};
    return setrlimit(resource, &l) == 0;
  };
  rlim_t cpu_seconds = static_cast<rlim_t>((spec.timeout_ms + 999) / 1000 + 1);
  if (!limit(RLIMIT_AS, static_cast<rlim_t>(spec.memory_limit)) ||
      !limit(RLIMIT_CPU, cpu_seconds) || !limit(RLIMIT_CORE, 0) || !limit(RLIMIT_FSIZE, 0))
    _exit(127);
  // A write past RLIMIT_FSIZE then fails with EFBIG instead of killing the
  // child: dot's fontconfig tries to refresh a stale font cache, and must
  // go on without it rather than die (SIG_IGN survives execve).
  if (signal(SIGXFSZ, SIG_IGN) == SIG_ERR) _exit(127);
  if (!spec.work_dir.empty() && chdir(spec.work_dir.c_str()) != 0) _exit(127);
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(127);
  sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  execve(spec.program.c_str(), argv, envp);
  int e = errno;
  ssize_t ignored = write(keep, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

std::vector<char*> CStrings(const std::string* first, const std::vector<std::string>& rest) {
  std::vector<char*> out;
  if (first) out.push_back(const_cast<char*>(first->c_str()));
  for (const std::string& s : rest) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Reads what is there without blocking; false at end of file or error.
bool Drain(int fd, std::string& into, size_t keep) {
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      size_t room = into.size() < keep ? keep - into.size() : 0;
      into.append(buf, std::min(room, static_cast<size_t>(n)));
      // Full: back to the caller, which may stop the child (stdout); stderr
      // beyond its cap is read and dropped, so the child never blocks on it.
      if (into.size() >= keep) return true;
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN || errno == EWOULDBLOCK;
  }
}

int MillisLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

// Feeds stdin and collects stdout and stderr until all three are closed,
// the deadline passes or stdout grows too large.
ChildResult::Status Exchange(const ChildSpec& spec, Pipe& in, Pipe& out, Pipe& err,
                             Clock::time_point deadline, ChildResult& r) {
  for (int fd : {in.fd[1], out.fd[0], err.fd[0]}) fcntl(fd, F_SETFL, O_NONBLOCK);
  size_t written = 0;
  if (spec.input.empty()) in.Close(1);
  while (in.fd[1] >= 0 || out.fd[0] >= 0 || err.fd[0] >= 0) {
    pollfd fds[3] = {{in.fd[1], POLLOUT, 0}, {out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}};
    int left = MillisLeft(deadline);
    if (left == 0) return ChildResult::Status::kTimedOut;
    int n = poll(fds, 3, left);  // poll skips negative descriptors
    if (n < 0 && errno != EINTR) return ChildResult::Status::kCannotStart;
    if (n <= 0) continue;
    if (fds[0].revents) {
      ssize_t w = write(in.fd[1], spec.input.data() + written, spec.input.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      // EPIPE: the child stopped reading; its exit status will say why.
      if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == spec.input.size())
        in.Close(1);
    }
    if (fds[1].revents && !Drain(out.fd[0], r.out, spec.max_output + 1)) out.Close(0);
    if (r.out.size() > spec.max_output) return ChildResult::Status::kTooLarge;
    if (fds[2].revents && !Drain(err.fd[0], r.err, spec.max_errors)) err.Close(0);
  }
  return ChildResult::Status::kExited;
}

// Waits for the child until the deadline, then kills it. Always reaps it.
int Reap(pid_t pid, Clock::time_point deadline, bool kill_now, bool& killed) {
  int status = 0;
  killed = false;
  for (;;) {
    if (kill_now || MillisLeft(deadline) == 0) {
      kill(pid, SIGKILL);
      killed = true;
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return status;
    }
    pid_t got = waitpid(pid, &status, WNOHANG);
    if (got == pid || (got < 0 && errno != EINTR)) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// A write to a pipe whose reader has gone raises SIGPIPE in the writing
// thread, which would end casebook. It is blocked in this thread while the
// child runs, and one raised meanwhile is taken off before unblocking.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~SigpipeBlock() {
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) && !sigismember(&old_, SIGPIPE)) {
      timespec zero{0, 0};
      sigtimedwait(&set_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  const sigset_t& old() const { return old_; }

 private:
  sigset_t set_, old_;
};

}  // namespace

ChildResult RunChild(const ChildSpec& spec) {
  ChildResult r;
  Pipe in, out, err, status;
  if (!in.Open() || !out.Open() || !err.Open() || !status.Open()) return r;
  std::vector<char*> argv = CStrings(&spec.program, spec.args);
  std::vector<char*> envp = CStrings(nullptr, spec.env);
  SigpipeBlock sigpipe;
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(spec.timeout_ms);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return r;
  if (pid == 0)
    ChildMain(spec, argv.data(), envp.data(), in, out, err, status, sigpipe.old(), parent);
  in.Close(0);
  out.Close(1);
  err.Close(1);
  status.Close(1);
  // Closed by a successful exec (no bytes), or the child's errno.
  int exec_errno = 0;
  ssize_t n;
  while ((n = read(status.fd[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
  }
  bool killed = false;
  if (n > 0) {
    Reap(pid, deadline, false, killed);
    return r;
  }
  ChildResult::Status outcome = Exchange(spec, in, out, err, deadline, r);
  in.CloseBoth();
  out.CloseBoth();
  err.CloseBoth();
  int wait_status = Reap(pid, deadline, outcome != ChildResult::Status::kExited, killed);
  if (outcome != ChildResult::Status::kExited) {
    r.status = outcome;
  } else if (killed) {
    r.status = ChildResult::Status::kTimedOut;  // closed its pipes, then kept running
  } else if (WIFEXITED(wait_status)) {
    r.status = ChildResult::Status::kExited;
    r.exit_code = WEXITSTATUS(wait_status);
  } else {
    r.status = ChildResult::Status::kSignaled;
    r.signal = WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0;
  }
  return r;
}

}  // namespace casebook
