//===- CorpusTest.cpp - content-addressed, deduplicated, skips logged -----===//
#include "data/Corpus.h"
#include "data/CorpusSources.h"
#include "data/IRNormalizer.h"

#include "TestSupport.h"
#include "testing/Testing.h"

#include "llvm/Support/raw_ostream.h"

#include <sys/wait.h>
#include <unistd.h>

using namespace optlm;
using namespace optlm::data;
using namespace optlm::data::testing;

TEST(DataCorpus, AddsAFolderOnceDeduplicatedByNormalizedIR) {
  TemporaryFolder directory;
  auto corpus = Corpus::open(directory.file("corpus"), /*create=*/true);
  OPTLM_ASSERT_OK(corpus);
  AddOptions options;
  options.license = "MIT";
  options.package = "demo-pkg";
  AddSummary summary;
  ASSERT_EQ(errorText(addPaths(*corpus, {inputPath("programs")}, options, summary)), "");
  // adder.c, popcount.c, swap.ll; copies/adder_again.c is adder.c under
  // another name, and README.txt is not an input.
  EXPECT_EQ(summary.added, 3u);
  EXPECT_EQ(summary.duplicates, 1u);
  EXPECT_EQ(summary.skipped, 0u);

  auto reopened = Corpus::open(directory.file("corpus"), /*create=*/false);
  OPTLM_ASSERT_OK(reopened);
  ASSERT_EQ(reopened->entries().size(), 3u);
  for (const CorpusEntry &entry : reopened->entries()) {
    EXPECT_EQ(entry.license, "MIT");
    EXPECT_EQ(entry.package, "demo-pkg");
    EXPECT_EQ(entry.triple, "x86_64-unknown-linux-gnu");
    EXPECT_GT(entry.instructionCount, 0u);
    auto loaded = reopened->load(entry);
    OPTLM_ASSERT_OK(loaded);
    normalizeModule(*loaded->module);
    // Content-addressed: the name is the hash of what the file holds.
    EXPECT_EQ(contentName(*loaded->module), entry.name);
    const std::string text = moduleText(*loaded->module);
    EXPECT_EQ(text.find("source_filename"), std::string::npos);
    EXPECT_EQ(text.find("llvm.ident"), std::string::npos);
    EXPECT_NE(text.find("; ModuleID = '<stdin>'"), std::string::npos);
    if (llvm::StringRef(entry.source).ends_with(".c")) // clang's -Oz attributes stay
      EXPECT_NE(text.find("minsize"), std::string::npos) << entry.source;
  }

  AddSummary again;
  ASSERT_EQ(errorText(addPaths(*reopened, {inputPath("programs")}, options, again)), "");
  EXPECT_EQ(again.added, 0u);
  EXPECT_EQ(again.duplicates, 4u);
}

TEST(DataCorpus, EachTargetIsItsOwnModule) {
  TemporaryFolder directory;
  auto corpus = Corpus::open(directory.file("corpus"), /*create=*/true);
  ASSERT_TRUE(bool(corpus));
  AddOptions options;
  options.targets = {Target::X86_64, Target::AArch64};
  AddSummary summary;
  ASSERT_EQ(
      errorText(addPaths(*corpus, {inputPath("programs/popcount.c"), inputPath("programs/swap.ll")},
                         options, summary)),
      "");
  EXPECT_EQ(summary.added, 4u);
  int aarch64 = 0;
  for (const CorpusEntry &entry : corpus->entries())
    aarch64 += entry.triple == "aarch64-unknown-linux-gnu";
  EXPECT_EQ(aarch64, 2);
}

TEST(DataCorpus, IRKeepsTheTargetItWasWrittenFor) {
  TemporaryFolder directory;
  auto corpus = Corpus::open(directory.file("corpus"), /*create=*/true);
  ASSERT_TRUE(bool(corpus));
  AddOptions options; // x86_64 only
  AddSummary summary;
  ASSERT_EQ(errorText(addPaths(*corpus, {inputPath("other/negate_aarch64.ll")}, options, summary)),
            "");
  EXPECT_EQ(summary.added, 0u);
  EXPECT_EQ(summary.skippedByReason["other-target"], 1u);
  options.targets = {Target::X86_64, Target::AArch64};
  AddSummary both;
  ASSERT_EQ(errorText(addPaths(*corpus, {inputPath("other/negate_aarch64.ll")}, options, both)),
            "");
  EXPECT_EQ(both.added, 1u);
  ASSERT_EQ(corpus->entries().size(), 1u);
  EXPECT_EQ(corpus->entries()[0].triple, "aarch64-unknown-linux-gnu");
}

TEST(DataCorpus, InputsThatDoNotCompileAreSkippedLoggedAndCounted) {
  TemporaryFolder directory;
  auto corpus = Corpus::open(directory.file("corpus"), /*create=*/true);
  ASSERT_TRUE(bool(corpus));
  std::string log;
  llvm::raw_string_ostream logStream(log);
  AddOptions options;
  options.log = &logStream;
  AddSummary summary;
  ASSERT_EQ(
      errorText(addPaths(*corpus,
                         {inputPath("bad/broken.c"), inputPath("bad/garbage.ll"),
                          inputPath("bad/compile_commands.json"), directory.file("missing.c")},
                         options, summary)),
      "");
  EXPECT_EQ(summary.added, 0u);
  EXPECT_EQ(summary.skipped, 4u);
  EXPECT_EQ(summary.skippedByReason["compile-error"], 1u);
  EXPECT_EQ(summary.skippedByReason["invalid-ir"], 1u);
  EXPECT_EQ(summary.skippedByReason["unsupported-input"], 1u);
  EXPECT_EQ(summary.skippedByReason["missing-input"], 1u);
  EXPECT_EQ(lines(readFile(directory.file("corpus/skipped.jsonl"))).size(), 4u);
  EXPECT_NE(logStream.str().find("broken.c: compile-error"), std::string::npos) << log;
}

TEST(DataCorpus, CompileCommandsThatFailAreSkipped) {
  TemporaryFolder directory;
  auto corpus = Corpus::open(directory.file("corpus"), /*create=*/true);
  ASSERT_TRUE(bool(corpus));
  {
    std::error_code error;
    llvm::raw_fd_ostream database(directory.file("compile_commands.json"), error);
    database << "[{\"directory\": \"" << directory.path() << "/gone\", \"file\": \"a.c\", "
             << "\"arguments\": [\"cc\", \"-c\", \"a.c\"]},\n"
             << " {\"directory\": \"" << inputPath("bad") << "\", \"file\": \"broken.c\", "
             << "\"command\": \"cc -O2 -c broken.c -o broken.o\"},\n"
             << " {\"directory\": \"" << inputPath("programs") << "\", \"file\": \"adder.c\", "
             << "\"command\": \"cc -O2 -g -c adder.c -o adder.o\"}]\n";
  }
  AddOptions options;
  AddSummary summary;
  ASSERT_EQ(errorText(addCompileCommands(*corpus, directory.file("compile_commands.json"), options,
                                         summary)),
            "");
  EXPECT_EQ(summary.added, 1u);
  EXPECT_EQ(summary.skippedByReason["compile-error"], 2u);
  // -g is dropped: the module has no debug info, so it is the module the
  // folder gives for the same file.
  AddSummary fromFolder;
  ASSERT_EQ(errorText(addPaths(*corpus, {inputPath("programs/adder.c")}, options, fromFolder)), "");
  EXPECT_EQ(fromFolder.duplicates, 1u);
  // A malformed database is an error, not a skip.
  EXPECT_NE(errorText(addCompileCommands(*corpus, inputPath("bad/compile_commands.json"), options,
                                         summary)),
            "");
}

TEST(DataCorpus, AMalformedIndexIsAnErrorNamingTheLine) {
  TemporaryFolder directory;
  ASSERT_FALSE(llvm::sys::fs::create_directories(directory.file("corpus/modules")));
  {
    std::error_code error;
    llvm::raw_fd_ostream index(directory.file("corpus/index.jsonl"), error);
    index << "{\"name\":\"0123456789abcdef\",\"file\":\"../../etc/passwd\",\"target\":\"x\"}\n";
  }
  auto corpus = Corpus::open(directory.file("corpus"), /*create=*/false);
  ASSERT_FALSE(bool(corpus));
  const std::string message = llvm::toString(corpus.takeError());
  EXPECT_NE(message.find("index.jsonl:1:"), std::string::npos) << message;
  EXPECT_FALSE(succeeded(Corpus::open(directory.file("nothing"), /*create=*/false)));
}

/// Debian's clang-19 writes x86_64-pc-linux-gnu: the same target as optlm's
/// x86_64-unknown-linux-gnu, so the module is taken (and recorded under
/// optlm's spelling).
TEST(DataCorpus, ATripleThatDiffersOnlyInItsVendorIsTheSameTarget) {
  EXPECT_EQ(*targetOfTriple("x86_64-pc-linux-gnu"), Target::X86_64);
  EXPECT_EQ(*targetOfTriple("aarch64-unknown-linux-gnu"), Target::AArch64);
  EXPECT_FALSE(succeeded(targetOfTriple("x86_64-pc-windows-msvc")));
  EXPECT_FALSE(succeeded(targetOfTriple("i386-pc-linux-gnu")));
  TemporaryFolder directory;
  auto corpus = Corpus::open(directory.file("corpus"), /*create=*/true);
  ASSERT_TRUE(bool(corpus));
  AddOptions options; // x86_64 only
  AddSummary summary;
  ASSERT_EQ(errorText(addPaths(*corpus, {inputPath("other/negate_debian.ll")}, options, summary)),
            "");
  EXPECT_EQ(summary.added, 1u);
  EXPECT_EQ(summary.skipped, 0u);
  ASSERT_EQ(corpus->entries().size(), 1u);
  EXPECT_EQ(corpus->entries()[0].triple, "x86_64-unknown-linux-gnu");
}

/// Two writers on one corpus (two processes of a make -j build, here two
/// Corpus objects): each sees what the other added before deciding whether
/// a module is new, and the index names every module once.
TEST(DataCorpus, TwoWritersShareOneCorpus) {
  TemporaryFolder directory;
  auto first = Corpus::open(directory.file("corpus"), /*create=*/true);
  auto second = Corpus::open(directory.file("corpus"), /*create=*/true);
  ASSERT_TRUE(bool(first) && bool(second));
  AddOptions options;
  AddSummary a, b;
  ASSERT_EQ(errorText(addPaths(*first, {inputPath("programs/adder.c")}, options, a)), "");
  // The same module through the other writer: a duplicate, not a second line.
  ASSERT_EQ(errorText(addPaths(*second, {inputPath("programs/adder.c")}, options, b)), "");
  ASSERT_EQ(errorText(addPaths(*second, {inputPath("programs/popcount.c")}, options, b)), "");
  ASSERT_EQ(errorText(addPaths(*first, {inputPath("programs/swap.ll")}, options, a)), "");
  EXPECT_EQ(a.added, 2u);
  EXPECT_EQ(b.added, 1u);
  EXPECT_EQ(b.duplicates, 1u);
  EXPECT_EQ(first->entries().size(), 3u); // it read popcount's line under the lock
  EXPECT_EQ(lines(readFile(directory.file("corpus/index.jsonl"))).size(), 3u);
}

/// Processes adding at once, each its own modules and one they all share:
/// every line is whole, every module is there once, no temporary is left.
TEST(DataCorpus, ConcurrentProcessesAddEveryModuleOnce) {
  TemporaryFolder directory;
  ASSERT_TRUE(succeeded(Corpus::open(directory.file("corpus"), /*create=*/true)));
  constexpr int Writers = 4;
  std::vector<pid_t> children;
  for (int writer = 0; writer < Writers; ++writer) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto corpus = Corpus::open(directory.file("corpus"), /*create=*/true);
      if (!corpus)
        _exit(2);
      for (int round = 0; round < 5; ++round) {
        // Writer w's own functions, and one every writer adds.
        std::string text = "define i32 @f" + std::to_string(writer * 100 + round) +
                           "(i32 %x) {\n  %r = add i32 %x, " +
                           std::to_string(writer * 100 + round) + "\n  ret i32 %r\n}\n";
        if (round == 4)
          text = "define i32 @shared(i32 %x) {\n  ret i32 %x\n}\n";
        const std::string path =
            directory.file("w" + std::to_string(writer) + "_" + std::to_string(round) + ".ll");
        {
          std::error_code error;
          llvm::raw_fd_ostream out(path, error);
          out << "target triple = \"x86_64-pc-linux-gnu\"\n" << text;
        }
        AddSummary summary;
        if (llvm::Error error = addPaths(*corpus, {path}, AddOptions(), summary)) {
          consumeError(std::move(error));
          _exit(3);
        }
      }
      _exit(0);
    }
    children.push_back(child);
  }
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  auto corpus = Corpus::open(directory.file("corpus"), /*create=*/false);
  OPTLM_ASSERT_OK(corpus);
  EXPECT_EQ(corpus->entries().size(), size_t(Writers * 4 + 1));
  EXPECT_EQ(lines(readFile(directory.file("corpus/index.jsonl"))).size(), size_t(Writers * 4 + 1));
  std::error_code error;
  for (llvm::sys::fs::directory_iterator it(directory.file("corpus/modules"), error), end;
       it != end && !error; it.increment(error))
    EXPECT_FALSE(llvm::StringRef(it->path()).contains(".tmp")) << it->path();
}
