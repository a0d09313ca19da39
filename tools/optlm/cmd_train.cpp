//===- cmd_train.cpp - optlm train: optlm's own models from its data ------===//
//
// optlm train --task flagtune --corpus DIR --labels DATAGEN_OUT[,...] -o M.gguf
//             [--store S] [--runners-up N]
//             [--target T] [--seed N] [--held-out-share F] [--library-size L]
//             [--candidate-modules N] [--proposals K] [--jobs J] [--no-verify]
//
// Trains the flag-tuning model (flagmodel/Trainer.h) from a corpus, the
// flagtune labels `optlm datagen` made for it, and the results store, and
// writes it as GGUF. Progress goes to stderr; the run resumes from the store.
//
//===----------------------------------------------------------------------===//
#include "Command.h"

#include "flagmodel/Trainer.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand trainCommand("train", "Train one of optlm's own models from its data");

cl::opt<std::string> task("task", cl::desc("What the model does: flagtune"), cl::init(""),
                          cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> corpusDirectory("corpus", cl::desc("The corpus the labels were made from"),
                                     cl::value_desc("DIR"), cl::sub(trainCommand),
                                     cl::cat(cli::optionCategory()));
cl::list<std::string> labelsDirectories("labels",
                                        cl::desc("Output folders of optlm datagen --tasks "
                                                 "flagtune (comma-separated or repeated)"),
                                        cl::value_desc("DIR"), cl::CommaSeparated,
                                        cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> storePath("store",
                               cl::desc("Results store of the training's own measurements "
                                        "(a stopped run resumes from it)"),
                               cl::value_desc("PATH"), cl::sub(trainCommand),
                               cl::cat(cli::optionCategory()));

cl::opt<std::string> outputPath("o", cl::desc("Model file to write"), cl::value_desc("M.gguf"),
                                cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> targetName("target", cl::desc("x86_64 (default) or aarch64"),
                                cl::init("x86_64"), cl::sub(trainCommand),
                                cl::cat(cli::optionCategory()));
cl::opt<uint64_t> seed("seed", cl::desc("Seed of the split, sample and folds (default 0)"),
                       cl::init(0), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<double> heldOutShare("held-out-share",
                             cl::desc("Share of packages held out (default 0.2)"),
                             cl::init(0.2), cl::sub(trainCommand),
                             cl::cat(cli::optionCategory()));
cl::opt<unsigned> librarySize("library-size", cl::desc("Lists in the model (default 64)"),
                              cl::init(64), cl::sub(trainCommand),
                              cl::cat(cli::optionCategory()));
cl::opt<unsigned> candidateModules("candidate-modules",
                                   cl::desc("Modules every candidate is measured on "
                                            "(default 120)"),
                                   cl::init(120), cl::sub(trainCommand),
                                   cl::cat(cli::optionCategory()));
cl::opt<unsigned> runnersUpPerModule("runners-up",
                                     cl::desc("Runners-up of each labelled module's search "
                                              "taken as candidates (default 3)"),
                                     cl::init(3), cl::sub(trainCommand),
                                     cl::cat(cli::optionCategory()));
cl::opt<unsigned> proposals("proposals", cl::desc("Lists proposed per module (default 10)"),
                            cl::init(10), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<bool> noVerify("no-verify",
                       cl::desc("Do not check the library's lists with PassListEval"),
                       cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::list<float> priorShares("prior-shares",
                            cl::desc("Prior shares cross-validation tries, in [0, 1] "
                                     "(default 0,0.25,0.5,0.75,1; 1 is the fixed set)"),
                            cl::CommaSeparated, cl::sub(trainCommand),
                            cl::cat(cli::optionCategory()));
cl::list<unsigned> neighbourCounts("neighbours",
                                   cl::desc("Neighbour counts cross-validation tries "
                                            "(default 4,8,16,32,64)"),
                                   cl::CommaSeparated, cl::sub(trainCommand),
                                   cl::cat(cli::optionCategory()));
cl::opt<unsigned> jobs("jobs", cl::desc("Parallel evaluations (default: every core)"),
                       cl::init(0), cl::sub(trainCommand), cl::cat(cli::optionCategory()));

int runTrain() {
  if (task != "flagtune")
    return cli::usageError(task.empty() ? "no --task given (known: flagtune)"
                                        : "unknown --task '" + task + "' (known: flagtune)");
  if (corpusDirectory.empty() || labelsDirectories.empty() || outputPath.empty())
    return cli::usageError("--corpus, --labels and -o are required");
  if (heldOutShare < 0 || heldOutShare >= 1)
    return cli::usageError("--held-out-share must be in [0, 1)");
  if (librarySize == 0 || proposals == 0 || candidateModules == 0)
    return cli::usageError("--library-size, --proposals and --candidate-modules must be "
                           "positive");
  for (float share : priorShares)
    if (!(share >= 0 && share <= 1))
      return cli::usageError("--prior-shares must be in [0, 1]");
  for (unsigned count : neighbourCounts)
    if (count == 0)
      return cli::usageError("--neighbours must be positive");
  auto target = parseTarget(targetName);
  if (!target)
    return cli::usageError(toString(target.takeError()));

  flagmodel::TrainOptions options;
  if (!priorShares.empty())
    options.priorShareChoices.assign(priorShares.begin(), priorShares.end());
  if (!neighbourCounts.empty())
    options.neighbourChoices.assign(neighbourCounts.begin(), neighbourCounts.end());
  options.corpusDirectory = corpusDirectory;
  options.labelsDirectories.assign(labelsDirectories.begin(), labelsDirectories.end());
  options.storePath = storePath;
  options.target = *target;
  options.seed = seed;
  options.heldOutShare = heldOutShare;
  options.librarySize = librarySize;
  options.candidateModules = candidateModules;
  options.proposals = proposals;
  options.runnersUpPerModule = runnersUpPerModule;
  options.jobs = jobs;
  options.verifyLibrary = !noVerify;
  options.progress = &errs();
  flagmodel::TrainReport report;
  auto model = flagmodel::trainFlagModel(options, report);
  if (!model)
    return cli::failure(toString(model.takeError()));
  if (Error error = model->save(outputPath))
    return cli::failure(toString(std::move(error)));
  outs() << "wrote " << outputPath << ": " << model->library.size() << " lists, "
         << model->trainingModules() << " training modules, " << model->neighbours
         << " neighbours, prior share " << format("%.2f", model->priorShare) << "\n";
  for (const flagmodel::CrossValidation &row : report.crossValidation)
    outs() << "  cross-validated, " << row.neighbours << " neighbours, prior share "
           << format("%.2f", row.priorShare) << ": " << format("%.2f", row.reductionPercent)
           << "% smaller than -Oz with " << model->proposals << " lists\n";
  outs() << "  fixed set of " << model->proposals << " lists: "
         << format("%.2f", report.fixedSetReductionPercent) << "%; library ceiling "
         << format("%.2f", report.libraryCeilingPercent) << "%; autotuner labels "
         << format("%.2f", report.labelReductionPercent) << "%\n";
  return cli::ExitOk;
}

cli::RegisterCommand registration(trainCommand, runTrain);

} // namespace
