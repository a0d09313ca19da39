//===- TinyModel.h - the server tests' tiny model ----------------*- C++ -*-===//
#pragma once

#include "support/TinyModel.h"

namespace optlm::lm::test {

/// Context of the tiny model, in tokens: small, so that "prompt longer than
/// the context" is easy to reach.
inline constexpr int kTinyContext = 256;

inline const std::string &tinyModelPath() {
  static const std::string path = optlm::testsupport::writeTemporaryTinyModel(
      {{"instcombine", "simplifycfg", "gvn", "mem2reg", "sroa", ",", "[INST]", "[/INST]",
        "<code>", "</code>", " the", " of"},
       64, 2, 4, 2, 128, kTinyContext, 7, "tiny-serve-llama"});
  return path;
}

} // namespace optlm::lm::test
