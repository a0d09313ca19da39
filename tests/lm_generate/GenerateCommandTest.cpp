//===- GenerateCommandTest.cpp - optlm generate end to end -----------------===//
#include "TrainedVocabulary.h"

#include "lm/generate/LocalGenerator.h"
#include "pipeline/Pipeline.h"

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

std::string readFile(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

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

TEST(GenerateCommandTest, SamplingOptionsAndPassListConstraint) {
  std::string prompt = writeTemporary(kPrompt);
  llvm::FileRemover removePrompt(prompt);
  for (const char *seed : {"1", "2", "3"}) {
    CommandResult result = runOptlm({"--model", fixtureModelPath(), "--prompt-file", prompt,
                                     "--temperature", "1.2", "--top-k", "50", "--top-p", "0.95",
                                     "--seed", seed, "--constrain", "passlist", "--max-passes",
                                     "3", "--max-tokens", "200", "--threads", "1"});
    ASSERT_EQ(result.exitCode, 0) << result.err;
    llvm::StringRef answer = llvm::StringRef(result.out).drop_back(1);
    llvm::Expected<Pipeline> pipeline = Pipeline::parse(answer);
    ASSERT_TRUE(static_cast<bool>(pipeline)) << "'" << answer.str() << "'";
    EXPECT_LE(pipeline->size(), 3u);
  }
}

TEST(GenerateCommandTest, StopStringOption) {
  std::string prompt = writeTemporary(kPrompt);
  llvm::FileRemover removePrompt(prompt);
  std::vector<std::string> base = {"--model", fixtureModelPath(), "--prompt-file", prompt,
                                    "--max-tokens", "30", "--temperature", "1", "--seed", "4",
                                    "--threads", "1"};
  CommandResult free = runOptlm(base);
  ASSERT_EQ(free.exitCode, 0) << free.err;
  std::string text = free.out.substr(0, free.out.size() - 1);
  ASSERT_GE(text.size(), 4u);
  std::string stop = text.substr(text.size() / 2, 2);
  base.insert(base.end(), {"--stop", stop});
  CommandResult stopped = runOptlm(base);
  ASSERT_EQ(stopped.exitCode, 0) << stopped.err;
  EXPECT_EQ(stopped.out, text.substr(0, text.find(stop)) + "\n");
}

TEST(GenerateCommandTest, ErrorsAreOneLineWithExitCodeTwo) {
  std::string prompt = writeTemporary("hello");
  llvm::FileRemover removePrompt(prompt);
  auto expectUsageError = [](const CommandResult &result, llvm::StringRef needle) {
    EXPECT_EQ(result.exitCode, 2) << result.err;
    EXPECT_TRUE(llvm::StringRef(result.err).starts_with("optlm generate: error: ")) << result.err;
    EXPECT_NE(result.err.find(needle.str()), std::string::npos) << result.err;
    EXPECT_EQ(llvm::count(result.err, '\n'), 1) << result.err;
    EXPECT_TRUE(result.out.empty());
  };
  expectUsageError(runOptlm({"--model", "/nonexistent/m.gguf", "--prompt-file", prompt}),
                   "/nonexistent/m.gguf");
  expectUsageError(runOptlm({"--model", OPTLM_TEST_INPUTS "/tokenizer/sources.c",
                             "--prompt-file", prompt}),
                   "cannot load model");
  expectUsageError(runOptlm({"--model", fixtureModelPath(), "--prompt-file", "/nonexistent/p"}),
                   "/nonexistent/p");
  expectUsageError(runOptlm({"--model", fixtureModelPath()}), "--prompt-file");
  expectUsageError(runOptlm({"--model", fixtureModelPath(), "--prompt-file", prompt,
                             "--temperature", "-1"}),
                   "temperature");
  expectUsageError(runOptlm({"--model", fixtureModelPath(), "--prompt-file", prompt,
                             "--constrain", "json"}),
                   "json");
  std::string binary = writeTemporary(llvm::StringRef("a\0b", 3));
  llvm::FileRemover removeBinary(binary);
  expectUsageError(runOptlm({"--model", fixtureModelPath(), "--prompt-file", binary}), "NUL");

  std::string longPrompt;
  for (int i = 0; i < 200; ++i)
    longPrompt += "%" + std::to_string(i) + " = load i32, ptr %p, align 4\n";
  std::string longFile = writeTemporary(longPrompt);
  llvm::FileRemover removeLong(longFile);
  expectUsageError(runOptlm({"--model", fixtureModelPath(), "--prompt-file", longFile,
                             "--context", "128"}),
                   "more than the context of 128 tokens");
}
