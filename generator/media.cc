#include "media.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "source_file.h"
#include "svg.h"
#include "text.h"

namespace casebook {

namespace fs = std::filesystem;

namespace {

const char* const kMediaExtensions[] = {".png", ".jpg", ".jpeg", ".gif", ".svg",
                                        ".webp", ".pdf"};

// The bytes of the file at `path`, or nullopt when it cannot be read.
std::optional<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  if (!in && !in.eof()) return std::nullopt;
  return buf.str();
}

// The extension of `rel`, lower case, with its dot; "" when it has none.
std::string Extension(const std::string& rel) {
  size_t dot = rel.rfind('.');
  return dot == std::string::npos ? "" : AsciiLower(rel.substr(dot));
}

bool HasControlCharacter(const std::string& rel) {
  return std::any_of(rel.begin(), rel.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// Whether `full` resolves to a file inside `content_dir`. A linked folder
// on the way would otherwise publish a file from elsewhere.
bool StaysInside(const std::string& content_dir, const std::string& full) {
  std::error_code ec;
  fs::path real = fs::canonical(full, ec);
  if (ec) return false;
  fs::path root = fs::canonical(content_dir, ec);
  return !ec && real.string().rfind(root.string() + "/", 0) == 0;
}

}  // namespace

std::string CheckMediaFile(const std::string& content_dir, const std::string& rel) {
  // Checked first: the other messages quote the name.
  if (HasControlCharacter(rel)) return "file names with control characters are not supported";
  std::string ext = Extension(rel);
  if (std::find(std::begin(kMediaExtensions), std::end(kMediaExtensions), ext) ==
      std::end(kMediaExtensions))
    return "cannot link to '" + rel + "': link to content pages (.md) "
           "or to images (png, jpg, gif, svg, webp) and pdf files";
  std::string full = content_dir + "/" + rel;
  struct stat st;
  // lstat: a symbolic link as the file itself is not a file we publish.
  if (lstat(full.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return "file '" + full + "' not found";
  if (st.st_size > kMaxMediaBytes) return "file '" + full + "' is larger than 8 MiB";
  if (!StaysInside(content_dir, full))
    return "'" + rel + "' leads outside the content folder through a symbolic link";
  if (ext == ".svg") {
    std::optional<std::string> svg = ReadAll(full);
    if (!svg) return "file '" + full + "' cannot be read";
    std::string problem = SvgProblem(*svg);
    if (!problem.empty()) return "'" + rel + "' " + problem;
  }
  return "";
}

std::vector<OutputFile> ReadMediaFiles(const std::string& content_dir,
                                       const std::set<std::string>& rels, Diagnostics& diags) {
  std::vector<OutputFile> files;
  for (const std::string& rel : rels) {
    std::optional<std::string> bytes = ReadBinaryFile(content_dir + "/" + rel, diags);
    if (bytes) files.push_back({"media/" + rel, std::move(*bytes)});
  }
  return files;
}

}  // namespace casebook
