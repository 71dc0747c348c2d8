#include "render.h"

#include <gtest/gtest.h>

#include "markdown.h"

namespace casebook {
namespace {

Step OneItem(const std::string& text) {
  Step s;
  s.id = "clarify";
  ChecklistItem a;
  a.id = "goal";
  a.text.source = text;
  s.checklist.push_back(std::move(a));
  ChecklistItem b;
  b.id = "scale";
  b.text.source = "Estimate QPS.";
  s.checklist.push_back(std::move(b));
  return s;
}

std::string KeyOf(const TemplateData& d, size_t i) {
  return d.get("items")->list_value()[i].get("key")->string_value();
}

TEST(RenderTest, ChecklistKeysChangeOnlyWithTheirOwnText) {
  TemplateData before = ChecklistData(OneItem("State the goal.").checklist, "step/clarify");
  TemplateData after = ChecklistData(OneItem("State the business goal.").checklist, "step/clarify");
  EXPECT_EQ(KeyOf(before, 0).rfind("step/clarify/goal/", 0), 0u);
  EXPECT_NE(KeyOf(before, 0), KeyOf(after, 0));  // reworded: reset
  EXPECT_EQ(KeyOf(before, 1), KeyOf(after, 1));  // untouched: kept
  EXPECT_EQ(before.get("count")->string_value(), "2");
}

TEST(RenderTest, ChecklistKeysAreScopedToTheirPage) {
  TemplateData step = ChecklistData(OneItem("x").checklist, "step/clarify");
  TemplateData cs = ChecklistData(OneItem("x").checklist, "case/ads/clarify");
  EXPECT_NE(KeyOf(step, 0), KeyOf(cs, 0));
}

}  // namespace
}  // namespace casebook
