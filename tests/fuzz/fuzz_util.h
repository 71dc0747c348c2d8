// Helpers shared by the fuzz targets: a scratch folder per process, and
// splitting one input into several named parts.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casebook::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A folder of this process's own under the system temp folder, created
// once and emptied by each call.
inline std::filesystem::path FreshScratch() {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("casebook-fuzz-" + std::to_string(getpid()));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void Write(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
}

// Splits `text` at lines "@@@ <name>": the parts after each marker, by name;
// text before the first marker is named "".
inline std::vector<std::pair<std::string, std::string>> Parts(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> parts = {{"", ""}};
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (line.rfind("@@@ ", 0) == 0) parts.push_back({std::string(line.substr(4)), ""});
    else parts.back().second.append(line).append(end < text.size() ? "\n" : "");
    pos = end + 1;
  }
  return parts;
}

}  // namespace casebook::fuzz
