//===- TinyModel.h - a real tiny model for the server tests --------*- C++ -*-===//
//
// A random-weight Llama model small enough to answer in milliseconds, written
// with the project's own GGUF writer: a byte-level vocabulary (any text
// tokenizes) plus a few pass names, so that the pass-list constraint has
// whole-name tokens to choose from. Written once per test program, removed
// at exit.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/gguf/LlamaWriter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace optlm::lm::test {

/// Context of the tiny model, in tokens: small, so that "prompt longer than
/// the context" is easy to reach.
inline constexpr int kTinyContext = 256;

inline const std::string &tinyModelPath() {
  static std::string path;
  if (!path.empty())
    return path;
  Vocabulary vocabulary =
      byteLevelVocabulary({"instcombine", "simplifycfg", "gvn", "mem2reg", "sroa", ",", "[INST]",
                           "[/INST]", "<code>", "</code>", " the", " of"});
  LlamaModelOptions options;
  options.shape.vocabSize = static_cast<uint32_t>(vocabulary.size());
  options.shape.embeddingDim = 64;
  options.shape.layerCount = 2;
  options.shape.headCount = 4;
  options.shape.kvHeadCount = 2;
  options.shape.feedForwardDim = 128;
  options.shape.contextLength = kTinyContext;
  options.seed = 7;
  options.name = "tiny-serve-llama";
  llvm::SmallString<128> directory;
  std::error_code error = llvm::sys::fs::createUniqueDirectory("optlm-serve-test", directory);
  EXPECT_FALSE(error) << error.message();
  llvm::SmallString<128> file(directory);
  llvm::sys::path::append(file, "tiny-serve.gguf");
  llvm::Error written = writeLlamaModel(file, options, vocabulary);
  EXPECT_FALSE(static_cast<bool>(written)) << llvm::toString(std::move(written));
  // Destroyed in reverse order: the file goes first, then its directory.
  static struct DirectoryRemover {
    std::string directory;
    ~DirectoryRemover() { llvm::sys::fs::remove(directory); }
  } directoryRemover{directory.str().str()};
  static llvm::FileRemover fileRemover(file);
  path = file.str().str();
  return path;
}

} // namespace optlm::lm::test
