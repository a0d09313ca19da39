//===- FilesTest.cpp - whole files and appended lines ---------------------===//
//
// Journals, logs and indexes are appended to by concurrent processes and
// read while they grow; models, reports and corpus modules are written whole
// or not at all. Both promises are checked here with real processes.
//
//===----------------------------------------------------------------------===//
#include "support/AppendFile.h"
#include "support/AtomicFile.h"

#include "testing/Testing.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace optlm;

namespace {

using optlm::testing::TemporaryFolder;

size_t entries(const TemporaryFolder &folder) {
  size_t count = 0;
  std::error_code error;
  for (llvm::sys::fs::directory_iterator it(folder.path(), error), end; it != end && !error;
       it.increment(error))
    ++count;
  return count;
}

// Four processes append 200 lines each, of different lengths, at once: the
// file holds 800 whole lines, every one as its writer wrote it.
TEST(SupportAppendFile, LinesOfConcurrentWritersDoNotMix) {
  TemporaryFolder folder;
  const std::string log = folder.file("log.jsonl");
  constexpr int Writers = 4, Lines = 200;
  std::vector<pid_t> children;
  for (int writer = 0; writer < Writers; ++writer) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (int line = 0; line < Lines; ++line) {
        std::string text = std::to_string(writer) + ":" + std::to_string(line) + ":" +
                           std::string(100 + 37 * ((line + writer) % 50), 'a' + writer) + "\n";
        if (appendToFile(log, text, line % 20 == 0 ? AppendSync::Yes : AppendSync::No))
          ::_exit(1);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  llvm::SmallVector<llvm::StringRef, 0> lines;
  const std::string text = optlm::testing::readFile(log);
  llvm::StringRef(text).split(lines, '\n', -1, /*KeepEmpty=*/false);
  ASSERT_EQ(lines.size(), size_t(Writers * Lines));
  std::vector<int> next(Writers, 0);
  for (llvm::StringRef line : lines) {
    llvm::SmallVector<llvm::StringRef, 3> parts;
    line.split(parts, ':');
    ASSERT_EQ(parts.size(), 3u) << line.str();
    int writer = 0, number = 0;
    ASSERT_FALSE(parts[0].getAsInteger(10, writer));
    ASSERT_FALSE(parts[1].getAsInteger(10, number));
    ASSERT_TRUE(writer >= 0 && writer < Writers);
    // Each writer's lines arrive whole and in its own order.
    EXPECT_EQ(number, next[writer]++);
    EXPECT_EQ(parts[2], std::string(100 + 37 * ((number + writer) % 50), 'a' + writer));
  }
}

TEST(SupportAppendFile, AnUnwritablePlaceIsAnErrorNamingIt) {
  llvm::Error error = appendToFile("/nonexistent-optlm-folder/log.jsonl", "line\n");
  ASSERT_TRUE(bool(error));
  EXPECT_NE(llvm::toString(std::move(error)).find("/nonexistent-optlm-folder/log.jsonl"),
            std::string::npos);
}

// A writer that fails leaves the earlier file as it was and no temporary
// file behind; one that succeeds replaces it.
TEST(SupportAtomicFile, AFailedWriteKeepsTheEarlierFile) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.gguf");
  ASSERT_FALSE(bool(writeFileAtomically(path, "first\n")));
  llvm::Error failed = writeFileAtomically(path, [](llvm::raw_ostream &out) -> llvm::Error {
    out << "half of a second";
    return llvm::createStringError("the writer gave up");
  });
  ASSERT_TRUE(bool(failed));
  EXPECT_EQ(llvm::toString(std::move(failed)), "the writer gave up");
  EXPECT_EQ(optlm::testing::readFile(path), "first\n");
  EXPECT_EQ(entries(folder), 1u);

  ASSERT_FALSE(bool(writeFileAtomically(path, [](llvm::raw_ostream &out) -> llvm::Error {
    out << "second\n";
    return llvm::Error::success();
  })));
  EXPECT_EQ(optlm::testing::readFile(path), "second\n");
  EXPECT_EQ(entries(folder), 1u);
}

TEST(SupportAtomicFile, AnUnwritableFolderIsAnError) {
  llvm::Error error = writeFileAtomically("/nonexistent-optlm-folder/model.gguf", "x");
  ASSERT_TRUE(bool(error));
  EXPECT_NE(llvm::toString(std::move(error)).find("/nonexistent-optlm-folder"), std::string::npos);
}

} // namespace
