#include "writer.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

namespace fs = std::filesystem;

std::vector<OutputFile> Files(const std::string& tag) {
  return {{"index.html", "home " + tag}, {"cases/a.html", "a " + tag}, {".nojekyll", ""}};
}

TEST(WriterTest, WritesAFreshFolderWithAManifest) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(CheckOutputFolder(out, {}, d));
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d)) << test::FormatAll(d);
  auto tree = test::ReadTree(out);
  EXPECT_EQ(tree.size(), 4u);
  EXPECT_EQ(tree["cases/a.html"], "a 1");
  EXPECT_EQ(tree[".casebook-manifest"],
            "# casebook output: files written by casebook\n.nojekyll\ncases/a.html\nindex.html\n");
  // Only the site is left beside it: no staging folder.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(WriterTest, ReplacesItsOwnSiteAndDropsStaleFiles) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
  std::vector<OutputFile> next = {{"index.html", "home 2"}};
  ASSERT_TRUE(CheckOutputFolder(out, {}, d));
  ASSERT_TRUE(WriteSite(out, {}, next, d)) << test::FormatAll(d);
  auto tree = test::ReadTree(out);
  EXPECT_EQ(tree.size(), 2u);
  EXPECT_EQ(tree["index.html"], "home 2");
  EXPECT_FALSE(fs::exists(out + "/cases"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(WriterTest, RefusesAFolderItDidNotCreate) {
  test::TempDir dir;
  test::WriteFile(dir / "docs/notes.txt", "mine");
  Diagnostics d;
  EXPECT_FALSE(CheckOutputFolder(dir / "docs", {}, d));
  EXPECT_NE(test::FormatAll(d).find("refusing to write into '" + (dir / "docs") +
                                    "': it is not empty and casebook did not create it"),
            std::string::npos);
  EXPECT_EQ(test::ReadFile(dir / "docs/notes.txt"), "mine");
}

TEST(WriterTest, RefusesItsOwnFolderWhenItHoldsForeignFiles) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
  test::WriteFile(out + "/CNAME", "example.org");
  EXPECT_FALSE(CheckOutputFolder(out, {}, d));
  EXPECT_NE(test::FormatAll(d).find(out + "/CNAME: error: not written by casebook"), std::string::npos);
  EXPECT_EQ(test::ReadFile(out + "/CNAME"), "example.org");
}

TEST(WriterTest, RefusesAnEmptyOutputPath) {
  Diagnostics d;
  EXPECT_FALSE(CheckOutputFolder("", {}, d));
  EXPECT_EQ(test::FormatAll(d), "error: --out must name a folder\n");
}

TEST(WriterTest, RefusesToOverlapTheInputs) {
  test::TempDir dir;
  fs::create_directories(dir / "content/sub");
  Diagnostics d;
  EXPECT_FALSE(CheckOutputFolder(dir / "content", {dir / "content"}, d));
  EXPECT_FALSE(CheckOutputFolder(dir / "content/sub", {dir / "content"}, d));
  EXPECT_FALSE(CheckOutputFolder(dir.path(), {dir / "content"}, d));
  EXPECT_TRUE(CheckOutputFolder(dir / "site", {dir / "content"}, d));
  EXPECT_EQ(d.errors(), 3);
}

// "link/../content" is "content" to the author but, after the link, some
// other folder to the kernel. The check once followed the kernel and the
// write the author, so the site went into the content it had not checked.
TEST(WriterTest, RefusesAnOutputThatMeansAnInputThroughALink) {
  test::TempDir dir;
  fs::create_directories(dir / "content/media");
  fs::create_directories(dir / "elsewhere/sub");
  ASSERT_EQ(symlink("elsewhere/sub", (dir / "link").c_str()), 0);
  std::string out = dir / "link/../content/media/new";
  std::vector<std::string> inputs = {dir / "content"};
  Diagnostics d;
  EXPECT_FALSE(CheckOutputFolder(out, inputs, d));
  EXPECT_EQ(test::FormatAll(d), out + ": error: refusing to write the site into '" + out +
                                    "': it overlaps the input folder '" + inputs[0] + "'\n");
  Diagnostics d2;
  EXPECT_FALSE(WriteSite(out, inputs, Files("1"), d2));
  EXPECT_EQ(d2.errors(), 1);
  EXPECT_FALSE(fs::exists(dir / "content/media/new"));
  EXPECT_FALSE(fs::exists(dir / "elsewhere/content"));
  EXPECT_TRUE(fs::is_empty(dir / "content/media"));
}

// Where a link leads, the kernel's reading is the folder written; it is
// also the folder checked.
TEST(WriterTest, RefusesAnOutputThatIsAnInputThroughALink) {
  test::TempDir dir;
  fs::create_directories(dir / "content/media");
  ASSERT_EQ(symlink("content/media", (dir / "link").c_str()), 0);
  Diagnostics d;
  EXPECT_FALSE(CheckOutputFolder(dir / "link/new", {dir / "content"}, d));
  EXPECT_FALSE(WriteSite(dir / "link/new", {dir / "content"}, Files("1"), d));
  EXPECT_EQ(d.errors(), 2);
  EXPECT_TRUE(fs::is_empty(dir / "content/media"));
}

TEST(WriterTest, AFailedWriteLeavesThePreviousSite) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
  auto before = test::ReadTree(out);
  // Two files at one path: the second write fails part-way through.
  std::vector<OutputFile> broken = {{"a.html", "x"}, {"a.html/b.html", "y"}};
  Diagnostics d2;
  EXPECT_FALSE(WriteSite(out, {}, broken, d2));
  EXPECT_TRUE(d2.has_errors());
  EXPECT_EQ(test::ReadTree(out), before);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace casebook

namespace casebook {
namespace {

// A manifest is only trusted for plain relative paths: an edited one must
// not make casebook delete files outside its folder.
TEST(WriterTest, RefusesAnEditedManifestThatPointsOutside) {
  for (const char* entry : {"../victim.txt", "/tmp/victim.txt", "a/../../victim.txt", "a//b"}) {
    test::TempDir dir;
    Diagnostics d;
    std::string out = dir / "site";
    ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
    test::WriteFile(dir / "victim.txt", "precious");
    std::ofstream(out + "/.casebook-manifest", std::ios::app) << entry << "\n";
    EXPECT_FALSE(CheckOutputFolder(out, {}, d)) << entry;
    EXPECT_NE(test::FormatAll(d).find("the manifest lists '" + std::string(entry) + "'"), std::string::npos)
        << test::FormatAll(d);
    EXPECT_EQ(test::ReadFile(dir / "victim.txt"), "precious");
  }
}

TEST(WriterTest, RefusesFoldersItDidNotMake) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
  fs::create_directories(out + "/drafts");
  EXPECT_FALSE(CheckOutputFolder(out, {}, d));
  EXPECT_NE(test::FormatAll(d).find(out + "/drafts: error: not written by casebook"), std::string::npos);
  EXPECT_TRUE(fs::is_directory(out + "/drafts"));
}

TEST(WriterTest, AFileAddedDuringTheBuildStopsTheSwap) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
  ASSERT_TRUE(CheckOutputFolder(out, {}, d));
  test::WriteFile(out + "/NOTES.txt", "mine");  // after the check, before the write
  EXPECT_FALSE(WriteSite(out, {}, Files("2"), d));
  EXPECT_EQ(test::ReadFile(out + "/NOTES.txt"), "mine");
  EXPECT_EQ(test::ReadFile(out + "/index.html"), "home 1");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace casebook

namespace casebook {
namespace {

size_t EntriesIn(const std::string& dir) {
  return static_cast<size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

// fs::relative follows links, so a link to a file casebook wrote used to
// pass for that file, and was then moved into a staging folder for good.
TEST(WriterTest, ALinkIsNeverCasebooksWhateverItPointsTo) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
  ASSERT_EQ(symlink((out + "/index.html").c_str(), (out + "/home.html").c_str()), 0);
  ASSERT_EQ(symlink("cases", (out + "/all-cases").c_str()), 0);
  EXPECT_FALSE(CheckOutputFolder(out, {}, d));
  EXPECT_EQ(test::FormatAll(d),
            out + "/all-cases: error: not written by casebook (a symbolic link); move it out of '" +
                out + "' (casebook never deletes files it did not create)\n" + out +
                "/home.html: error: not written by casebook (a symbolic link); move it out of '" +
                out + "' (casebook never deletes files it did not create)\n");
  // Nor does the swap take them: the old site stays, links and all.
  Diagnostics d2;
  EXPECT_FALSE(WriteSite(out, {}, Files("2"), d2));
  EXPECT_EQ(test::ReadFile(out + "/home.html"), "home 1");
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
}

// A link at a name the manifest lists (the user replaced a page by a link
// to their own file) is not the page casebook wrote either.
TEST(WriterTest, ALinkAtAListedNameIsForeign) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
  test::WriteFile(dir / "mine.html", "precious");
  fs::remove(out + "/index.html");
  ASSERT_EQ(symlink((dir / "mine.html").c_str(), (out + "/index.html").c_str()), 0);
  EXPECT_FALSE(CheckOutputFolder(out, {}, d));
  EXPECT_NE(test::FormatAll(d).find(out + "/index.html: error: not written by casebook (a symbolic link)"),
            std::string::npos) << test::FormatAll(d);
  // A linked manifest is not casebook's manifest.
  test::TempDir dir2;
  std::string out2 = dir2 / "site";
  ASSERT_TRUE(WriteSite(out2, {}, Files("1"), d));
  fs::rename(out2 + "/.casebook-manifest", dir2 / "manifest");
  ASSERT_EQ(symlink((dir2 / "manifest").c_str(), (out2 + "/.casebook-manifest").c_str()), 0);
  Diagnostics d2;
  EXPECT_FALSE(CheckOutputFolder(out2, {}, d2));
  EXPECT_NE(test::FormatAll(d2).find("casebook writes its manifest as a file"), std::string::npos)
      << test::FormatAll(d2);
  EXPECT_EQ(test::ReadFile(dir / "mine.html"), "precious");
}

// RLIMIT_FSIZE stops write(2) part-way through a file (EFBIG), as a full
// disk does (ENOSPC), and works for root, unlike permissions.
TEST(WriterTest, AWriteThatFailsPartWayLeavesNoStagingFolder) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
  auto before = test::ReadTree(out);
  std::vector<OutputFile> next = {
      {"a/b/small.html", "x"}, {"a/big.html", std::string(64 * 1024, 'x')}, {"z.html", "z"}};
  struct rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  struct rlimit small = saved;
  small.rlim_cur = 4096;
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  Diagnostics d2;
  bool ok = WriteSite(out, {}, next, d2);
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(ok);
  std::string msg = test::FormatAll(d2);
  EXPECT_NE(msg.find("/a/big.html: error: cannot write: " + std::string(std::strerror(EFBIG))),
            std::string::npos) << msg;
  EXPECT_EQ(test::ReadTree(out), before);
  EXPECT_EQ(EntriesIn(dir.path()), 1u);  // the staging folder, partial file and all, is gone
}

// A streamed file is its pieces in order; a stream that fails part way
// fails the Commit, and the previous site stays.
TEST(WriterTest, AStreamedFileIsItsPiecesAndItsFailureStopsTheSwap) {
  test::TempDir dir;
  std::string out = dir / "site";
  Diagnostics d;
  {
    SiteWriter writer(out, {});
    ASSERT_TRUE(writer.Open(d));
    writer.Add("index.html", "home");
    {
      std::unique_ptr<SiteWriter::Stream> s = writer.OpenStream("print/all.html");
      for (const char* piece : {"<p>", "one", "", "two", "</p>"}) s->Append(piece);
    }  // closed by its destructor
    ASSERT_TRUE(writer.Commit(d)) << test::FormatAll(d);
  }
  auto before = test::ReadTree(out);
  EXPECT_EQ(before["print/all.html"], "<p>onetwo</p>");
  EXPECT_NE(before[".casebook-manifest"].find("print/all.html\n"), std::string::npos);

  struct rlimit saved;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
  struct rlimit small = saved;
  small.rlim_cur = 4096;
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  Diagnostics d2;
  bool ok;
  {
    SiteWriter writer(out, {});
    ASSERT_TRUE(writer.Open(d2));
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    std::unique_ptr<SiteWriter::Stream> s = writer.OpenStream("big.html");
    for (int i = 0; i < 4; ++i) s->Append(std::string(2048, 'x'));
    s->Close();
    setrlimit(RLIMIT_FSIZE, &saved);
    ok = writer.Commit(d2);
  }
  signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(ok);
  std::string msg = test::FormatAll(d2);
  EXPECT_NE(msg.find("/big.html: error: cannot write: " + std::string(std::strerror(EFBIG))),
            std::string::npos) << msg;
  EXPECT_EQ(test::ReadTree(out), before);
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
}

// A file where a folder must go: the folders made for the first file go too.
TEST(WriterTest, AFailedWriteRemovesTheFoldersItMade) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  std::vector<OutputFile> broken = {{"a/b/c.html", "x"}, {"a/b/c.html/d.html", "y"}};
  EXPECT_FALSE(WriteSite(out, {}, broken, d));
  EXPECT_NE(test::FormatAll(d).find("c.html/d.html: error: cannot write: "), std::string::npos)
      << test::FormatAll(d);
  EXPECT_EQ(EntriesIn(dir.path()), 0u);
}

// Writes a staging folder as a build killed while writing leaves it.
std::string FakeStaging(const test::TempDir& dir, long pid, const std::string& journal) {
  std::string staging = dir / (".site.casebook-staging-" + std::to_string(pid));
  test::WriteFile(staging + "/.casebook-staging",
                  "# casebook staging folder, pid " + std::to_string(pid) + "\n" + journal);
  return staging;
}

long DeadPid() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

TEST(WriterTest, RemovesStagingFoldersOfKilledBuilds) {
  test::TempDir dir;
  long dead = DeadPid();
  std::string staging = FakeStaging(dir, dead, "f .gitignore\nd cases\nf cases/a.html\nf cases/b.ht");
  test::WriteFile(staging + "/.gitignore", "*\n");
  test::WriteFile(staging + "/cases/a.html", "partial");
  // Killed around the swap: no journal, a complete site and its manifest.
  std::string swapped = dir / (".site.casebook-staging-" + std::to_string(DeadPid()) + ".old");
  Diagnostics d;
  ASSERT_TRUE(WriteSite(swapped, {}, Files("0"), d));
  // Not provably casebook's: named like one, but no journal or manifest.
  std::string lookalike = dir / (".site.casebook-staging-" + std::to_string(DeadPid()));
  test::WriteFile(lookalike + "/notes.txt", "mine");
  ASSERT_TRUE(WriteSite(dir / "site", {}, Files("1"), d)) << test::FormatAll(d);
  EXPECT_FALSE(fs::exists(staging));
  EXPECT_FALSE(fs::exists(swapped));
  EXPECT_EQ(test::ReadFile(lookalike + "/notes.txt"), "mine");
  EXPECT_EQ(EntriesIn(dir.path()), 2u);  // the site and the look-alike
}

TEST(WriterTest, KeepsWhatAStaleJournalDoesNotList) {
  test::TempDir dir;
  long dead = DeadPid();
  std::string staging = FakeStaging(dir, dead, "d cases\nf cases/a.html\n");
  test::WriteFile(staging + "/cases/a.html", "partial");
  test::WriteFile(staging + "/cases/mine.txt", "mine");  // not in the journal
  test::WriteFile(dir / "victim.txt", "precious");
  ASSERT_EQ(symlink((dir / "victim.txt").c_str(), (staging + "/link").c_str()), 0);
  Diagnostics d;
  ASSERT_TRUE(WriteSite(dir / "site", {}, Files("1"), d));
  EXPECT_FALSE(fs::exists(staging + "/cases/a.html"));
  EXPECT_EQ(test::ReadFile(staging + "/cases/mine.txt"), "mine");
  EXPECT_EQ(test::ReadFile(dir / "victim.txt"), "precious");
}

TEST(WriterTest, LeavesTheStagingFolderOfARunningBuild) {
  test::TempDir dir;
  // pid 1 is always running; a journal that names another pid than the
  // folder's is not trusted either.
  std::string live = FakeStaging(dir, 1, "f x.html\n");
  test::WriteFile(live + "/x.html", "x");
  long dead = DeadPid();
  std::string staging = dir / (".site.casebook-staging-" + std::to_string(dead));
  test::WriteFile(staging + "/.casebook-staging", "# casebook staging folder, pid 1\nf x.html\n");
  test::WriteFile(staging + "/x.html", "x");
  Diagnostics d;
  ASSERT_TRUE(WriteSite(dir / "site", {}, Files("1"), d));
  EXPECT_TRUE(fs::exists(live + "/x.html"));
  EXPECT_TRUE(fs::exists(staging + "/x.html"));
}

// A container runs casebook as pid 1 build after build: what a killed one
// left carries the next one's pid, and must not block it forever.
TEST(WriterTest, RemovesStagingFoldersThatCarryOurOwnPid) {
  test::TempDir dir;
  // Named by pid alone, as earlier versions did: the name a new build once
  // needed for itself.
  std::string old_style = FakeStaging(dir, getpid(), "f x.html\n");
  test::WriteFile(old_style + "/x.html", "x");
  std::string pid = std::to_string(getpid());
  std::string with_run = dir / (".site.casebook-staging-" + pid + "-0123abcd");
  test::WriteFile(with_run + "/.casebook-staging",
                  "# casebook staging folder, pid " + pid + ", run 0123abcd\nf x.html\n");
  test::WriteFile(with_run + "/x.html", "x");
  Diagnostics d;
  ASSERT_TRUE(WriteSite(dir / "site", {}, Files("1"), d)) << test::FormatAll(d);
  EXPECT_FALSE(fs::exists(old_style));
  EXPECT_FALSE(fs::exists(with_run));
  EXPECT_EQ(EntriesIn(dir.path()), 1u);  // just the site
}

// While it exists, a staging folder tells git to ignore it; the site
// itself holds neither the journal nor that .gitignore.
TEST(WriterTest, TheSiteHoldsNoStagingMarkers) {
  test::TempDir dir;
  Diagnostics d;
  std::string out = dir / "site";
  ASSERT_TRUE(WriteSite(out, {}, Files("1"), d));
  ASSERT_TRUE(WriteSite(out, {}, Files("2"), d));
  EXPECT_FALSE(fs::exists(out + "/.casebook-staging"));
  EXPECT_FALSE(fs::exists(out + "/.gitignore"));
  EXPECT_EQ(test::ReadTree(out).size(), 4u);
}

}  // namespace
}  // namespace casebook
