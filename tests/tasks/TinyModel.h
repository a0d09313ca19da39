//===- TinyModel.h - a random-weight model for the task tests ------*- C++ -*-===//
//
// The tasks must behave when the model's answers are garbage, which is what
// a real Llama model with random weights produces. This one is written with
// the project's GGUF writer: a byte-level vocabulary (any text tokenizes)
// plus a few pass names (so that constrained decoding has whole-name tokens)
// and a context large enough for the small test inputs. Written once per
// test program, removed at exit.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/LlamaWriter.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <string>

namespace optlm::tasks::test {

inline constexpr int kTinyContext = 4096;

inline const std::string &tinyModelPath() {
  static std::string path;
  if (!path.empty())
    return path;
  lm::Vocabulary vocabulary = lm::byteLevelVocabulary(
      {"instcombine", "simplifycfg", "sroa", "mem2reg", "gvn", "inline", "licm", ",", "define",
       " i32", "<code>", "</code>", "[INST]", "[/INST]"});
  lm::LlamaModelOptions options;
  options.shape.vocabSize = static_cast<uint32_t>(vocabulary.size());
  options.shape.embeddingDim = 32;
  options.shape.layerCount = 1;
  options.shape.headCount = 4;
  options.shape.kvHeadCount = 2;
  options.shape.feedForwardDim = 64;
  options.shape.contextLength = kTinyContext;
  options.seed = 11;
  options.name = "tiny-task-llama";
  llvm::SmallString<128> directory;
  std::error_code error = llvm::sys::fs::createUniqueDirectory("optlm-tasks-test", directory);
  EXPECT_FALSE(error) << error.message();
  llvm::SmallString<128> file(directory);
  llvm::sys::path::append(file, "tiny-task.gguf");
  llvm::Error written = lm::writeLlamaModel(file, options, vocabulary);
  EXPECT_FALSE(static_cast<bool>(written)) << llvm::toString(std::move(written));
  static struct DirectoryRemover {
    std::string directory;
    ~DirectoryRemover() { llvm::sys::fs::remove(directory); }
  } directoryRemover{directory.str().str()};
  static llvm::FileRemover fileRemover(file);
  path = file.str().str();
  return path;
}

} // namespace optlm::tasks::test
