//===- GGUFModelInfoCommand.cpp - `optlm model-info` end to end -----------------===//
#include "lm/gguf/LlamaWriter.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>

#include <optional>

using namespace optlm::lm;

namespace {

struct ToolRun {
  int exitCode;
  std::string out, err;
};

ToolRun runModelInfo(std::vector<std::string> arguments) {
  llvm::SmallString<128> outPath, errPath;
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("model-info", "out", outPath));
  EXPECT_FALSE(llvm::sys::fs::createTemporaryFile("model-info", "err", errPath));
  std::vector<llvm::StringRef> argv = {OPTLM_TOOL_PATH, "model-info"};
  for (const std::string &argument : arguments)
    argv.push_back(argument);
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(outPath),
                                                llvm::StringRef(errPath)};
  ToolRun run;
  run.exitCode = llvm::sys::ExecuteAndWait(OPTLM_TOOL_PATH, argv, std::nullopt, redirects,
                                           /*SecondsToWait=*/60);
  run.out = (*llvm::MemoryBuffer::getFile(outPath))->getBuffer().str();
  run.err = (*llvm::MemoryBuffer::getFile(errPath))->getBuffer().str();
  llvm::sys::fs::remove(outPath);
  llvm::sys::fs::remove(errPath);
  return run;
}

class GGUFModelInfoCommand : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("model-info", "gguf", modelPath));
    LlamaModelOptions options;
    options.shape.vocabSize = 262;
    options.shape.embeddingDim = 256;
    options.shape.layerCount = 2;
    options.shape.headCount = 8;
    options.shape.kvHeadCount = 2;
    options.shape.feedForwardDim = 512;
    options.shape.contextLength = 16384;
    options.weightType = TensorType::Q4_K;
    ASSERT_FALSE(bool(writeLlamaModel(modelPath, options,
                                      byteLevelVocabulary({"a", "b", "c"}))));
  }
  void TearDown() override { llvm::sys::fs::remove(modelPath); }
  llvm::SmallString<128> modelPath;
};

} // namespace

TEST_F(GGUFModelInfoCommand, DescribesTheModel) {
  ToolRun run = runModelInfo({modelPath.str().str()});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.out.find("architecture:     llama\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("gguf version:     3\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("context length:   16384\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("heads:            8\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("kv heads:         2\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("vocabulary size:  262\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("  q4_K:           16 tensors"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("blk.0.attn_q.weight"), std::string::npos) << run.out;
}

TEST_F(GGUFModelInfoCommand, JsonWithTensors) {
  ToolRun run = runModelInfo({modelPath.str().str(), "--json", "--tensors"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out.front(), '{');
  EXPECT_NE(run.out.find("\"architecture\": \"llama\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"embedding_length\": 256"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"name\": \"blk.1.ffn_down.weight\""), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("\"rope_freq_base\": 1000000.0"), std::string::npos) << run.out;
}

TEST_F(GGUFModelInfoCommand, BadInputsExitWithUsageError) {
  // A truncated copy of a valid model.
  llvm::SmallString<128> truncated(modelPath);
  truncated += ".cut";
  auto bytes = llvm::MemoryBuffer::getFile(modelPath);
  ASSERT_TRUE(bool(bytes));
  {
    std::error_code error;
    llvm::raw_fd_ostream out(truncated, error);
    out << (*bytes)->getBuffer().take_front(5000);
  }
  ToolRun cut = runModelInfo({truncated.str().str()});
  llvm::sys::fs::remove(truncated);
  EXPECT_EQ(cut.exitCode, 2);
  EXPECT_TRUE(cut.out.empty());
  EXPECT_EQ(cut.err.rfind("optlm model-info: error: ", 0), 0u) << cut.err;
  EXPECT_EQ(std::count(cut.err.begin(), cut.err.end(), '\n'), 1) << cut.err;

  ToolRun missing = runModelInfo({"/nonexistent/model.gguf"});
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.err.find("optlm model-info: error: /nonexistent/model.gguf: "),
            std::string::npos) << missing.err;

  ToolRun none = runModelInfo({});
  EXPECT_EQ(none.exitCode, 2);
  EXPECT_NE(none.err.find("no model file given"), std::string::npos) << none.err;
}
