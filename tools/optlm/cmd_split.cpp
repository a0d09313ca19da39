//===- cmd_split.cpp - optlm split: train/valid/test by source program ===//
//
// optlm split OUTDIR [--train 0.8 --valid 0.1 --test 0.1] [--seed S]
//
// Writes OUTDIR/split/{train,valid,test}.jsonl so that no source program
// has records in two splits (see data/Split.h).
//
//===----------------------------------------------------------------------===//
#include "Command.h"

#include "data/Split.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand splitCommand("split", "Split a datagen output by source program");

cl::opt<std::string> Directory(cl::Positional, cl::desc("OUTDIR"), cl::sub(splitCommand),
                               cl::cat(cli::optionCategory()));
cl::opt<double> TrainFraction("train", cl::desc("Share of records for training (default 0.8)"),
                              cl::init(0.8), cl::sub(splitCommand), cl::cat(cli::optionCategory()));
cl::opt<double> ValidFraction("valid", cl::desc("Share for validation (default 0.1)"),
                              cl::init(0.1), cl::sub(splitCommand), cl::cat(cli::optionCategory()));
cl::opt<double> TestFraction("test", cl::desc("Share for testing (default 0.1)"), cl::init(0.1),
                             cl::sub(splitCommand), cl::cat(cli::optionCategory()));
cl::opt<uint64_t> Seed("seed", cl::desc("Seed of the assignment (default 0)"), cl::init(0),
                       cl::sub(splitCommand), cl::cat(cli::optionCategory()));

int runSplit() {
  if (Directory.empty())
    return optlm::cli::usageError("no datagen folder given (usage: optlm split OUTDIR [--train F "
                                  "--valid F --test F] [--seed S])");
  data::SplitOptions options;
  options.directory = Directory;
  options.train = TrainFraction;
  options.valid = ValidFraction;
  options.test = TestFraction;
  options.seed = Seed;
  if (Error error = data::checkSplitOptions(options))
    return optlm::cli::usageError(toString(std::move(error)));
  if (!sys::fs::is_directory(Directory))
    return optlm::cli::usageError("'" + Directory + "' is not a folder");
  auto summary = data::splitDataset(options);
  if (!summary)
    return optlm::cli::usageError(toString(summary.takeError()));
  for (const char *split : {"train", "valid", "test"}) {
    const auto &entry = (*summary)["splits"][split];
    outs() << split << ": " << entry["records"].get<uint64_t>() << " records, "
           << entry["programs"].get<uint64_t>() << " programs\n";
  }
  return cli::ExitOk;
}

cli::RegisterCommand registration(splitCommand, runSplit);

} // namespace
