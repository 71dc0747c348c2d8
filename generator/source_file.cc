#include "source_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "text.h"

namespace casebook {

namespace {

bool IsAlnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 3986 pchar minus percent-decoding: what a path segment may hold.
bool IsPathChar(char c) {
  return IsAlnum(c) || std::string_view("._~%!$&'()*+,;=:@-").find(c) != std::string_view::npos;
}

// Consumes `prefix` from the front of `s`.
bool Consume(std::string_view& s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix) return false;
  s.remove_prefix(prefix.size());
  return true;
}

// A host name: letters, digits, dots and hyphens, starting and ending with a
// letter or digit. Consumes it from `s`.
bool ConsumeHost(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && (IsAlnum(s[n]) || s[n] == '.' || s[n] == '-')) ++n;
  if (n == 0 || !IsAlnum(s[0]) || !IsAlnum(s[n - 1])) return false;
  s.remove_prefix(n);
  return true;
}

// ":" and one to five digits, if present. Consumes it from `s`.
bool ConsumePort(std::string_view& s) {
  if (!Consume(s, ":")) return true;
  size_t n = 0;
  while (n < s.size() && IsDigit(s[n])) ++n;
  if (n < 1 || n > 5) return false;
  s.remove_prefix(n);
  return true;
}

// Nothing, or "/" segments of path characters: no empty segment but an
// optional trailing "/".
bool IsPlainPath(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '/' ? i > 0 && s[i - 1] == '/' : !IsPathChar(s[i])) return false;
  }
  return true;
}

}  // namespace

// One pass, left to right: std::regex recursed once per character and
// overflowed the stack on long values.
std::string BaseUrlProblem(const std::string& url) {
  if (url.size() > kMaxBaseUrlBytes)
    return "is " + std::to_string(url.size()) + " bytes long; an address may have at most " +
           std::to_string(kMaxBaseUrlBytes);
  std::string_view s = url;
  bool ok = (Consume(s, "https://") || Consume(s, "http://")) && ConsumeHost(s) &&
            ConsumePort(s) && IsPlainPath(s);
  return ok ? "" : "must be an address such as https://you.github.io/repo/";
}

bool IsValidBaseUrl(const std::string& url) { return BaseUrlProblem(url).empty(); }

std::optional<std::string> ReadBinaryFile(const std::string& path, Diagnostics& diags) {
  auto fail = [&] {
    diags.Error({path}, std::string("cannot read: ") + std::strerror(errno));
    return std::nullopt;
  };
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail();
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;  // close may overwrite it
      close(fd);
      errno = saved;
      return fail();
    }
    bytes.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return bytes;
}

std::optional<std::string> ReadTextFile(const std::string& path,
                                        Diagnostics& diags) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    diags.Error({path}, std::string("cannot read: ") + std::strerror(errno));
    return std::nullopt;
  }
  if (S_ISLNK(st.st_mode)) {
    diags.Error({path}, "symbolic links are not followed; copy the file here");
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    diags.Error({path}, "not a regular file");
    return std::nullopt;
  }
  if (static_cast<size_t>(st.st_size) > kMaxContentFileBytes) {
    diags.Error({path}, "file is " + std::to_string(st.st_size) +
                            " bytes; content files are limited to " +
                            std::to_string(kMaxContentFileBytes) +
                            " bytes (split it)");
    return std::nullopt;
  }
  std::optional<std::string> bytes = ReadBinaryFile(path, diags);
  if (!bytes) return std::nullopt;
  std::string text = std::move(*bytes);
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  // Each of these would otherwise surface as "missing front matter" (or
  // as odd YAML), which does not say what is wrong.
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) {
    diags.Error({path}, "the file starts with two byte-order marks; remove one");
    return std::nullopt;
  }
  size_t cr = text.find('\r');
  if (cr != std::string::npos && cr + 1 < text.size() && text.find('\n') == std::string::npos) {
    diags.Error({path}, "the file uses CR-only line ends (old Mac); save it with LF or CRLF");
    return std::nullopt;
  }
  size_t bad = FindInvalidUtf8(text);
  if (bad != std::string::npos) {
    LineColumn lc = LineColumnAt(text, bad);
    static const char kHex[] = "0123456789abcdef";
    auto byte = static_cast<unsigned char>(text[bad]);
    diags.Error({path, lc.line, lc.column},
                std::string("invalid UTF-8 (byte 0x") + kHex[byte >> 4] +
                    kHex[byte & 15] + "); save the file as UTF-8");
    return std::nullopt;
  }
  if (text.find('\0') != std::string::npos) {
    LineColumn lc = LineColumnAt(text, text.find('\0'));
    diags.Error({path, lc.line, lc.column}, "NUL byte in a text file");
    return std::nullopt;
  }
  // CRLF to LF, so that every later position counts the same way.
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

std::optional<FrontMatterSplit> SplitFrontMatter(std::string_view text,
                                                 const std::string& path,
                                                 Diagnostics& diags) {
  auto is_fence = [](std::string_view line) {
    return line.substr(0, 3) == "---" &&
           line.substr(3).find_first_not_of(" \t") == std::string_view::npos;
  };
  size_t first_end = text.find('\n');
  if (!is_fence(text.substr(0, first_end))) {
    diags.Error({path, 1, 1},
                "missing front matter: the file must start with a '---' line");
    return std::nullopt;
  }
  FrontMatterSplit out;
  size_t pos = first_end == std::string_view::npos ? text.size() : first_end + 1;
  size_t yaml_start = pos;
  int line = 2;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    if (is_fence(text.substr(pos, end - pos))) {
      out.yaml = text.substr(yaml_start, pos - yaml_start);
      out.body = end < text.size() ? text.substr(end + 1) : std::string_view();
      out.body_line = line + 1;
      return out;
    }
    pos = end + 1;
    ++line;
  }
  diags.Error({path, 1, 1},
              "front matter is not closed: add a '---' line after the YAML");
  return std::nullopt;
}

}  // namespace casebook
