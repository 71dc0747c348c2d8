// The YAML reader and the schema readers: any bytes as front matter, read
// as each kind of content.
#include "front_matter.h"
#include "fuzz_util.h"
#include "yaml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace casebook;
  Diagnostics diags;
  std::optional<YamlNode> root = ParseYaml(fuzz::AsText(data, size), "f.yaml", 1, diags);
  if (!root) return 0;
  if (root->kind == YamlNode::Kind::kMap) {
    SiteConfig config;
    ReadSiteConfig(*root, config, diags);
    FreePage page;
    ReadFreePage(*root, page, diags);
    Step step;
    ReadStep(*root, step, diags);
    CaseStudy cs;
    ReadCase(*root, cs, diags);
    Term term;
    ReadTerm(*root, term, diags);
  }
  if (root->kind == YamlNode::Kind::kSequence)
    for (const YamlNode& item : root->items)
      if (item.kind == YamlNode::Kind::kMap) {
        Term term;
        ReadTerm(item, term, diags);
      }
  return 0;
}
