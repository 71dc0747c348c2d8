#include "render.h"

#include "page_data.h"
#include "parallel.h"
#include "text.h"

namespace casebook {

namespace {

std::string Sitemap(const SiteConfig& c, const PageMap& map) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
  for (const Page& p : map.pages)
    xml += "  <url><loc>" + HtmlEscape(c.base_url + (p.url == HomeUrl() ? "" : p.url)) +
           "</loc></url>\n";
  return xml + "</urlset>\n";
}

}  // namespace

std::vector<OutputFile> RenderSite(const Site& site, const PageMap& map,
                                   const Templates& templates, int jobs) {
  std::vector<OutputFile> files(map.pages.size());
  ParallelFor(map.pages.size(), jobs, [&](size_t i) {
    const Page& p = map.pages[i];
    files[i].path = p.url;
    files[i].content =
        RenderPage(templates, KindInfo(p.kind).template_name, PageData(site, map, i));
  });
  files.push_back({NotFoundUrl(), RenderPage(templates, "404", NotFoundData(site, map))});
  files.push_back({".nojekyll", ""});
  if (!site.config.base_url.empty()) files.push_back({"sitemap.xml", Sitemap(site.config, map)});
  for (const auto& [path, content] : templates.assets) files.push_back({"assets/" + path, content});
  return files;
}

}  // namespace casebook
