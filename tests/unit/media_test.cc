#include "media.h"

#include <cstring>
#include <filesystem>

#include <gtest/gtest.h>

#include "test_util.h"

namespace casebook {
namespace {

namespace fs = std::filesystem;

// A content folder with one fine image, plus whatever a test adds.
class MediaTest : public ::testing::Test {
 protected:
  MediaTest() : content_(dir_ / "content") {
    test::WriteFile(content_ + "/img/dot.png", "\x89PNG\r\n\x1a\n");
  }
  std::string Check(const std::string& rel) const { return CheckMediaFile(content_, rel); }

  test::TempDir dir_;
  std::string content_;
};

TEST_F(MediaTest, AFinePngPasses) {
  EXPECT_EQ(Check("img/dot.png"), "");
}

TEST_F(MediaTest, ExtensionsAreCaseInsensitiveAndLimited) {
  test::WriteFile(content_ + "/img/DOT.PNG", "x");
  test::WriteFile(content_ + "/notes.txt", "x");
  EXPECT_EQ(Check("img/DOT.PNG"), "");
  EXPECT_EQ(Check("notes.txt"),
            "cannot link to 'notes.txt': link to content pages (.md) or to images "
            "(png, jpg, gif, svg, webp) and pdf files");
  EXPECT_EQ(Check("img/noext"),
            "cannot link to 'img/noext': link to content pages (.md) or to images "
            "(png, jpg, gif, svg, webp) and pdf files");
}

TEST_F(MediaTest, ControlCharactersComeBeforeEverythingElse) {
  EXPECT_EQ(Check("img/a\tb.txt"), "file names with control characters are not supported");
}

TEST_F(MediaTest, MissingFilesAndNonFilesAreNotFound) {
  fs::create_directories(content_ + "/folder.png");
  fs::create_symlink("dot.png", content_ + "/img/alias.png");
  EXPECT_EQ(Check("img/none.png"), "file '" + content_ + "/img/none.png' not found");
  EXPECT_EQ(Check("folder.png"), "file '" + content_ + "/folder.png' not found");
  // A link as the file itself is not published, even to a file inside.
  EXPECT_EQ(Check("img/alias.png"), "file '" + content_ + "/img/alias.png' not found");
}

TEST_F(MediaTest, TheSizeCapIsEightMebibytes) {
  test::WriteFile(content_ + "/at.pdf", "");
  test::WriteFile(content_ + "/over.pdf", "");
  fs::resize_file(content_ + "/at.pdf", kMaxMediaBytes);  // sparse: cheap
  fs::resize_file(content_ + "/over.pdf", kMaxMediaBytes + 1);
  EXPECT_EQ(Check("at.pdf"), "");
  EXPECT_EQ(Check("over.pdf"), "file '" + content_ + "/over.pdf' is larger than 8 MiB");
}

TEST_F(MediaTest, ASymlinkedFolderLeadingOutsideIsRefused) {
  test::WriteFile(dir_ / "outside/secret.pdf", "%PDF");
  fs::create_directory_symlink(dir_ / "outside", content_ + "/linked");
  fs::create_directory_symlink("img", content_ + "/same");
  EXPECT_EQ(Check("linked/secret.pdf"),
            "'linked/secret.pdf' leads outside the content folder through a symbolic link");
  // A linked folder that stays inside content/ publishes nothing new.
  EXPECT_EQ(Check("same/dot.png"), "");
}

TEST_F(MediaTest, SvgWithScriptsHandlersOrRemoteReferencesIsRefused) {
  const std::string open = "<svg xmlns=\"http://www.w3.org/2000/svg\">";
  struct Case {
    const char* name;
    std::string body;
    std::string problem;  // "" when fine
  };
  const Case cases[] = {
      {"good.svg", open + "<circle r=\"1\"/></svg>", ""},
      {"script.svg", open + "<SCRIPT>alert(1)</SCRIPT></svg>",
       "'script.svg' contains '<script'; SVG images may not hold scripts or HTML"},
      {"js.svg", open + "<a href=\"javascript:x()\">a</a></svg>",
       "'js.svg' contains 'javascript:'; SVG images may not hold scripts or HTML"},
      {"html.svg", open + "<foreignObject><p>x</p></foreignObject></svg>",
       "'html.svg' contains '<foreignobject'; SVG images may not hold scripts or HTML"},
      {"handler.svg", open + "<rect onclick = \"x()\"/></svg>",
       "'handler.svg' contains an event handler (on...=)"},
      {"remote.svg", open + "<image href='https://example.com/a.png'/></svg>",
       "'remote.svg' refers to another host; the site makes no such request"},
      {"nohost.svg", open + "<use href=\"//example.com/a.svg#x\"/></svg>",
       "'nohost.svg' refers to another host; the site makes no such request"},
  };
  for (const Case& c : cases) {
    test::WriteFile(content_ + "/" + c.name, c.body);
    EXPECT_EQ(Check(c.name), c.problem) << c.name;
  }
}

TEST_F(MediaTest, ReadsFilesForOutputUnderMedia) {
  Diagnostics d;
  std::vector<OutputFile> files = ReadMediaFiles(content_, {"img/dot.png"}, d);
  EXPECT_EQ(test::FormatAll(d), "");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, "media/img/dot.png");
  EXPECT_EQ(files[0].content, std::string("\x89PNG\r\n\x1a\n"));
}

// A folder fails at read() (EISDIR) and a vanished file at open() (ENOENT),
// even for root, for whom a chmod 000 file would still be readable.
TEST_F(MediaTest, AFileThatCannotBeReadIsAnError) {
  fs::create_directories(content_ + "/gone.png");
  Diagnostics d;
  std::vector<OutputFile> files =
      ReadMediaFiles(content_, {"gone.png", "img/dot.png", "vanished.png"}, d);
  EXPECT_EQ(test::FormatAll(d),
            content_ + "/gone.png:1:1: error: cannot read: " + std::strerror(EISDIR) + "\n" +
            content_ + "/vanished.png:1:1: error: cannot read: " + std::strerror(ENOENT) + "\n");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, "media/img/dot.png");
}

}  // namespace
}  // namespace casebook
