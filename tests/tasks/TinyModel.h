//===- TinyModel.h - the task tests' tiny model ------------------*- C++ -*-===//
//
// The tasks must behave when the model's answers are garbage; this model's
// context is large enough for the small test inputs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "support/TinyModel.h"

namespace optlm::tasks::test {

inline constexpr int kTinyContext = 4096;

inline const std::string &tinyModelPath() {
  static const std::string path = optlm::testsupport::writeTemporaryTinyModel(
      {{"instcombine", "simplifycfg", "sroa", "mem2reg", "gvn", "inline", "licm", ",", "define",
        " i32", "<code>", "</code>", "[INST]", "[/INST]"},
       32,
       1,
       4,
       2,
       64,
       kTinyContext,
       11,
       "tiny-task-llama"});
  return path;
}

} // namespace optlm::tasks::test
