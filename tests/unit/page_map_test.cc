#include "page_map.h"

#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "site_index.h"
#include "test_util.h"
#include "text.h"

namespace casebook {
namespace {

TEST(PageMapTest, RelativeUrls) {
  EXPECT_EQ(RelativeUrl("index.html", "framework/a.html"), "framework/a.html");
  EXPECT_EQ(RelativeUrl("framework/a.html", "framework/b.html"), "b.html");
  EXPECT_EQ(RelativeUrl("framework/a.html", "cases/x.html"), "../cases/x.html");
  EXPECT_EQ(RelativeUrl("cases/x.html", "index.html"), "../index.html");
  EXPECT_EQ(RelativeUrl("about.html", "progress.html"), "progress.html");
  EXPECT_EQ(RootPrefix("glossary/ndcg.html"), "../");
  EXPECT_EQ(RootPrefix("index.html"), "");
}

// Two steps, two case studies (in categories out of alphabetical order),
// two terms, one free page: every kind of page once at least.
Site SmallSite() {
  Site site;
  site.config.title = "Mini";
  site.home.path = "pages/index.md";
  FreePage about;
  about.id = "about";
  about.title = "About";
  site.pages.push_back(std::move(about));
  for (auto [id, title] : {std::pair{"clarify", "Clarify"}, {"evaluate", "Evaluate"}}) {
    Step s;
    s.id = id;
    s.title = title;
    ChecklistItem item;
    item.id = "one";
    s.checklist.push_back(std::move(item));
    s.mistakes.resize(2);
    site.steps.push_back(std::move(s));
  }
  for (auto [id, category] : {std::pair{"zebra", "Vision"}, {"apple", "Search"}}) {
    CaseStudy c;
    c.id = id;
    c.title = id;
    c.category = category;
    c.checklists.resize(2);
    c.checklists[1].resize(1);
    c.scale.resize(1);
    c.failure_modes.resize(2);
    c.questions.resize(1);
    site.cases.push_back(std::move(c));
  }
  for (auto [id, category] : {std::pair{"recall", "B"}, {"auc", "A"}}) {
    Term t;
    t.id = id;
    t.term = id;
    t.category = category;
    site.terms.push_back(std::move(t));
  }
  return site;
}

TEST(PageMapTest, ListsEveryPageInReadingOrder) {
  Site site = SmallSite();
  PageMap map = BuildPageMap(site);
  std::vector<std::string> urls;
  for (const Page& p : map.pages) urls.push_back(p.url);
  EXPECT_EQ(urls, (std::vector<std::string>{
                      "index.html", "about.html", "framework/index.html",
                      "framework/clarify.html", "framework/evaluate.html", "cases/index.html",
                      "cases/compare.html", "cases/apple.html", "cases/zebra.html",
                      "glossary/index.html", "glossary/recall.html", "glossary/auc.html",
                      "practice.html", "progress.html", "sheets/framework.html",
                      "sheets/metrics.html", "sheets/apple.html", "sheets/zebra.html",
                      "practice/anki.txt"}));
  EXPECT_EQ(map.First(PageKind::kCompare).title, "Compare the case studies");
  EXPECT_EQ(map.pages[7].index, 1u);  // apple is cases[1]
}

TEST(PageMapTest, EveryFragmentSitsInItsSection) {
  Site site = SmallSite();
  PageMap map = BuildPageMap(site);
  const Page& step = map.pages[3];
  ASSERT_EQ(step.fragments.size(), 1u + 2u + 2u);  // body, text + why, two mistakes
  EXPECT_TRUE(step.fragments[0].is_body);
  EXPECT_EQ(step.fragments[0].fragment, &site.steps[0].body);
  EXPECT_EQ(step.fragments[1].anchor, "checklist");
  EXPECT_EQ(step.fragments[4].anchor, "mistakes");
  EXPECT_EQ(step.fragments[4].title, "Common mistakes");

  const Page& apple = map.pages[7];
  // body, one checklist item of step 2 (its short form alone: the case page
  // shows neither its text nor its why), one scale note, two failure modes
  // of three fields, one question and its answer.
  ASSERT_EQ(apple.fragments.size(), 1u + 1u + 1u + 6u + 2u);
  EXPECT_EQ(apple.fragments[1].anchor, "evaluate");  // a step section: the step id
  EXPECT_EQ(apple.fragments[1].title, "Evaluate");
  EXPECT_EQ(apple.fragments[1].fragment, &site.cases[1].checklists[1][0].brief);
  EXPECT_EQ(apple.fragments[2].anchor, "scale");
  EXPECT_EQ(apple.fragments[3].fragment, &site.cases[1].failure_modes[0].failure);
  EXPECT_EQ(apple.fragments[8].title, "Failure modes");
  EXPECT_EQ(apple.fragments[9].anchor, "questions");

  const Page& recall = map.pages[10];
  ASSERT_EQ(recall.fragments.size(), 3u);
  EXPECT_EQ(recall.own_term, 0);
  EXPECT_EQ(recall.fragments[0].anchor, "definition");
  EXPECT_EQ(recall.fragments[0].title, "");  // the lead: mentions name the page
  EXPECT_EQ(recall.body, nullptr);
  for (const Page& p : map.pages)
    for (const FragmentSlot& s : p.fragments) EXPECT_EQ(s.is_body, s.fragment == p.body) << p.url;
  std::vector<Fragment*> all = map.AllFragments();
  // ... and the framework sheet's own text of each step's checklist item
  // (the case sheets have no decisions, probes or failure-mode copies here).
  EXPECT_EQ(all.size(), 2u + 2 * 5 + 2 * 11 + 2 * 3 + 2);
  // Phases write fragments in parallel, page by page: none may be shared.
  EXPECT_EQ(std::set<Fragment*>(all.begin(), all.end()).size(), all.size());
  EXPECT_EQ(map.nav, (std::vector<size_t>{2, 5, 9, 12, 13}));  // ... practice, progress
  EXPECT_EQ(map.First(PageKind::kGlossary).url, "glossary/index.html");
  EXPECT_EQ(map.case_ids.at("apple"), 1u);
}

// With questions there is a practice page (after the glossary, in the
// navigation, outside the sequence) and an Anki deck; a free page that
// already had the name keeps it.
TEST(PageMapTest, QuestionsBringThePracticePageAndTheDeck) {
  Site site = SmallSite();
  site.cases[0].questions.resize(2);
  site.practice.cases.resize(2);
  site.practice.cases[0].resize(2);
  PageMap map = BuildPageMap(site);
  const Page& practice = map.First(PageKind::kPractice);
  EXPECT_EQ(practice.url, "practice.html");
  EXPECT_EQ(practice.fragments.size(), 4u);  // the copies' questions and answers
  EXPECT_EQ(practice.fragments[0].fragment, &site.practice.cases[0][0].question);
  EXPECT_EQ(practice.fragments[0].origin_url, CaseUrl(site.cases[0].id));
  EXPECT_EQ(map.First(PageKind::kAnkiDeck).url, "practice/anki.txt");
  EXPECT_EQ(map.nav.size(), 5u);
  EXPECT_EQ(map.views.count("practice.html"), 1u);
  site.pages.push_back({"practice", "pages/practice.md", "Practice notes", "", {}});
  EXPECT_EQ(PracticeUrl(site), "practice/index.html");
}

// Categories whose names slug alike, or to nothing, still get apart.
TEST(PageMapTest, CategorySlugsAreAsciiAndUnique) {
  Site site = SmallSite();
  site.cases[0].category = "C++";
  site.cases[1].category = "C#";
  std::map<std::string, std::string> slugs = CategorySlugs(site);
  EXPECT_EQ(slugs.size(), 2u);
  EXPECT_NE(slugs["C++"], slugs["C#"]);
  site.cases[0].category = "Search\u00a0ranking";
  site.cases[1].category = "\u00e9\u00e9";
  slugs = CategorySlugs(site);
  for (const auto& [name, slug] : slugs) {
    EXPECT_FALSE(slug.empty()) << name;
    EXPECT_EQ(slug.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"), std::string::npos)
        << slug;
  }
}

TEST(PageMapTest, KindsAreListedInTheOrderOfTheEnum) {
  // KindInfo() indexes PageKinds() by the enum's value.
  for (size_t i = 0; i < PageKinds().size(); ++i)
    EXPECT_EQ(static_cast<size_t>(PageKinds()[i].kind), i) << i;
  EXPECT_EQ(PageKinds().size(), static_cast<size_t>(PageKind::kAnkiDeck) + 1);
}

// The cheat sheets are views: outside the reading sequence, in the sitemap
// (map.pages), and holding only their own fragments.
TEST(PageMapTest, SheetsAreViewsWithTheirOwnFragments) {
  Site site = SmallSite();
  CaseStudy& apple = site.cases[1];
  apple.sheet.decisions.push_back({"evaluate", {}, {}});
  apple.sheet.decisions[0].items.resize(2);
  apple.sheet.probes.resize(3);
  apple.sheet_failures.resize(1);
  PageMap map = BuildPageMap(site);
  for (const Page& p : map.pages) {
    bool sheet = p.url.rfind("sheets/", 0) == 0;
    bool view = sheet || p.kind == PageKind::kPractice || p.kind == PageKind::kAnkiDeck;
    EXPECT_EQ(KindInfo(p.kind).in_sequence, !view) << p.url;
    EXPECT_EQ(map.views.count(p.url), view ? 1u : 0u) << p.url;
    if (sheet) {
      EXPECT_EQ(p.body, nullptr) << p.url;
      EXPECT_EQ(p.source, "") << p.url;  // links to a file never land on a sheet
    }
  }
  const Page& sheet = map.pages[16];
  ASSERT_EQ(sheet.url, "sheets/apple.html");
  // Its fields were written in the case study's file: links resolve there.
  EXPECT_EQ(sheet.fragments[0].origin_url, "cases/apple.html");
  EXPECT_EQ(sheet.fragments[0].origin_source, site.cases[1].path);
  EXPECT_EQ(sheet.kind, PageKind::kCaseSheet);
  EXPECT_EQ(sheet.index, 1u);
  ASSERT_EQ(sheet.fragments.size(), 2u + 2u + 3u);  // decisions, failure and fix, probes
  EXPECT_EQ(sheet.fragments[0].fragment, &apple.sheet.decisions[0].items[0]);
  EXPECT_EQ(sheet.fragments[0].anchor, "decisions-title");
  EXPECT_EQ(sheet.fragments[2].fragment, &apple.sheet_failures[0].failure);
  EXPECT_EQ(sheet.fragments[3].fragment, &apple.sheet_failures[0].mitigation);
  EXPECT_EQ(sheet.fragments[6].anchor, "probes-title");
  const Page& framework = map.First(PageKind::kFrameworkSheet);
  ASSERT_EQ(framework.fragments.size(), 2u);
  EXPECT_EQ(framework.fragments[0].fragment, &site.steps[0].checklist[0].brief);
  EXPECT_EQ(framework.fragments[0].anchor, "step-" + std::to_string(site.steps[0].number));
  EXPECT_EQ(map.First(PageKind::kMetricsSheet).fragments.size(), 0u);
  std::vector<Fragment*> all = map.AllFragments();
  EXPECT_EQ(std::set<Fragment*>(all.begin(), all.end()).size(), all.size());
}

TEST(PageMapDeathTest, AFragmentThatWasNeverLinkedCannotBeShown) {
  Fragment forgotten;
  forgotten.source = "Text.";
  forgotten.at = {"content/case-studies/x.md", 12, 3};
  EXPECT_DEATH(forgotten.Html(), "x.md:12 is shown but was never linked; add it to its page");
}

TEST(PageMapTest, ChecklistKeys) {
  Step s;
  s.id = "clarify";
  ChecklistItem item;
  item.id = "goal";
  item.text.source = "State the goal.";
  CaseStudy c;
  c.id = "ads";
  EXPECT_EQ(ChecklistScope(s), "step/clarify");
  EXPECT_EQ(ChecklistScope(c, s), "case/ads/clarify");
  EXPECT_EQ(ChecklistKey("step/clarify", item), "step/clarify/goal/" + ShortHash("State the goal."));
}

// Every id a template writes itself is reserved, so that no heading of the
// content takes it (ids ending in -title are made unique otherwise).
TEST(PageMapTest, TheTemplatesOwnIdsAreReserved) {
  std::set<std::string> reserved(ReservedAnchors().begin(), ReservedAnchors().end());
  reserved.insert(PracticeAnchors().begin(), PracticeAnchors().end());  // practice.html's own
  int seen = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::SourceDir() + "/templates")) {
    if (e.path().extension() != ".html") continue;
    std::string text = test::ReadFile(e.path().string());
    for (size_t at = 0; (at = text.find(" id=\"", at)) != std::string::npos;) {
      at += 5;
      std::string id = text.substr(at, text.find('"', at) - at);
      if (id.find("{{") != std::string::npos) continue;  // made from data
      ++seen;
      bool title = id.size() > 6 && id.compare(id.size() - 6, 6, "-title") == 0;
      EXPECT_TRUE(title || reserved.count(id)) << e.path() << ": id '" << id << "' is not reserved";
    }
  }
  EXPECT_GT(seen, 20);
}

// The comparison page and the "used in" lists link to these sections of a
// case page; the case template must have each of them.
TEST(PageMapTest, TheCaseTemplateHasTheSectionsThatLinksPointTo) {
  std::string text = test::ReadFile(test::SourceDir() + "/templates/case.html");
  for (const char* anchor : {"metrics", "scale", "failure-modes", "questions"})
    EXPECT_NE(text.find(std::string("id=\"") + Generated(anchor).anchor + "\""), std::string::npos)
        << anchor;
}

}  // namespace
}  // namespace casebook
