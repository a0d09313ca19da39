//===- Evaluation.cpp - targets and outcomes by name ----------------------===//
#include "engine/Evaluation.h"

#include "ir/ModuleLoader.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

namespace optlm {

StringRef targetTriple(Target target) {
  switch (target) {
  case Target::X86_64:
    return "x86_64-unknown-linux-gnu";
  case Target::AArch64:
    return "aarch64-unknown-linux-gnu";
  }
  llvm_unreachable("every Target has a triple");
}

Expected<Target> parseTarget(StringRef text) {
  std::optional<Target> shortName = StringSwitch<std::optional<Target>>(text.trim())
                                        .Cases("x86_64", "x86-64", Target::X86_64)
                                        .Cases("aarch64", "arm64", Target::AArch64)
                                        .Default(std::nullopt);
  if (shortName)
    return *shortName;
  // A full triple: any spelling of Linux on one of the two architectures
  // ("x86_64-linux-gnu", "x86_64-unknown-linux-gnu", ...).
  if (text.contains('-')) {
    Triple triple(Triple::normalize(text.trim()));
    if (triple.isOSLinux() && triple.getArch() == Triple::x86_64)
      return Target::X86_64;
    if (triple.isOSLinux() && triple.getArch() == Triple::aarch64)
      return Target::AArch64;
  }
  return createStringError("unknown target '%s' (expected x86_64, aarch64 or "
                           "their -unknown-linux-gnu triples)",
                           text.str().c_str());
}

Expected<Target> targetForInput(StringRef option, bool optionGiven, StringRef inputPath) {
  if (optionGiven)
    return parseTarget(option);
  std::string triple = irFileTriple(inputPath);
  if (!triple.empty()) {
    Expected<Target> own = parseTarget(triple);
    if (own)
      return *own;
    consumeError(own.takeError());
  }
  return Target::X86_64;
}

StringRef outcomeName(Outcome outcome) {
  switch (outcome) {
  case Outcome::Ok:
    return "ok";
  case Outcome::InvalidPipeline:
    return "invalid-pipeline";
  case Outcome::InvalidIR:
    return "invalid-ir";
  case Outcome::Crash:
    return "crash";
  case Outcome::Fatal:
    return "fatal";
  case Outcome::Timeout:
    return "timeout";
  case Outcome::OutOfMemory:
    return "out-of-memory";
  }
  llvm_unreachable("every Outcome has a name");
}

} // namespace optlm
