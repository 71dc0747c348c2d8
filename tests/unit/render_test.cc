// Render tests per page kind: the data each kind gives its template, taken
// from a real linked site (the golden fixture and the guide itself).
#include "render.h"

#include <gtest/gtest.h>

#include "build.h"
#include "entry_data.h"
#include "page_data.h"
#include "test_util.h"
#include "text.h"

namespace casebook {
namespace {

// Every name `shape` declares is present in `data`, at every depth; lists
// are checked item by item. Returns the missing paths.
void Missing(const DataShape& shape, const TemplateData& data, const std::string& path,
             std::vector<std::string>& out) {
  if (data.is_list()) {
    for (const TemplateData& item : data.list_value()) Missing(shape, item, path, out);
    return;
  }
  if (!data.is_object()) return;  // false: an absent optional part
  for (const DataShape& f : shape.fields) {
    const TemplateData* v = data.get(f.name);
    if (!v) out.push_back(path + f.name);
    else if (!f.fields.empty()) Missing(f, *v, path + f.name + ".", out);
  }
}

class RenderedSite : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    linked_ = LinkContent(test::SourceDir() + "/" + GetParam(), "", 2, diags_);
    ASSERT_FALSE(diags_.has_errors()) << test::FormatAll(diags_);
  }
  const Site& site() const { return linked_->site; }
  const PageMap& map() const { return linked_->map; }
  TemplateData Data(PageKind kind, size_t nth = 0) const {
    for (size_t i = 0; i < map().pages.size(); ++i)
      if (map().pages[i].kind == kind && nth-- == 0) return PageData(site(), map(), i);
    ADD_FAILURE() << "no such page";
    return {};
  }
  Diagnostics diags_;
  std::unique_ptr<LinkedSite> linked_;
};

TEST_P(RenderedSite, EveryPageHasAllOfItsShape) {
  std::set<PageKind> seen;
  for (size_t i = 0; i < map().pages.size(); ++i) {
    const Page& p = map().pages[i];
    seen.insert(p.kind);
    if (!IsWebPage(p.kind)) continue;  // the Anki deck has no template
    std::vector<std::string> missing;
    Missing(TemplateShapes().at(KindInfo(p.kind).template_name), PageData(site(), map(), i), "",
            missing);
    EXPECT_TRUE(missing.empty()) << p.url << " lacks " << testing::PrintToString(missing);
  }
  EXPECT_EQ(seen.size(), PageKinds().size());  // the fixture has every kind
}

TEST_P(RenderedSite, HomeAndCaseIndexLinkToTheComparison) {
  EXPECT_EQ(Data(PageKind::kHome).get("compare")->get("url")->string_value(),
            "cases/compare.html");
  EXPECT_EQ(Data(PageKind::kCases).get("compare")->get("url")->string_value(), "compare.html");
}

TEST_P(RenderedSite, CasePagesCarryTheirStepsChecklists) {
  TemplateData d = Data(PageKind::kCase);
  const auto& sections = d.get("sections")->list_value();
  ASSERT_FALSE(sections.empty());
  const TemplateData* step = sections[0].get("step");
  ASSERT_TRUE(step && step->is_object());
  std::string scope = step->get("checklist")->get("scope")->string_value();
  EXPECT_EQ(scope.rfind("case/", 0), 0u) << scope;
  EXPECT_EQ(d.get("breadcrumbs")->list_value().back().get("title")->string_value(), "Case studies");
}

TEST_P(RenderedSite, TermPagesListTheCaseStudiesThatUseThemAsMetrics) {
  for (const CaseStudy& c : site().cases)
    for (const IdRef& r : c.offline_metrics) {
      const std::vector<Mention>& uses = site().mentions.at(r.id);
      std::string url = CaseUrl(c.id) + "#metrics";
      EXPECT_TRUE(std::any_of(uses.begin(), uses.end(),
                              [&](const Mention& m) { return m.url() == url && m.use; }))
          << r.id;
    }
}

TEST_P(RenderedSite, NavigationListsTheSectionIndexes) {
  TemplateData term = Data(PageKind::kTerm);
  const auto& nav = term.get("nav")->list_value();
  std::vector<std::string> titles;
  for (const TemplateData& item : nav) titles.push_back(item.get("title")->string_value());
  EXPECT_EQ(titles, (std::vector<std::string>{"Framework", "Case studies", "Glossary", "Practice",
                                              "Progress"}));
  EXPECT_TRUE(nav[2].get("current")->is_true());  // a term page is in the glossary
}

TEST_P(RenderedSite, ProgressCountsEveryChecklist) {
  size_t total = 0;
  for (const Step& s : site().steps) total += s.checklist.size();
  for (const CaseStudy& c : site().cases)
    for (int s : c.section_steps)
      if (s >= 0) total += site().steps[static_cast<size_t>(s)].checklist.size();
  EXPECT_EQ(Data(PageKind::kProgress).get("total")->string_value(), std::to_string(total));
}

// A sheet is a view: no previous / next of its own, and no page of the
// sequence leads to one; its breadcrumbs go through its case study.
TEST_P(RenderedSite, CheatSheetsStayOutOfTheReadingSequence) {
  for (size_t i = 0; i < map().pages.size(); ++i) {
    const Page& p = map().pages[i];
    if (!IsWebPage(p.kind)) continue;
    TemplateData d = PageData(site(), map(), i);
    bool sheet = !KindInfo(p.kind).in_sequence;
    for (const char* link : {"prev", "next"}) {
      const TemplateData* to = d.get(link);
      if (sheet) {
        EXPECT_FALSE(to->is_object()) << p.url << " " << link;
      } else if (to->is_object()) {
        EXPECT_EQ(to->get("url")->string_value().find("sheets/"), std::string::npos) << p.url;
      }
    }
  }
  EXPECT_FALSE(Data(PageKind::kProgress).get("next")->is_object());  // the last chapter
  TemplateData sheet = Data(PageKind::kCaseSheet);
  const auto& crumbs = sheet.get("breadcrumbs")->list_value();
  ASSERT_EQ(crumbs.size(), 3u);
  EXPECT_EQ(crumbs[1].get("title")->string_value(), "Case studies");
  EXPECT_EQ(crumbs[2].get("url")->string_value().rfind("../cases/", 0), 0u);
}

TEST_P(RenderedSite, CaseCheatSheetsShowTheFirstFailureModesAndFallBackToTheSummary) {
  size_t n = 0;
  for (size_t ci : CaseOrder(site())) {
    const CaseStudy& c = site().cases[ci];
    TemplateData d = Data(PageKind::kCaseSheet, n++);
    EXPECT_EQ(d.get("failure_modes")->list_value().size(),
              std::min<size_t>(3, c.failure_modes.size())) << c.id;
    std::string problem = c.sheet.problem.empty() ? c.summary : c.sheet.problem;
    EXPECT_EQ(d.get("problem")->string_value(), problem) << c.id;
    EXPECT_EQ(d.get("has_decisions")->is_true(), !c.sheet.decisions.empty()) << c.id;
  }
}

TEST_P(RenderedSite, TermPagesLeaveCheatSheetsOutOfTheirUses) {
  size_t uses = 0;
  for (size_t n = 0; n < site().terms.size(); ++n) {
    TemplateData term = Data(PageKind::kTerm, n);
    // used_in is the list's <li> items, already rendered (UsedInItems).
    const TemplateData* used = term.get("used_in");
    ASSERT_NE(used, nullptr);
    if (!used->is_string()) continue;  // false: no uses
    const std::string& items = used->string_value();
    EXPECT_EQ(items.find("sheets/"), std::string::npos);
    for (size_t at = items.find("<li>"); at != std::string::npos; at = items.find("<li>", at + 1))
      ++uses;
  }
  EXPECT_GT(uses, 0u);  // there were uses to check
}

// The text a reader sees in `html`: tags and tooltips left out (entities
// stay, alike in everything compared).
std::string VisibleText(const std::string& html) {
  std::string out;
  const std::string tip = "<span class=\"tip\"";
  for (size_t i = 0; i < html.size();) {
    if (html.compare(i, tip.size(), tip) == 0) {
      i = html.find("</span>", i) + 7;  // a tip holds escaped text only
    } else if (html[i] == '<') {
      i = html.find('>', i) + 1;
    } else {
      out += html[i++];
    }
  }
  return out;
}

// Each case page shows every step's checklist in short form, folded: the
// same keys as the full form (so ticks carry over), no "why" (the step page
// has it), and little markup per item. Rendered through the real templates.
TEST_P(RenderedSite, CasePagesShowShortChecklistsWithTheSameKeys) {
  Diagnostics d;
  Templates templates = LoadTemplates(test::SourceDir() + "/templates", RenderShapes(), d);
  ASSERT_FALSE(d.has_errors()) << test::FormatAll(d);
  std::map<std::string, std::string> files;
  for (OutputFile& f : RenderSite(site(), map(), templates, nullptr, 2)) files[f.path] = f.content;
  const std::string open = "<section class=\"case-checklist\"";
  for (const CaseStudy& c : site().cases) {
    const std::string& html = files.at(CaseUrl(c.id));
    EXPECT_EQ(html.find("class=\"why\""), std::string::npos) << c.id;
    std::string text = VisibleText(html);
    size_t items = 0, whys = 0, lists = 0, checklist_bytes = 0, own_bytes = 0;
    for (int step : c.section_steps) {
      if (step < 0) continue;
      const Step& s = site().steps[static_cast<size_t>(step)];
      std::string scope = ChecklistScope(c, s);
      size_t begin = html.find(open + " id=\"" + scope + "-title\"");
      ASSERT_NE(begin, std::string::npos) << c.id << ": no folded checklist for " << s.id;
      size_t end = html.find("</section>", begin);
      std::string block = html.substr(begin, end - begin);
      EXPECT_NE(block.find("<details>"), std::string::npos) << scope << " is folded";
      EXPECT_NE(block.find("aria-label=\"Checklist: " + HtmlEscape(s.title) + "\""),
                std::string::npos) << scope;
      ++lists;
      checklist_bytes += block.size();
      for (const ChecklistItem& item : s.checklist) {
        // The key the step's own item gives under this case's scope, once.
        std::string attr = "data-key=\"" + ChecklistKey(scope, item) + "\"";
        size_t at = html.find(attr);
        EXPECT_NE(at, std::string::npos) << attr;
        EXPECT_EQ(html.find(attr, at + 1), std::string::npos) << attr << " twice";
        EXPECT_GE(at, begin);
        EXPECT_LT(at, end) << attr << " outside its checklist";
        own_bytes += attr.size() + (item.brief.empty() ? item.text : item.brief).Html().size();
        ++items;
        if (item.why.empty()) continue;
        ++whys;
        std::string why = Trim(VisibleText(item.why.Html()));
        EXPECT_EQ(text.find(why), std::string::npos) << c.id << " repeats the why of " << item.id;
      }
    }
    ASSERT_GT(items, 0u);
    EXPECT_GT(whys, 0u);  // there were reasons that could have been repeated
    // Beyond each item's key and text: a list item, a label and a box per
    // item, and a summary, a link and a button per checklist. (The full form
    // spent some 200 bytes of markup per item, its text and why aside.)
    EXPECT_LE(checklist_bytes - own_bytes, 80 * items + 800 * lists)
        << c.id << ": " << checklist_bytes << " bytes for " << items << " items";
  }
}

INSTANTIATE_TEST_SUITE_P(Sites, RenderedSite, testing::Values("tests/golden/basic/content", "content"),
                         [](const testing::TestParamInfo<std::string>& p) {
                           return p.param == "content" ? std::string("Guide") : std::string("Golden");
                         });

}  // namespace
}  // namespace casebook
