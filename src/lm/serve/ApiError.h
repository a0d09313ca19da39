//===- ApiError.h - errors with an HTTP status ----------------------*- C++ -*-===//
//
// An error of the OpenAI-style API: what the server answers with (status,
// error type, message) and what the client reports when a server refuses a
// request. Being an llvm::ErrorInfo, it travels through Expected like any
// other error and can still be told apart (handleErrors / errorToErrorCode)
// where the status matters, e.g. to decide whether a retry can help.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

#include <string>

namespace optlm::lm {

class ApiError : public llvm::ErrorInfo<ApiError> {
public:
  static char ID;

  /// type follows OpenAI's names: "invalid_request_error", "server_error",
  /// ...; param names the offending request field, or is empty.
  /// code: OpenAI's machine-readable error code ("context_length_exceeded"),
  /// or empty (the reply's "code" is then the status, as llama.cpp's is).
  ApiError(int status, std::string type, std::string message, std::string param = "",
           std::string code = "")
      : Status(status), Type(std::move(type)), Message(std::move(message)), Param(std::move(param)),
        Code(std::move(code)) {}

  int status() const { return Status; }
  const std::string &type() const { return Type; }
  const std::string &param() const { return Param; }
  const std::string &code() const { return Code; }

  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;

private:
  int Status;
  std::string Type;
  std::string Message;
  std::string Param;
  std::string Code;
};

/// The code OpenAI's API gives a prompt longer than the model's context.
inline constexpr llvm::StringLiteral ContextLengthExceededCode = "context_length_exceeded";

/// Shorthand for the common case, a request the client has to fix (400).
llvm::Error invalidRequest(const llvm::Twine &message, llvm::StringRef param = "");

/// `text` from the other side (a body, a server's message, a URL) quoted in
/// an error message: one line, since the command line prints errors as one
/// line (control characters, newlines among them, become spaces), of at
/// most `limit` characters, a cut marked "...".
std::string oneLineExcerpt(llvm::StringRef text, size_t limit);

} // namespace optlm::lm
