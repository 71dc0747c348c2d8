#include "template_check.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "text.h"

namespace casebook {

const DataShape* DataShape::Find(std::string_view field) const {
  for (const DataShape& f : fields)
    if (f.name == field) return &f;
  return nullptr;
}

namespace {

[[noreturn]] void BadSpec(std::string_view spec, size_t at) {
  std::fprintf(stderr, "casebook: bug: malformed data shape at byte %zu: %.*s\n", at,
               static_cast<int>(spec.size()), spec.data());
  std::abort();
}

bool IsNameChar(char c) { return IsAsciiAlnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

DataShape ParseShape(std::string_view spec) {
  DataShape root;
  std::vector<DataShape*> open = {&root};
  for (size_t i = 0; i < spec.size();) {
    char c = spec[i];
    if (c == ' ' || c == '\n') {
      ++i;
    } else if (c == '{') {
      if (open.back()->fields.empty()) BadSpec(spec, i);
      open.push_back(&open.back()->fields.back());
      ++i;
    } else if (c == '}') {
      if (open.size() == 1) BadSpec(spec, i);
      open.pop_back();
      ++i;
    } else if (IsNameChar(c)) {
      size_t end = i;
      while (end < spec.size() && IsNameChar(spec[end])) ++end;
      std::string name(spec.substr(i, end - i));
      // A name given twice would hide that two builders disagree.
      if (open.back()->Find(name)) BadSpec(spec, i);
      open.back()->fields.push_back({name, {}});
      i = end;
    } else {
      BadSpec(spec, i);
    }
  }
  if (open.size() != 1) BadSpec(spec, spec.size());
  return root;
}

void CollectNames(const DataShape& shape, std::set<std::string>& names) {
  for (const DataShape& f : shape.fields) {
    names.insert(f.name);
    CollectNames(f, names);
  }
}

std::vector<Tag> ScanTags(std::string_view text) {
  std::vector<Tag> tags;
  for (size_t pos = 0; (pos = text.find("{{", pos)) != std::string_view::npos;) {
    Tag t;
    t.begin = pos;
    bool triple = pos + 2 < text.size() && text[pos + 2] == '{';
    size_t inner = pos + (triple ? 3 : 2);
    size_t close = text.find(triple ? "}}}" : "}}", inner);
    if (close == std::string_view::npos) break;
    t.end = close + (triple ? 3 : 2);
    std::string body = Trim(text.substr(inner, close - inner));
    if (triple) {
      t.sigil = '&';
    } else if (!body.empty() &&
               std::string_view("#^/&>!=").find(body[0]) != std::string_view::npos) {
      t.sigil = body[0];
      body = Trim(std::string_view(body).substr(1));
    }
    t.name = body;
    pos = t.end;
    tags.push_back(std::move(t));
  }
  return tags;
}

namespace {

class NameChecker {
 public:
  NameChecker(const std::map<std::string, TemplateSource>& partials, Diagnostics& diags)
      : partials_(partials), diags_(diags) {}

  bool ok() const { return ok_; }

  // `stack` holds the data visible at the start of `src`, innermost last;
  // nullptr marks an inverted section, which adds no data.
  void Check(const TemplateSource& src, std::vector<const DataShape*>& stack,
             std::vector<std::string>& chain) {
    size_t base = stack.size();
    for (const Tag& t : ScanTags(src.text)) {
      switch (t.sigil) {
        case '!': break;
        case '=': Unsupported(src, t); stack.resize(base); return;
        case '>': Include(t, stack, chain); break;
        case '#': stack.push_back(Resolve(src, t, stack)); break;
        case '^': Resolve(src, t, stack); stack.push_back(nullptr); break;
        case '/': if (stack.size() > base) stack.pop_back(); break;
        default: Resolve(src, t, stack); break;
      }
    }
    stack.resize(base);
  }

 private:
  void Include(const Tag& t, std::vector<const DataShape*>& stack,
               std::vector<std::string>& chain) {
    auto p = partials_.find(t.name);
    // A missing partial or a cycle is the inliner's to report.
    if (p == partials_.end() || chain.size() >= kMaxPartialDepth ||
        std::find(chain.begin(), chain.end(), t.name) != chain.end())
      return;
    chain.push_back(t.name);
    Check(p->second, stack, chain);
    chain.pop_back();
  }

  // The shape `t` names, or an empty one after reporting it unknown (so
  // that its section still balances).
  const DataShape* Resolve(const TemplateSource& src, const Tag& t,
                           const std::vector<const DataShape*>& stack) {
    static const DataShape kUnknown;
    if (t.name == ".") return &kUnknown;  // the current item itself
    std::vector<std::string> parts;
    for (size_t start = 0; start <= t.name.size();) {
      size_t dot = t.name.find('.', start);
      if (dot == std::string::npos) dot = t.name.size();
      parts.push_back(t.name.substr(start, dot - start));
      start = dot + 1;
    }
    const DataShape* found = nullptr;
    for (auto it = stack.rbegin(); it != stack.rend() && !found; ++it)
      if (*it) found = (*it)->Find(parts[0]);
    if (!found) {
      std::vector<std::string> visible;
      for (const DataShape* s : stack)
        if (s)
          for (const DataShape& f : s->fields) visible.push_back(f.name);
      Report(src, t, parts[0], visible);
      return &kUnknown;
    }
    for (size_t i = 1; i < parts.size(); ++i) {
      const DataShape* next = found->Find(parts[i]);
      if (!next) {
        std::vector<std::string> names;
        for (const DataShape& f : found->fields) names.push_back(f.name);
        Report(src, t, parts[i], names);
        return &kUnknown;
      }
      found = next;
    }
    return found;
  }

  // After {{=<% %>=}} the tags that follow are not {{...}}: nothing here
  // could check them, so templates may not change delimiters.
  void Unsupported(const TemplateSource& src, const Tag& t) {
    ok_ = false;
    if (!reported_.insert({src.path, t.begin, "="}).second) return;
    LineColumn lc = At(src, t.begin);
    diags_.Error({src.path, lc.line, lc.column},
                 "template: changing the delimiters ({{=...=}}) is not supported");
  }

  void Report(const TemplateSource& src, const Tag& t, const std::string& name,
              const std::vector<std::string>& known) {
    ok_ = false;
    if (!reported_.insert({src.path, t.begin, name}).second) return;
    LineColumn lc = At(src, t.begin);
    diags_.Error({src.path, lc.line, lc.column},
                 "template: unknown variable '" + name + "'" + DidYouMean(name, known));
  }

  // Where `offset` is in `src`, from a line table built once per text: a
  // scan from byte 0 per error was quadratic in a line of many bad tags.
  LineColumn At(const TemplateSource& src, size_t offset) {
    auto it = lines_.find(src.text.data());
    if (it == lines_.end()) it = lines_.emplace(src.text.data(), LineIndex(src.text)).first;
    return it->second.At(offset);
  }

  const std::map<std::string, TemplateSource>& partials_;
  Diagnostics& diags_;
  std::set<std::tuple<std::string, size_t, std::string>> reported_;
  std::map<const char*, LineIndex> lines_;  // by text; every text outlives the checker
  bool ok_ = true;
};

}  // namespace

bool CheckTemplateNames(const TemplateSource& page, const DataShape& shape,
                        const std::map<std::string, TemplateSource>& partials,
                        Diagnostics& diags) {
  NameChecker checker(partials, diags);
  std::vector<const DataShape*> stack = {&shape};
  std::vector<std::string> chain;
  checker.Check(page, stack, chain);
  return checker.ok();
}

}  // namespace casebook
