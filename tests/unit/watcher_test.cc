// The inotify watcher on real folders: edits, new folders watched as they
// appear, an atomic save as one batch, editor droppings ignored, a root
// removed and recreated. Every wait is bounded.
#include "watcher.h"

#include <algorithm>
#include <filesystem>

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool Has(const WatchBatch& b, const std::string& suffix) {
  return std::any_of(b.paths.begin(), b.paths.end(),
                     [&](const std::string& p) { return p.ends_with(suffix); });
}

TEST(Watcher, SeesEditsAndWatchesNewFolders) {
  test::TempDir dir;
  fs::create_directories(dir / "root/pages");
  std::string error;
  auto w = Watcher::Create({dir / "root"}, &error);
  ASSERT_TRUE(w) << error;
  EXPECT_EQ(w->watched(), 2u);
  WatchBatch b;
  EXPECT_FALSE(w->Wait(50ms, &b)) << "nothing happened yet";

  test::WriteFile(dir / "root/pages/a.md", "x");
  ASSERT_TRUE(w->Wait(2000ms, &b));
  EXPECT_TRUE(b.relevant);
  EXPECT_TRUE(Has(b, "root/pages/a.md"));

  // Two levels at once: the inner one exists before the outer is watched.
  fs::create_directories(dir / "root/new/deeper");
  ASSERT_TRUE(w->Wait(2000ms, &b));
  EXPECT_EQ(w->watched(), 4u);
  test::WriteFile(dir / "root/new/deeper/b.md", "y");
  ASSERT_TRUE(w->Wait(2000ms, &b));
  EXPECT_TRUE(Has(b, "root/new/deeper/b.md"));
}

TEST(Watcher, AnAtomicSaveIsOneBatchAndEditorFilesAreNotRelevant) {
  test::TempDir dir;
  fs::create_directories(dir / "root");
  std::string error;
  auto w = Watcher::Create({dir / "root"}, &error);
  ASSERT_TRUE(w) << error;
  WatchBatch b;

  test::WriteFile(dir / "root/.a.md.swp", "swap");
  test::WriteFile(dir / "root/a.md~", "backup");
  test::WriteFile(dir / "root/4913", "");
  ASSERT_TRUE(w->Wait(2000ms, &b));
  EXPECT_FALSE(b.relevant) << b.paths.size();

  test::WriteFile(dir / "root/.a.md.tmp", "new");
  fs::rename(dir / "root/.a.md.tmp", dir / "root/a.md");
  ASSERT_TRUE(w->Wait(2000ms, &b));
  EXPECT_TRUE(b.relevant);
  EXPECT_TRUE(Has(b, "root/a.md"));
  EXPECT_FALSE(w->Wait(50ms, &b)) << "the save was one batch";
}

TEST(Watcher, ARootRemovedAndRecreatedIsWatchedAgain) {
  test::TempDir dir;
  fs::create_directories(dir / "root/sub");
  std::string error;
  auto w = Watcher::Create({dir / "root"}, &error);
  ASSERT_TRUE(w) << error;
  WatchBatch b;
  fs::remove_all(dir / "root");
  ASSERT_TRUE(w->Wait(2000ms, &b));
  EXPECT_TRUE(b.relevant);
  while (w->Wait(50ms, &b)) {
  }
  EXPECT_EQ(w->watched(), 0u);

  fs::create_directories(dir / "root");
  ASSERT_TRUE(w->Wait(2000ms, &b));
  EXPECT_TRUE(b.overflow && b.relevant) << "a new root: rebuild everything";
  test::WriteFile(dir / "root/c.md", "z");
  ASSERT_TRUE(w->Wait(2000ms, &b));
  EXPECT_TRUE(Has(b, "root/c.md"));
}

TEST(Watcher, AMissingRootIsAnError) {
  test::TempDir dir;
  std::string error;
  EXPECT_FALSE(Watcher::Create({dir / "nowhere"}, &error));
  EXPECT_NE(error.find("nowhere: cannot watch"), std::string::npos) << error;
}

TEST(Watcher, EditorTemporaryNames) {
  for (const char* t : {".a.md.swp", "a.md~", "4913", ".#a.md", "a.md.swx", ""})
    EXPECT_TRUE(IsEditorTemporary(t)) << t;
  for (const char* real : {"a.md", "glossary.yaml", "page.html", "4914"})
    EXPECT_FALSE(IsEditorTemporary(real)) << real;
}

}  // namespace
}  // namespace casebook
