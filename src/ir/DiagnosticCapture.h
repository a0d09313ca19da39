//===- DiagnosticCapture.h - context errors that do not exit -----*- C++ -*-===//
//
// Without a handler of its own, LLVMContext prints an error diagnostic and
// exits the process. Passes and the code generator report some failures
// that way (inline asm the assembler rejects, for example); optlm turns
// them into errors of the evaluation instead.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/IR/DiagnosticHandler.h"
#include "llvm/IR/LLVMContext.h"

#include <memory>
#include <string>

namespace optlm {

/// Installs a handler that records the first error diagnostic (warnings and
/// remarks are dropped) for its lifetime, then puts the previous handler
/// back.
class ScopedDiagnosticCapture {
public:
  explicit ScopedDiagnosticCapture(llvm::LLVMContext &context);
  ~ScopedDiagnosticCapture();
  ScopedDiagnosticCapture(const ScopedDiagnosticCapture &) = delete;
  ScopedDiagnosticCapture &operator=(const ScopedDiagnosticCapture &) = delete;

  /// The first error, one line; empty if there was none.
  const std::string &firstError() const { return *FirstError; }

private:
  llvm::LLVMContext &Context;
  std::unique_ptr<llvm::DiagnosticHandler> Previous;
  // Owned here, written by the handler the context owns.
  std::unique_ptr<std::string> FirstError;
};

} // namespace optlm
