#include "render.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "anki_deck.h"
#include "page_data.h"
#include "parallel.h"
#include "print_page.h"
#include "search_index.h"
#include "text.h"

namespace casebook {

namespace {

std::string Sitemap(const SiteConfig& c, const PageMap& map) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (const Page& p : map.pages)
    if (IsWebPage(p.kind))
      xml += "  <url><loc>" + HtmlEscape(c.base_url + (p.url == HomeUrl() ? "" : p.url)) +
             "</loc></url>\n";
  return xml + "</urlset>\n";
}

// `chunks` joined in one allocation, each freed once copied.
std::string Joined(std::vector<std::string>& chunks) {
  size_t size = 0;
  for (const std::string& c : chunks) size += c.size();
  std::string whole;
  whole.reserve(size);
  for (std::string& c : chunks) {
    whole += c;
    std::string().swap(c);
  }
  return whole;
}

// print.html's frame: the template rendered around a marker in place of
// the body, split there. The body is most of the document, so Mustache
// never sees it (it would copy it three times) and nobody joins it: each
// section goes to the file as it is. nullopt for a template that shows the
// body other than once, which gets it the slow way (PrintPage).
struct PrintFrame {
  std::string before, after;
};
std::optional<PrintFrame> RenderPrintFrame(const Site& site, const Templates& templates,
                                           const std::vector<PrintPart>& parts) {
  static const std::string kMarker = "\x01" "casebook-print-body" "\x01";
  std::string frame = RenderContent(templates, "print", PrintData(site.config, parts, kMarker));
  size_t at = frame.find(kMarker);
  if (at == std::string::npos || frame.find(kMarker, at + 1) != std::string::npos)
    return std::nullopt;
  return PrintFrame{frame.substr(0, at), frame.substr(at + kMarker.size())};
}

// print.html as chunks to be written one after another: the frame before
// the body, the body's sections (`pieces`, one per part), the frame after.
std::vector<std::string> PrintPage(const Site& site, const Templates& templates,
                                   const std::vector<PrintPart>& parts,
                                   std::vector<std::string> pieces) {
  std::optional<PrintFrame> frame = RenderPrintFrame(site, templates, parts);
  if (!frame)
    return {RenderContent(templates, "print", PrintData(site.config, parts, Joined(pieces)))};
  pieces.insert(pieces.begin(), std::move(frame->before));
  pieces.push_back(std::move(frame->after));
  return pieces;
}

}  // namespace

const std::map<std::string, DataShape>& RenderShapes() {
  static const std::map<std::string, DataShape> kShapes = [] {
    std::map<std::string, DataShape> shapes = TemplateShapes();
    shapes["print"] = ParseShape(PrintShape());
    return shapes;
  }();
  return kShapes;
}

std::vector<OutputFile> RenderSite(const Site& site, const PageMap& map,
                                   const Templates& templates, const std::string* search_library,
                                   int jobs, RenderCache* cache, int* rendered,
                                   SiteWriter* writer) {
  std::vector<OutputFile> files(map.pages.size());
  std::vector<std::string> contents(map.pages.size());
  // What the cache held for each page, if anything, and each page's new fingerprint.
  std::vector<const CachedPage*> before(map.pages.size(), nullptr);
  std::vector<uint64_t> prints(map.pages.size(), 0);
  std::vector<char> fresh(map.pages.size(), 0);
  if (cache && cache->templates == templates.fingerprint)
    for (size_t i = 0; i < map.pages.size(); ++i) {
      auto it = cache->pages.find(map.pages[i].url);
      if (it != cache->pages.end()) before[i] = &it->second;
    }
  // With a writer each file is written as soon as it is made, and its bytes
  // dropped: the site is never all in memory at once.
  auto hand_off = [writer](OutputFile& f) {
    if (!writer) return;
    writer->Add(f.path, f.content);
    std::string().swap(f.content);
  };
  // Each page's section of print.html is made as soon as its content is.
  std::vector<size_t> part_of;
  const std::vector<PrintPart> print_parts = PrintParts(map, &part_of);
  // Written as its sections are made, when it can be (a writer and no
  // cache, which would keep the sections anyway): the document, most of a
  // large site's bytes, is then never whole in memory.
  std::optional<PrintFrame> print_frame;
  std::unique_ptr<SiteWriter::Stream> print_file;
  PrintBook::Sink print_sink;
  if (writer && !cache && (print_frame = RenderPrintFrame(site, templates, print_parts))) {
    print_file = writer->OpenStream(PrintUrl());
    print_file->Append(print_frame->before);
    print_sink = [&print_file](std::string_view piece) { print_file->Append(piece); };
  }
  PrintBook book(print_parts, cache ? &cache->print : nullptr, print_sink);
  // And its search sections; then, unless the cache keeps it, its content
  // is dropped: the site's contents are never all in memory at once.
  // The index's rows are made there too; only a cache keeps the sections.
  std::vector<std::vector<SearchSection>> found(cache ? map.pages.size() : 0);
  const SearchCache* search_cache = cache ? &cache->search : nullptr;
  SearchIndexBuilder search_index(site, map);
  auto after_render = [&](size_t i) {
    if (part_of[i] != kNoPart) book.Make(part_of[i], contents[i]);
    if (search_library && IsSearched(map.pages[i])) {
      std::vector<SearchSection> sections = CachedSearchSections(contents[i], search_cache);
      search_index.Add(i, sections);
      if (cache) found[i] = std::move(sections);
    }
    if (!cache) std::string().swap(contents[i]);
  };
  ParallelFor(map.pages.size(), jobs, [&](size_t i) {
    const Page& p = map.pages[i];
    files[i].path = p.url;
    if (p.kind == PageKind::kAnkiDeck) {
      files[i].content = AnkiDeckFile(site);
      hand_off(files[i]);
      after_render(i);  // not in the document; if it were, it would show empty
      return;
    }
    fresh[i] = 1;
    const char* name = KindInfo(p.kind).template_name;
    TemplateData data = PageData(site, map, i);
    data.set("has_search", search_library != nullptr);
    if (cache) {
      const auto& shapes = TemplateShapes();
      uint64_t a = DataFingerprint(data, shapes.at(name));
      uint64_t b = DataFingerprint(data, shapes.at("layout"));
      prints[i] = a == 0 || b == 0 ? 0 : HashBytes(a, std::to_string(b));
      if (prints[i] != 0 && before[i] && before[i]->fingerprint == prints[i]) {
        contents[i] = before[i]->content;
        files[i].content = before[i]->file;
        fresh[i] = 0;
        after_render(i);
        return;
      }
    }
    contents[i] = RenderContent(templates, name, data);
    files[i].content = WrapInLayout(templates, std::move(data), contents[i]);
    hand_off(files[i]);
    after_render(i);
  });
  if (rendered) *rendered = static_cast<int>(std::count(fresh.begin(), fresh.end(), 1));
  if (cache) {
    std::map<std::string, CachedPage> next;
    for (size_t i = 0; i < map.pages.size(); ++i)
      if (prints[i] != 0) next[map.pages[i].url] = {prints[i], contents[i], files[i].content};
    cache->templates = templates.fingerprint;
    cache->pages = std::move(next);
  }
  // print.html (most of a large site's bytes) is handed off before the
  // search index is built.
  auto emit = [&](std::string path, std::string content) {
    files.push_back({std::move(path), std::move(content)});
    hand_off(files.back());
  };
  auto css = templates.assets.find("casebook.css");
  std::string inline_css = css == templates.assets.end() ? "" : css->second;
  TemplateData not_found = NotFoundData(site, map, inline_css);
  emit(NotFoundUrl(), RenderPage(templates, "404", std::move(not_found)));
  if (print_file) {
    book.Finish();
    print_file->Append(print_frame->after);
    print_file->Close();
    files.push_back({PrintUrl(), ""});
  } else {
    std::vector<std::string> chunks = PrintPage(site, templates, print_parts, book.Finish());
    if (writer) {
      writer->AddPieces(PrintUrl(), std::vector<std::string_view>(chunks.begin(), chunks.end()));
      files.push_back({PrintUrl(), ""});
    } else {
      files.push_back({PrintUrl(), Joined(chunks)});
    }
  }
  emit(".nojekyll", "");
  if (search_library) {
    auto client = templates.assets.find("search.js");
    if (cache) {
      SearchCache next;
      for (size_t i = 0; i < map.pages.size(); ++i)
        if (IsSearched(map.pages[i])) next[contents[i]] = found[i];
      cache->search = std::move(next);
    }
    std::vector<std::string> pieces = search_index.Finish(
        client == templates.assets.end() ? std::string_view() : client->second);
    if (writer) {
      writer->AddPieces(SearchIndexUrl(), std::vector<std::string_view>(pieces.begin(), pieces.end()));
      files.push_back({SearchIndexUrl(), ""});
    } else {
      files.push_back({SearchIndexUrl(), Joined(pieces)});
    }
    emit(SearchLibraryUrl(), *search_library);
  }
  if (!site.config.base_url.empty()) emit("sitemap.xml", Sitemap(site.config, map));
  for (const auto& [path, content] : templates.assets) emit("assets/" + path, content);
  return files;
}

}  // namespace casebook
