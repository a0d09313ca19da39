//===- GenerateCommandTest.cpp - optlm generate against the library ---------===//
//
// `optlm generate` prints the text LocalGenerator makes: the one end-to-end
// check that needs the library beside the tool. The options, the stop string
// and the errors of `optlm generate` are tested in tests/lit/generate.
//
//===----------------------------------------------------------------------===//
#include "TrainedVocabulary.h"

#include "lm/generate/LocalGenerator.h"
#include "testing/Testing.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <optional>

using namespace optlm;
using optlm::lm::testing::fixtureModelPath;

namespace {
struct CommandResult {
  int exitCode;
  std::string out, err;
};

using optlm::testing::readFile;

std::string writeTemporary(llvm::StringRef contents) {
  llvm::SmallString<128> path;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("optlm-prompt", "txt", path));
  std::error_code error;
  llvm::raw_fd_ostream out(path, error);
  out << contents;
  return path.str().str();
}

CommandResult runOptlm(std::vector<std::string> arguments) {
  std::string optlm = OPTLM_BINARY_DIR "/bin/optlm";
  llvm::SmallString<128> outPath, errPath;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("optlm-out", "txt", outPath));
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("optlm-err", "txt", errPath));
  llvm::FileRemover removeOut(outPath), removeErr(errPath);
  std::vector<llvm::StringRef> argv = {optlm, "generate"};
  for (const std::string &argument : arguments)
    argv.push_back(argument);
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, outPath.str(), errPath.str()};
  int code = llvm::sys::ExecuteAndWait(optlm, argv, std::nullopt, redirects, /*Seconds=*/60);
  return {code, readFile(outPath), readFile(errPath)};
}

const char *const kPrompt = "[INST] Tell me how to optimize this LLVM-IR for object file size:"
                            "\n\n<code>define void @f() {\n  ret void\n}</code> [/INST]";
} // namespace

TEST(GenerateCommandTest, StreamsTheSameTextAsTheLibrary) {
  std::string prompt = writeTemporary(kPrompt);
  llvm::FileRemover removePrompt(prompt);
  CommandResult result = runOptlm({"--model", fixtureModelPath(), "--prompt-file", prompt,
                                   "--max-tokens", "10", "--threads", "1"});
  ASSERT_EQ(result.exitCode, 0) << result.err;
  EXPECT_NE(result.err.find("prompt"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("tok/s"), std::string::npos) << result.err;

  // One thread on both sides, so the sums are formed in the same order.
  lm::LocalGeneratorOptions options;
  options.threads = 1;
  llvm::Expected<std::unique_ptr<lm::LocalGenerator>> generator =
      lm::LocalGenerator::open(fixtureModelPath(), options);
  ASSERT_TRUE(static_cast<bool>(generator));
  lm::GenerationRequest request;
  request.prompt = kPrompt;
  request.maxTokens = 10;
  llvm::Expected<lm::GenerationResult> expected = (*generator)->generate(request);
  ASSERT_TRUE(static_cast<bool>(expected));
  EXPECT_EQ(result.out, expected->text + "\n");
}
