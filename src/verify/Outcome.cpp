//===- Outcome.cpp - how one program fared under one pipeline --------------===//
#include "verify/Outcome.h"

#include <array>
#include <utility>

namespace optlm::verify {

namespace {
constexpr std::array<std::pair<Failure, const char *>, 14> FailureNames = {{
    {Failure::None, "none"},
    {Failure::InvalidPipeline, "invalid-pipeline"},
    {Failure::Crash, "crash"},
    {Failure::Fatal, "fatal"},
    {Failure::Timeout, "timeout"},
    {Failure::OutOfMemory, "out-of-memory"},
    {Failure::InvalidIR, "invalid-ir"},
    {Failure::CodegenError, "codegen-error"},
    {Failure::LinkError, "link-error"},
    {Failure::RunTimeout, "run-timeout"},
    {Failure::RunCrash, "run-crash"},
    {Failure::WrongExitCode, "wrong-exit-code"},
    {Failure::WrongOutput, "wrong-output"},
    {Failure::NotRun, "not-run"},
}};
} // namespace

llvm::StringRef failureName(Failure failure) {
  for (const auto &[value, name] : FailureNames)
    if (value == failure)
      return name;
  return "unknown";
}

std::optional<Failure> failureFromName(llvm::StringRef name) {
  for (const auto &[value, text] : FailureNames)
    if (name == text)
      return value;
  return std::nullopt;
}

bool isTimeLimited(Failure failure) {
  return failure == Failure::Timeout || failure == Failure::RunTimeout;
}

} // namespace optlm::verify
