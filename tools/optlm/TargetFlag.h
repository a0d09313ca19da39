//===- TargetFlag.h - --target, declared once for every subcommand -*- C++ -*-===//
//
// Nine subcommands take --target: x86_64 or aarch64 (or their triples).
// Those that read one IR file default to the file's own target (size, opt,
// tune, emulate); the others to x86_64. This is the one declaration of the
// option and of both rules.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "Command.h"

#include "engine/Evaluation.h"

#include "llvm/Support/CommandLine.h"

#include <string>

namespace optlm::cli {

class TargetFlag {
public:
  /// What --target means when it is not given.
  enum class Default { X86_64, InputIR };

  /// `note` ends the help line (how programs run there, say).
  TargetFlag(llvm::cl::SubCommand &command, Default byDefault, llvm::StringRef note = "")
      : Help(helpLine(byDefault, note)),
        Name("target", llvm::cl::desc(Help), llvm::cl::init("x86_64"), llvm::cl::sub(command),
             llvm::cl::cat(optionCategory())) {}

  /// The target --target names (x86_64 when not given).
  llvm::Expected<Target> get() const { return parseTarget(Name); }
  /// The target --target names, else the input IR's own, else x86_64.
  llvm::Expected<Target> forInput(llvm::StringRef inputPath) const {
    return targetForInput(Name, Name.getNumOccurrences() > 0, inputPath);
  }

private:
  static std::string helpLine(Default byDefault, llvm::StringRef note) {
    std::string line = byDefault == Default::InputIR
                           ? "x86_64 or aarch64, or their triples (default: the input IR's own, "
                             "else x86_64)"
                           : "x86_64 (default) or aarch64, or their triples";
    if (!note.empty())
      line += "; " + note.str();
    return line;
  }

  std::string Help; ///< cl::desc keeps a reference: declared before Name
  llvm::cl::opt<std::string> Name;
};

} // namespace optlm::cli
