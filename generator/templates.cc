#include "templates.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <string_view>

#include "source_file.h"
#include "text.h"

namespace fs = std::filesystem;

namespace casebook {

namespace {

// A kainjow error message split into its text and the byte offset it ends
// with (" at <offset>").
struct PlacedMessage {
  std::string text;
  size_t offset = 0;  // SIZE_MAX when too large to represent: past any text
};

// nullopt when `message` has no " at <digits>" ending (or is not one line).
// Scans once, from the end: std::regex recursed once per character.
std::optional<PlacedMessage> SplitOffset(const std::string& message) {
  constexpr std::string_view kAt = " at ";
  if (message.find_first_of("\r\n") != std::string::npos) return std::nullopt;
  size_t digits = message.size();
  while (digits > 0 && message[digits - 1] >= '0' && message[digits - 1] <= '9') --digits;
  if (digits == message.size() || digits < kAt.size() ||
      message.compare(digits - kAt.size(), kAt.size(), kAt) != 0)
    return std::nullopt;
  PlacedMessage placed;
  placed.text = message.substr(0, digits - kAt.size());
  for (size_t i = digits; i < message.size(); ++i) {
    size_t d = static_cast<size_t>(message[i] - '0');
    if (placed.offset > (std::numeric_limits<size_t>::max() - d) / 10) {
      placed.offset = std::numeric_limits<size_t>::max();
      break;
    }
    placed.offset = placed.offset * 10 + d;
  }
  return placed;
}

// kainjow reports errors as "... at <byte offset>"; make that file:line:col.
void ReportTemplateError(const std::string& path, const std::string& text,
                         const std::string& message, Diagnostics& diags) {
  if (std::optional<PlacedMessage> placed = SplitOffset(message)) {
    LineColumn lc = LineColumnAt(text, placed->offset);
    diags.Error({path, lc.line, lc.column}, "template: " + placed->text);
  } else {
    diags.Error({path, 1, 1}, "template: " + message);
  }
}

using Source = TemplateSource;

class Inliner {
 public:
  Inliner(const std::map<std::string, Source>& partials, Diagnostics& diags)
      : partials_(partials), diags_(diags) {}

  // `text` with every {{> name}} replaced by that partial, recursively.
  std::string Inline(const Source& src, std::vector<std::string>& chain) {
    std::string out;
    size_t last = 0;
    std::optional<LineIndex> lines;  // built at the first error, once per text
    for (const Tag& tag : ScanTags(src.text)) {
      if (tag.sigil != '>') continue;
      out += src.text.substr(last, tag.begin - last);
      last = tag.end;
      const std::string& name = tag.name;
      if (!lines) lines.emplace(src.text);
      LineColumn lc = lines->At(tag.begin);
      auto p = partials_.find(name);
      if (p == partials_.end()) {
        std::vector<std::string> names;
        for (const auto& [n, _] : partials_) names.push_back(n);
        diags_.Error({src.path, lc.line, lc.column},
                     "template: no partial '" + name + "' in partials/" +
                         DidYouMean(name, names));
        continue;
      }
      if (std::find(chain.begin(), chain.end(), name) != chain.end() ||
          chain.size() >= kMaxPartialDepth) {
        std::string path;
        for (const std::string& c : chain) path += c + " > ";
        diags_.Error({src.path, lc.line, lc.column},
                     "template: partials include each other: " + path + name);
        continue;
      }
      chain.push_back(name);
      out += Inline(p->second, chain);
      chain.pop_back();
    }
    return out + src.text.substr(last);
  }

 private:
  const std::map<std::string, Source>& partials_;
  Diagnostics& diags_;
};

// Bytes that inlining a template reads: its own text and, for every
// {{> name}}, that partial's, recursively. Partials p1..p6 each including
// the next 50 times came to 10^10 bytes and ran for minutes; the checker
// walks the same tree, so both are refused past this.
constexpr size_t kMaxInlinedBytes = 8u << 20;

// Memoized per partial, so measuring costs one scan of each; sums saturate
// just past the cap. A partial within its own inclusion counts nothing: the
// inliner reports the cycle.
class InlineMeter {
 public:
  explicit InlineMeter(const std::map<std::string, Source>& partials) : partials_(partials) {}

  // Reports an error at the tag of `src` (a page template) whose partial
  // takes it past kMaxInlinedBytes; false then.
  bool Fits(const Source& src, Diagnostics& diags) {
    size_t total = src.text.size();
    for (const Tag& tag : ScanTags(src.text)) {
      if (tag.sigil != '>') continue;
      total = Add(total, Cost(tag.name));
      if (total > kMaxInlinedBytes) {
        LineColumn lc = LineColumnAt(src.text, tag.begin);
        diags.Error({src.path, lc.line, lc.column},
                    "template: with partial '" + tag.name +
                        "' inlined, this template would be over " +
                        std::to_string(kMaxInlinedBytes) + " bytes");
        return false;
      }
    }
    return true;
  }

 private:
  static size_t Add(size_t a, size_t b) { return std::min(a + b, kMaxInlinedBytes + 1); }

  size_t Cost(const std::string& name) {
    if (auto m = memo_.find(name); m != memo_.end()) return m->second;
    auto p = partials_.find(name);
    if (p == partials_.end() || !open_.insert(name).second) return 0;
    size_t total = std::min(p->second.text.size(), kMaxInlinedBytes + 1);
    for (const Tag& tag : ScanTags(p->second.text))
      if (tag.sigil == '>' && total <= kMaxInlinedBytes) total = Add(total, Cost(tag.name));
    open_.erase(name);
    memo_[name] = total;
    return total;
  }

  const std::map<std::string, Source>& partials_;
  std::map<std::string, size_t> memo_;
  std::set<std::string> open_;
};

bool Validate(const Source& s, Diagnostics& diags) {
  kainjow::mustache::mustache m{s.text};
  if (m.is_valid()) return true;
  ReportTemplateError(s.path, s.text, m.error_message(), diags);
  return false;
}

std::map<std::string, std::string> ReadAssets(const std::string& dir, Diagnostics& diags) {
  std::map<std::string, std::string> assets;
  std::error_code ec;
  // The folder itself is checked without following it too: a linked
  // assets folder would publish whatever it points to.
  fs::file_status st = fs::symlink_status(dir, ec);
  if (fs::is_symlink(st)) {
    diags.Error(FolderAt(dir), "symbolic links are not followed; make it a folder");
    return assets;
  }
  if (!fs::is_directory(st)) return assets;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_symlink()) {
      diags.Error({it->path().string()}, "symbolic links are not followed");
      continue;
    }
    if (!it->is_regular_file()) continue;
    // lexically: relative() would resolve links on the way.
    std::string rel = it->path().lexically_relative(dir).string();
    // A missing asset would leave every page unstyled: an error, not a skip.
    std::optional<std::string> bytes = ReadBinaryFile(it->path().string(), diags);
    if (bytes) assets[rel] = std::move(*bytes);
  }
  // The iterator ends early on a folder it cannot open; say so.
  if (ec) diags.Error(FolderAt(dir), "cannot read: " + ec.message());
  return assets;
}

}  // namespace

namespace {

// The entity for a byte TemplateEscape escapes, or nullptr.
const char* TemplateEntity(char c) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&apos;";
    default: return nullptr;
  }
}

}  // namespace

void AppendTemplateEscaped(std::string_view s, std::string& out) {
  size_t from = 0;
  for (size_t i = 0; i < s.size(); ++i)
    if (const char* with = TemplateEntity(s[i])) {
      out.append(s, from, i - from);
      out += with;
      from = i + 1;
    }
  out.append(s, from, std::string_view::npos);
}

std::string TemplateEscape(const std::string& s) {
  size_t i = 0;
  while (i < s.size() && !TemplateEntity(s[i])) ++i;
  if (i == s.size()) return s;  // nothing to escape: most values
  std::string out;
  out.reserve(s.size() + 16);
  AppendTemplateEscaped(s, out);
  return out;
}

Templates LoadTemplates(const std::string& dir, const std::map<std::string, DataShape>& shapes,
                        Diagnostics& diags) {
  Templates t;
  if (!fs::is_directory(dir)) {
    diags.Error(FolderAt(dir), "templates folder not found");
    return t;
  }
  std::map<std::string, Source> partials;
  std::error_code ec;
  std::vector<fs::path> partial_files;
  for (const auto& e : fs::directory_iterator(dir + "/partials", ec))
    if (e.path().extension() == ".html") partial_files.push_back(e.path());
  std::sort(partial_files.begin(), partial_files.end());
  // A partial that is not valid Mustache has been reported; checking or
  // inlining it into pages would only add errors about the same mistake.
  bool partials_ok = true;
  for (const fs::path& p : partial_files) {
    auto text = ReadTextFile(p.string(), diags);
    if (!text) { partials_ok = false; continue; }
    Source s{p.string(), *text};
    partials_ok = Validate(s, diags) && partials_ok;
    partials[p.stem().string()] = std::move(s);
  }
  Inliner inliner(partials, diags);
  InlineMeter meter(partials);
  for (const auto& [name, shape] : shapes) {
    std::string path = dir + "/" + name + ".html";
    if (!fs::exists(path)) {
      diags.Error({path}, "missing template " + name + ".html");
      continue;
    }
    auto text = ReadTextFile(path, diags);
    if (!text) continue;
    Source s{path, *text};
    if (!Validate(s, diags) || !partials_ok || !meter.Fits(s, diags) ||
        !CheckTemplateNames(s, shape, partials, diags))
      continue;
    std::vector<std::string> chain;
    int before = diags.errors();
    Source full{path, inliner.Inline(s, chain)};
    if (diags.errors() != before) continue;
    auto compiled = std::make_unique<kainjow::mustache::mustache>(full.text);
    if (!compiled->is_valid()) {
      diags.Error({path, 1, 1}, "template: a section opened in one file is closed in "
                                "another (" + compiled->error_message() + ")");
      continue;
    }
    compiled->set_custom_escape(TemplateEscape);
    t.pages[name] = std::move(compiled);
    t.fingerprint = HashBytes(t.fingerprint, name);
    t.fingerprint = HashBytes(t.fingerprint, full.text);
  }
  t.assets = ReadAssets(dir + "/assets", diags);
  return t;
}

namespace {

// Every entry under `dir` (not following links), with its kind and bytes
// (a link's target), in a fixed order; 0 for a folder that cannot be read.
uint64_t FilesHash(const std::string& dir) {
  std::error_code ec;
  std::vector<fs::path> paths;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    paths.push_back(it->path());
  if (ec) return 0;
  std::sort(paths.begin(), paths.end());
  uint64_t h = kHashSeed;
  for (const fs::path& p : paths) {
    h = HashBytes(h, p.string());
    fs::file_status st = fs::symlink_status(p, ec);
    if (ec) return 0;
    if (fs::is_symlink(st)) {
      h = HashBytes(HashBytes(h, "l"), fs::read_symlink(p, ec).string());
    } else if (fs::is_regular_file(st)) {
      std::ifstream in(p, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) return 0;
      h = HashBytes(HashBytes(h, "f"), bytes);
    } else {
      h = HashBytes(h, fs::is_directory(st) ? "d" : "o");
    }
  }
  return h;
}

}  // namespace

std::shared_ptr<const Templates> LoadTemplates(const std::string& dir,
                                               const std::map<std::string, DataShape>& shapes,
                                               Diagnostics& diags, TemplateCache* cache) {
  uint64_t files = 0;  // 0: not to be kept
  if (cache) {
    if (uint64_t h = FilesHash(dir); h != 0)
      files = HashBytes(h, std::to_string(reinterpret_cast<uintptr_t>(&shapes)));
    if (files != 0 && cache->templates && cache->files == files) return cache->templates;
    *cache = TemplateCache();
  }
  Diagnostics mine;
  auto loaded = std::make_shared<const Templates>(LoadTemplates(dir, shapes, mine));
  if (cache && mine.all().empty() && files != 0) *cache = {files, loaded};
  diags.Append(mine);
  return loaded;
}

namespace {

// Walks `data` along `shape`, mixing every value a template can read into
// `h`; false when it meets a value it cannot hash.
bool MixData(const TemplateData& data, const DataShape& shape, uint64_t& h) {
  if (data.is_string()) {
    h = HashBytes(HashBytes(h, "s"), data.string_value());
  } else if (data.is_bool()) {
    h = HashBytes(h, data.is_true() ? "t" : "f");
  } else if (data.is_list()) {
    h = HashBytes(h, "l" + std::to_string(data.list_value().size()));
    for (const TemplateData& item : data.list_value())
      if (!MixData(item, shape, h)) return false;
  } else if (data.is_object()) {
    h = HashBytes(h, "o");
    for (const DataShape& field : shape.fields) {
      const TemplateData* value = data.get(field.name);
      h = HashBytes(h, field.name);
      if (!value) h = HashBytes(h, "-");
      else if (!MixData(*value, field, h)) return false;
    }
  } else {
    return false;  // a lambda or a partial
  }
  return true;
}

}  // namespace

uint64_t DataFingerprint(const TemplateData& data, const DataShape& shape) {
  uint64_t h = HashBytes(kHashSeed, shape.name);
  if (!MixData(data, shape, h)) return 0;
  return h == 0 ? 1 : h;
}

namespace {

// What render(data) returns, appended straight to one string: kainjow's
// own overload writes each piece through an ostringstream and then copies
// the whole page out of it.
std::string Render(kainjow::mustache::mustache& m, const TemplateData& data) {
  std::string out;
  const kainjow::mustache::mustache::render_handler append = [&out](const std::string& piece) {
    out += piece;
  };
  m.render(data, append);
  return out;
}

// The layout is rendered around a marker in place of the content, which is
// then put where the marker is: Mustache would copy the content (most of a
// page) into the data and through its line buffer. The marker holds a
// number drawn once per process, so no text of the guide can hold it, and
// a '<', so that an escaped {{content}} (which must show the HTML as text)
// never matches; a layout that shows the content other than once raw, or
// escaped at all, gets it the slow way.
const std::string& ContentMarker() {
  static const std::string kMarker = [] {
    std::random_device seed;
    return "\x01<casebook-content-" + std::to_string(seed()) + "-" + std::to_string(seed()) +
           ">\x01";
  }();
  return kMarker;
}

}  // namespace

std::string RenderContent(const Templates& t, const std::string& name, const TemplateData& data) {
  return Render(*t.pages.at(name), data);
}

std::string WrapInLayout(const Templates& t, TemplateData data, const std::string& content) {
  const std::string& marker = ContentMarker();
  static const std::string escaped = TemplateEscape(marker);
  data.set("content", marker);
  std::string page = Render(*t.pages.at("layout"), data);
  size_t at = page.find(marker);
  if (at != std::string::npos && page.find(marker, at + marker.size()) == std::string::npos &&
      page.find(escaped) == std::string::npos) {
    std::string whole;
    whole.reserve(page.size() - marker.size() + content.size());
    whole.append(page, 0, at);
    whole += content;
    whole.append(page, at + marker.size(), std::string::npos);
    return whole;
  }
  data.set("content", content);
  return Render(*t.pages.at("layout"), data);
}

std::string RenderPage(const Templates& t, const std::string& name, TemplateData data) {
  std::string content = RenderContent(t, name, data);
  return WrapInLayout(t, std::move(data), content);
}

}  // namespace casebook
