//===- Command.h - optlm subcommand registry ---------------------*- C++ -*-===//
//
// The optlm tool is a thin driver: each subcommand lives in its own file in
// this folder, declares an llvm::cl::SubCommand with its options, and
// registers a run function here. main() parses the command line once and
// dispatches to the subcommand the user named.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace optlm::cli {

/// Exit codes shared by every subcommand.
enum ExitCode : int {
  ExitOk = 0,
  /// The work ran but did not succeed (an evaluation failed, a check rejected).
  ExitFailed = 1,
  /// Bad usage or bad input: the user has to change what they asked for.
  ExitUsage = 2,
};

/// The option category every optlm option belongs to, so that --help hides
/// the hundreds of options that libLLVM registers for its own tools.
llvm::cl::OptionCategory &optionCategory();

struct Command {
  llvm::cl::SubCommand *subcommand;
  int (*run)();
};

/// Registers a subcommand at static-initialisation time. The tool's sources
/// are compiled straight into the executable, so these objects are never
/// dropped by the linker.
class RegisterCommand {
public:
  RegisterCommand(llvm::cl::SubCommand &subcommand, int (*run)());
};

const std::vector<Command> &registeredCommands();

/// Prints "optlm SUBCOMMAND: error: MESSAGE" (one line, the subcommand that
/// is running) and returns exitCode, for `return usageError(...)`.
int reportError(int exitCode, const llvm::Twine &message);
inline int usageError(const llvm::Twine &message) { return reportError(ExitUsage, message); }
inline int failure(const llvm::Twine &message) { return reportError(ExitFailed, message); }

/// Two decimal numbers joined by `separator` ("1:3", "0/4"); nothing when
/// the text is not that. What the numbers may be is the option's to check.
inline std::optional<std::pair<uint64_t, uint64_t>> parseNumberPair(llvm::StringRef text,
                                                                    char separator) {
  auto [first, second] = text.split(separator);
  uint64_t a = 0, b = 0;
  if (first.getAsInteger(10, a) || second.getAsInteger(10, b))
    return std::nullopt;
  return std::make_pair(a, b);
}

} // namespace optlm::cli
