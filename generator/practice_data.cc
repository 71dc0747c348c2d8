#include "practice_data.h"

#include "entry_data.h"
#include "text.h"

namespace casebook {

namespace {

Data Deck(const std::string& value, const std::string& label, size_t count) {
  Data d;
  Put(d, "value", Str(value));
  Put(d, "label", Str(label));
  Put(d, "count", Str(std::to_string(count)));
  return d;
}

// One step's or case study's questions as a group of the page's list.
Data Group(const std::string& id, const std::string& title, const std::string& url,
           const std::string& kind, const std::string& decks,
           const std::vector<Question>& questions, const std::vector<std::string>& keys) {
  Data list = List();
  for (size_t i = 0; i < questions.size(); ++i) {
    Data q;
    Put(q, "key", Str(keys[i]));
    Put(q, "q", Str(questions[i].question.Html()));
    Put(q, "a", Str(questions[i].answer.Html()));
    Put(q, "decks", Str(decks));
    list.push_back(q);
  }
  Data g;
  Put(g, "id", Str(id));
  Put(g, "title", Str(title));
  Put(g, "url", Str(url));
  Put(g, "kind", Str(kind));
  Put(g, "questions", list);
  return g;
}

// "45:6 60:7": a step's budget, for the mock interview's timer.
std::string BudgetText(const Step& s) {
  std::string text;
  for (const auto& [length, minutes] : s.budget)
    text += (text.empty() ? "" : " ") + std::to_string(length) + ":" + std::to_string(minutes);
  return text;
}

// Only with a mock interview: the page map gives the page the checklists'
// copies then alone.
void MockData(Data& d, const Site& site, const std::string& url) {
  Data lengths = List(), steps = List(), cases = List();
  Put(d, "has_mock", HasMock(site));
  Put(d, "mock_lengths", lengths);
  Put(d, "mock_steps", steps);
  Put(d, "mock_cases", cases);
  if (!HasMock(site)) return;
  for (const auto& [length, minutes] : MockLengths(site)) {
    Data l;
    Put(l, "minutes", Str(std::to_string(length)));
    Put(l, "steps_minutes", Str(std::to_string(minutes)));
    lengths.push_back(l);
  }
  for (size_t i = 0; i < site.steps.size(); ++i) {
    const Step& s = site.steps[i];
    Data step = StepSummary(site, i, url);
    Put(step, "id", Str(s.id));
    Put(step, "budget", Str(BudgetText(s)));
    static const std::vector<ChecklistItem> kNone;
    const auto& items = i < site.mock_checklists.size() ? site.mock_checklists[i] : kNone;
    Put(step, "checklist", LabelledChecklist(ShortChecklistData(items,
                                                                ChecklistScope(s),
                                                                RelativeUrl(url, StepUrl(s.id))),
                                             s.title));
    steps.push_back(step);
  }
  for (size_t ci : CaseOrder(site)) {
    const CaseStudy& c = site.cases[ci];
    std::string sections;
    for (int step : c.section_steps)
      if (step >= 0) sections += (sections.empty() ? "" : " ") + site.steps[static_cast<size_t>(step)].id;
    Data item = CaseSummary(c, url);
    Put(item, "id", Str(c.id));
    Put(item, "sections", Str(sections));
    cases.push_back(item);
  }
  Put(d, "mock_lengths", lengths);
  Put(d, "mock_steps", steps);
  Put(d, "mock_cases", cases);
}

}  // namespace

const std::string& PracticeShape() {
  static const std::string kShape =
      "total anki_url step_decks{value label count} case_decks{value label count} "
      "category_decks{value label count} groups{id title url kind questions{key q a decks}} "
      "has_mock mock_lengths{minutes steps_minutes} mock_steps{" + StepSummaryShape() +
      " id budget checklist{" + ShortChecklistShape() + "}} mock_cases{" + CaseSummaryShape() +
      " id sections}";
  return kShape;
}

void PracticeData(Data& d, const Site& site, const std::string& url) {
  Data step_decks = List(), case_decks = List(), category_decks = List(), groups = List();
  std::map<std::string, std::pair<std::string, size_t>> categories;  // slug -> name, count
  size_t total = 0;
  for (const QuestionGroup& g : QuestionGroups(site)) {
    const auto& copies = g.is_case ? site.practice.cases : site.practice.steps;
    if (g.index >= copies.size()) continue;
    const std::vector<Question>& questions = copies[g.index];
    std::string kind = g.is_case ? "case" : "step";
    std::string deck = kind + ":" + (g.is_case ? site.cases[g.index].id : site.steps[g.index].id);
    (g.is_case ? case_decks : step_decks).push_back(Deck(deck, g.title, questions.size()));
    std::string decks = deck;
    if (g.is_case) {
      auto& [name, count] = categories[g.category];
      name = site.cases[g.index].category;
      count += questions.size();
      decks += " category:" + g.category;
    }
    groups.push_back(Group("q-" + kind + "-" + deck.substr(kind.size() + 1), g.title,
                           RelativeUrl(url, g.url) + "#" + Generated("questions").anchor,
                           g.is_case ? "Case study" : "Step", decks, questions,
                           QuestionKeys(g.scope, *g.questions)));
    total += questions.size();
  }
  for (const auto& [slug, named] : categories)
    category_decks.push_back(Deck("category:" + slug, named.first, named.second));
  Put(d, "total", Str(std::to_string(total)));
  Put(d, "anki_url", Str(RelativeUrl(url, AnkiDeckUrl())));
  Put(d, "step_decks", step_decks);
  Put(d, "case_decks", case_decks);
  Put(d, "category_decks", category_decks);
  Put(d, "groups", groups);
  MockData(d, site, url);
}

}  // namespace casebook
