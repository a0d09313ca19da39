//===- ServeTestSupport.h - helpers shared by the lm_serve tests ---*- C++ -*-===//
//
// Debian's LLVM ships no LLVMTestingSupport, so the few Error/Expected
// helpers the tests need live here.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

#include <gtest/gtest.h>

#include <string>

namespace optlm::lm::test {

/// "" for success, else the message (the error is consumed either way).
inline std::string errorText(llvm::Error error) {
  if (!error)
    return "";
  return llvm::toString(std::move(error));
}

template <typename T> std::string errorText(llvm::Expected<T> &value) {
  if (value)
    return "";
  return llvm::toString(value.takeError());
}
template <typename T> std::string errorText(llvm::Expected<T> &&value) { return errorText(value); }

} // namespace optlm::lm::test

#define ASSERT_NO_ERROR(error) ASSERT_EQ(::optlm::lm::test::errorText(error), "")
