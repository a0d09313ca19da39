//===- main.cpp - the optlm command-line front end -------------------------===//
#include "Command.h"

#include "cc/CompilerDriver.h"
#include "flagmodel/ShippedModel.h"
#include "support/DataFolders.h"
#include "verify/Suite.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace optlm::cli {

cl::OptionCategory &optionCategory() {
  static cl::OptionCategory category("optlm options");
  return category;
}

static std::vector<Command> &mutableRegistry() {
  static std::vector<Command> commands;
  return commands;
}

RegisterCommand::RegisterCommand(cl::SubCommand &subcommand, int (*run)()) {
  mutableRegistry().push_back({&subcommand, run});
}

const std::vector<Command> &registeredCommands() { return mutableRegistry(); }

static llvm::StringRef ActiveCommand = "optlm";

int reportError(int exitCode, const llvm::Twine &message) {
  errs() << "optlm " << ActiveCommand << ": error: " << message << "\n";
  return exitCode;
}

} // namespace optlm::cli

int main(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  using namespace optlm::cli;

  // `optlm cc` / `optlm c++` (and links named optlm-cc / optlm-c++) stand in
  // for clang-19: its arguments must reach the compiler driver untouched,
  // so they never go through llvm::cl.
  if (std::optional<optlm::cc::DriverCall> call = optlm::cc::driverCall(argc, argv))
    return optlm::cc::runCompilerDriver(call->personality,
                                        std::vector<std::string>(argv + call->skip, argv + argc));
  cl::HideUnrelatedOptions(optionCategory());
  // After LLVM's own lines: which optlm, and which of its files it reads
  // (the build tree's, or an installation's share/optlm).
  cl::AddExtraVersionPrinter([](raw_ostream &out) {
    out << "optlm " << OPTLM_VERSION << "\n";
    for (const std::string &folder : optlm::verify::defaultSuiteDirectories())
      out << "  suite: " << folder << "\n";
    std::optional<std::string> model = optlm::flagmodel::findShippedModel(optlm::Target::X86_64);
    out << "  flag-tuning model (x86_64): " << model.value_or("none") << "\n";
  });

  // Passing an error stream makes the parser return false instead of exiting
  // with status 1, so that usage errors get optlm's own exit code.
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "optlm: language models for compiler optimization\n\n"
          "  Run 'optlm SUBCOMMAND --help' for the options of one subcommand.\n",
          &errs()))
    return ExitUsage;

  for (const Command &command : registeredCommands())
    if (*command.subcommand) {
      ActiveCommand = command.subcommand->getName();
      return command.run();
    }

  errs() << "optlm: no subcommand given; run 'optlm --help' for the list\n";
  return ExitUsage;
}
