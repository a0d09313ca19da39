//===- cmd_train.cpp - optlm train: optlm's own models from its data ------===//
//
// optlm train --task flagtune --corpus DIR --labels DATAGEN_OUT[,...] -o M.gguf
//             [--store S] [--runners-up N]
//             [--target T] [--seed N] [--held-out-share F] [--library-size L]
//             [--candidate-modules N] [--candidate-labels PATH[,...]] [--proposals K]
//             [--chains PLAN] [--library-from M.gguf] [--part-rows] [--size-table T.jsonl]
//             [--inliner-free-slot=false] [--jobs J] [--no-verify]
// optlm train --task flagtune --verify-library M.gguf -o OUT.gguf [--store S]
//             [--chains PLAN]
// optlm train --task lm --data DATAGEN_OUT|FILE.jsonl -o M.gguf [--valid V]
//             [--tokenizer M.gguf | --vocab-size N [--tokenizer-style S]]
//             [--dim D] [--layers L]
//             [--heads H] [--kv-heads K] [--ff F] [--context C] [--steps S]
//             [--batch B] [--lr R] [--warmup W] [--seed N] [--checkpoint-dir DIR]
//             [--checkpoint-every N] [--threads T] [--type f16|q8_0|f32|bf16]
//             [--precision auto|f32|bf16]
//
// flagtune trains the flag-tuning model (flagmodel/Trainer.h) from a corpus,
// the flagtune labels `optlm datagen` made for it, and the results store;
// lm trains a Llama language model on libtorch (train/Trainer.h) from
// datagen records. Both write GGUF and report progress on stderr; flagtune
// resumes from its store, lm from its checkpoint folder.
//
//===----------------------------------------------------------------------===//
#include "Command.h"
#include "TargetFlag.h"

#include "flagmodel/Trainer.h"
#ifdef OPTLM_HAVE_TRAIN
#include "train/Export.h"
#include "train/Trainer.h"
#endif

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <optional>

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand trainCommand("train", "Train one of optlm's own models from its data");

cl::opt<std::string> Task("task", cl::desc("What the model does: flagtune or lm"), cl::init(""),
                          cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> CorpusDirectory("corpus", cl::desc("The corpus the labels were made from"),
                                     cl::value_desc("DIR"), cl::sub(trainCommand),
                                     cl::cat(cli::optionCategory()));
cl::list<std::string> LabelSources("labels",
                                   cl::desc("Output folders of optlm datagen --tasks "
                                            "flagtune or .jsonl files of its records "
                                            "(comma-separated or repeated)"),
                                   cl::value_desc("PATH"), cl::CommaSeparated,
                                   cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::list<std::string> CandidateLabels(
    "candidate-labels",
    cl::desc("flagtune: label folders or .jsonl files whose lists join the candidates though "
             "their modules are not in the corpus (training packages of another build or "
             "another target; comma-separated or repeated)"),
    cl::value_desc("PATH"), cl::CommaSeparated, cl::sub(trainCommand),
    cl::cat(cli::optionCategory()));
cl::opt<std::string> StorePath("store",
                               cl::desc("Results store of the training's own measurements "
                                        "(a stopped run resumes from it)"),
                               cl::value_desc("PATH"), cl::sub(trainCommand),
                               cl::cat(cli::optionCategory()));

cl::opt<std::string> OutputPath("o", cl::desc("Model file to write"), cl::value_desc("M.gguf"),
                                cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cli::TargetFlag TargetOption(trainCommand, cli::TargetFlag::Default::X86_64);
cl::opt<uint64_t> Seed("seed",
                       cl::desc("flagtune: seed of the split, sample and folds; lm: of the "
                                "initial weights and data order (default 0)"),
                       cl::init(0), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<double> HeldOutShare("held-out-share", cl::desc("Share of packages held out (default 0.2)"),
                             cl::init(0.2), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> LibrarySize("library-size", cl::desc("Lists in the model (default 64)"),
                              cl::init(64), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> TrainingModules(
    "training-modules",
    cl::desc("Training modules in the size table: the labelled ones and a seeded sample of the "
             "others (default 0: all)"),
    cl::init(0), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<bool> BalancePackages(
    "balance-packages",
    cl::desc("flagtune: take --training-modules from every package in turn (each package's "
             "labelled modules first) instead of all labelled modules and a sample of the rest"),
    cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> CandidateModules("candidate-modules",
                                   cl::desc("Modules every candidate is measured on "
                                            "(default 120)"),
                                   cl::init(120), cl::sub(trainCommand),
                                   cl::cat(cli::optionCategory()));
cl::opt<bool> OzVariants("oz-variants",
                         cl::desc("flagtune: also take -Oz's passes as a flat list, and each "
                                  "variant of it with one pass left out, as candidates"),
                         cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> GeneralLists(
    "general-lists",
    cl::desc("flagtune: search this many lists for the cover of many training modules at once, "
             "each for what the ones before leave; they join the candidates (or, with "
             "--library-from, the library)"),
    cl::init(0), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> GeneralListModules("general-list-modules",
                                     cl::desc("flagtune: training modules, from every package in "
                                              "turn, those searches compile each candidate on "
                                              "(default 40)"),
                                     cl::init(40), cl::sub(trainCommand),
                                     cl::cat(cli::optionCategory()));
cl::opt<unsigned> GeneralListEvaluations("general-list-evaluations",
                                         cl::desc("flagtune: search evaluations per general list "
                                                  "(default 200)"),
                                         cl::init(200), cl::sub(trainCommand),
                                         cl::cat(cli::optionCategory()));
cl::opt<unsigned> RunnersUpPerModule("runners-up",
                                     cl::desc("Runners-up of each labelled module's search "
                                              "taken as candidates (default 3)"),
                                     cl::init(3), cl::sub(trainCommand),
                                     cl::cat(cli::optionCategory()));
cl::opt<unsigned> Proposals("proposals", cl::desc("Lists proposed per module (default 10)"),
                            cl::init(10), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> ChainsOption(
    "chains",
    cl::desc("flagtune: the last compilations' plan, pipelines made of the best lists so far "
             "(A the best, B the second; rounds separated by '/'; \"\" for none; default AB,BA)"),
    cl::init(flagmodel::kDefaultChains.str()), cl::sub(trainCommand),
    cl::cat(cli::optionCategory()));
cl::opt<bool> NoVerify("no-verify", cl::desc("Do not check the library's lists with PassListEval"),
                       cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::list<float> PriorShares("prior-shares",
                            cl::desc("Prior shares cross-validation tries, in [0, 1] "
                                     "(default 0,0.25,0.5,0.75,1; 1 is the fixed set)"),
                            cl::CommaSeparated, cl::sub(trainCommand),
                            cl::cat(cli::optionCategory()));
cl::list<unsigned> NeighbourCounts("neighbours",
                                   cl::desc("Neighbour counts cross-validation tries "
                                            "(default 4,8,16,32,64)"),
                                   cl::CommaSeparated, cl::sub(trainCommand),
                                   cl::cat(cli::optionCategory()));
cl::opt<std::string> LibraryToVerify(
    "verify-library",
    cl::desc("flagtune: check an existing model's library with PassListEval on this machine "
             "and write the model (-o) with where it was verified, instead of training"),
    cl::value_desc("M.gguf"), cl::init(""), cl::sub(trainCommand));
cl::opt<std::string> LibraryFrom(
    "library-from",
    cl::desc("flagtune: keep this model's library (and its PassListEval verdicts) instead of "
             "mining one from the labels, which are then optional"),
    cl::value_desc("M.gguf"), cl::init(""), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<bool> PartRows("part-rows",
                       cl::desc("flagtune: the size table's rows are the parts of the training "
                                "modules, cut as optlm tune cuts a unit; the model then chooses "
                                "each part's lists from the part's own features"),
                       cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> SizeTablePath(
    "size-table",
    cl::desc("flagtune: also write the size table (every row's score under every library "
             "list) as JSON lines, for studying choices on training data"),
    cl::value_desc("FILE.jsonl"), cl::init(""), cl::sub(trainCommand),
    cl::cat(cli::optionCategory()));
cl::opt<bool> InlinerFreeSlot(
    "inliner-free-slot",
    cl::desc("flagtune: cross-validation models optlm tune's inliner-free slot (on by default, "
             "as in optlm tune; =false to choose without it)"),
    cl::init(flagmodel::TrainOptions().inlinerFreeSlot), cl::sub(trainCommand),
    cl::cat(cli::optionCategory()));
cl::opt<unsigned> Jobs("jobs", cl::desc("Parallel evaluations (default: every core)"), cl::init(0),
                       cl::sub(trainCommand), cl::cat(cli::optionCategory()));

// --task lm
cl::opt<std::string> DataPath("data",
                              cl::desc("lm: records to train on: an optlm datagen folder "
                                       "(split/train.jsonl when optlm split made one, else "
                                       "every shard) or a .jsonl file"),
                              cl::value_desc("PATH"), cl::sub(trainCommand),
                              cl::cat(cli::optionCategory()));
cl::opt<std::string> ValidPath("valid",
                               cl::desc("lm: validation records (default: the data folder's "
                                        "split/valid.jsonl, if any)"),
                               cl::value_desc("PATH"), cl::sub(trainCommand),
                               cl::cat(cli::optionCategory()));
cl::opt<std::string> TokenizerPath("tokenizer",
                                   cl::desc("lm: take the vocabulary of this GGUF instead of "
                                            "training a SentencePiece one"),
                                   cl::value_desc("M.gguf"), cl::sub(trainCommand),
                                   cl::cat(cli::optionCategory()));
cl::opt<std::string> InitFromPath("init-from",
                                  cl::desc("lm: start from this GGUF Llama model (fine-tuning): "
                                           "its shape, vocabulary and weights; --context "
                                           "still sets the training context"),
                                  cl::value_desc("M.gguf"), cl::sub(trainCommand),
                                  cl::cat(cli::optionCategory()));
cl::opt<unsigned> VocabSize("vocab-size",
                            cl::desc("lm: pieces of the SentencePiece vocabulary (default 4096)"),
                            cl::init(4096), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string>
    TokenizerStyleName("tokenizer-style",
                       cl::desc("lm: how the trained vocabulary's pieces form: llama (Llama 2's "
                                "settings, default) or code (pieces span spaces, punctuation and "
                                "numbers: far shorter sequences of IR and assembly)"),
                       cl::init("llama"), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> EmbeddingDim("dim", cl::desc("lm: embedding dimension (default 256)"),
                               cl::init(256), cl::sub(trainCommand),
                               cl::cat(cli::optionCategory()));
cl::opt<unsigned> LayerCount("layers", cl::desc("lm: transformer blocks (default 4)"), cl::init(4),
                             cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> HeadCount("heads", cl::desc("lm: attention heads (default 8)"), cl::init(8),
                            cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> KvHeadCount("kv-heads",
                              cl::desc("lm: key/value heads, fewer for grouped-query attention "
                                       "(default: --heads)"),
                              cl::init(0), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> FeedForwardDim("ff",
                                 cl::desc("lm: feed-forward dimension (default 4 * dim * "
                                          "2/3, rounded up to 32)"),
                                 cl::init(0), cl::sub(trainCommand),
                                 cl::cat(cli::optionCategory()));
cl::opt<unsigned> ContextLength("context", cl::desc("lm: context length (default 1024)"),
                                cl::init(1024), cl::sub(trainCommand),
                                cl::cat(cli::optionCategory()));
cl::opt<int64_t> Steps("steps", cl::desc("lm: optimizer steps (default 1000)"), cl::init(1000),
                       cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<int64_t> BatchSize("batch", cl::desc("lm: records per step (default 8)"), cl::init(8),
                           cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<float> LearningRate("lr", cl::desc("lm: peak learning rate (default 1e-3)"),
                            cl::init(1e-3f), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<int64_t> WarmupSteps("warmup", cl::desc("lm: warm-up steps (default min(100, steps / 10))"),
                             cl::init(-1), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<float> WeightDecay("weight-decay", cl::desc("lm: AdamW weight decay (default 0.1)"),
                           cl::init(0.1f), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> CheckpointDirectory("checkpoint-dir",
                                         cl::desc("lm: checkpoint folder; a run with one "
                                                  "resumes from its last checkpoint"),
                                         cl::value_desc("DIR"), cl::sub(trainCommand),
                                         cl::cat(cli::optionCategory()));
cl::opt<int64_t> CheckpointEvery("checkpoint-every",
                                 cl::desc("lm: steps between checkpoints (default 100)"),
                                 cl::init(100), cl::sub(trainCommand),
                                 cl::cat(cli::optionCategory()));
cl::opt<int64_t> EvalEvery("eval-every",
                           cl::desc("lm: steps between validation losses (default 100)"),
                           cl::init(100), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<int64_t> LogEvery("log-every", cl::desc("lm: steps between progress lines (default 10)"),
                          cl::init(10), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<unsigned> Threads("threads", cl::desc("lm: threads (default: every core)"), cl::init(0),
                          cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<int64_t> LengthWindows(
    "length-windows",
    cl::desc("lm: batches of similar lengths, sorted within windows of N batches (saves the "
             "padding a GPU's whole-batch pass computes; default 0: plain shuffled batches)"),
    cl::init(0), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<double> TimeLimit("time-limit",
                          cl::desc("lm: seconds after which the run stops at the end of a step, "
                                   "checkpoints and writes the model it has (default: none)"),
                          cl::init(0), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> Device("device",
                            cl::desc("lm: cpu (default) or cuda[:N]: a GPU, where libtorch has "
                                     "CUDA (whole batches, bf16 matrix products)"),
                            cl::init("cpu"), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> PrecisionName(
    "precision",
    cl::desc("lm: matrix products in f32 or bf16 (mixed precision: weights, norms, softmax "
             "statistics and loss stay float); default auto: bf16 on a GPU and on a CPU with "
             "AMX-BF16, f32 on other CPUs"),
    cl::init("auto"), cl::sub(trainCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> WeightTypeName("type",
                                    cl::desc("lm: type of the exported matrices: f16 (default), "
                                             "q8_0, bf16 or f32"),
                                    cl::init("f16"), cl::sub(trainCommand),
                                    cl::cat(cli::optionCategory()));

cl::opt<bool> DataParallel("data-parallel",
                           cl::desc("lm: train with every process of the MPI job this one runs "
                                    "in (mpirun -np N optlm train ...), each on its share of "
                                    "every batch"),
                           cl::sub(trainCommand), cl::cat(cli::optionCategory()));

int runTrainLanguageModel() {
#ifndef OPTLM_HAVE_TRAIN
  return cli::failure("this optlm was built without libtorch, so --task lm is not available "
                      "(install libtorch-dev and rebuild)");
#else
  if (DataPath.empty() || OutputPath.empty())
    return cli::usageError("--data and -o are required");
  train::LmTrainOptions options;
  options.trainFiles = train::dataFiles(DataPath, "train");
  if (options.trainFiles.empty())
    return cli::usageError("no records in '" + DataPath + "'");
  if (!ValidPath.empty()) {
    options.validFiles = train::dataFiles(ValidPath, "valid");
    if (options.validFiles.empty())
      return cli::usageError("no records in '" + ValidPath + "'");
  } else if (sys::fs::is_directory(DataPath)) {
    options.validFiles = train::dataFiles(DataPath, "valid");
  }
  std::optional<lm::TensorType> weightType;
  for (lm::TensorType type :
       {lm::TensorType::F16, lm::TensorType::Q8_0, lm::TensorType::BF16, lm::TensorType::F32})
    if (WeightTypeName == lm::tensorTypeTraits(uint32_t(type))->name)
      weightType = type;
  if (!weightType)
    return cli::usageError("--type must be f16, q8_0, bf16 or f32");
  if (Steps <= 0 || BatchSize <= 0 || CheckpointEvery <= 0 || EvalEvery <= 0 || LogEvery <= 0)
    return cli::usageError("--steps, --batch and the intervals must be positive");
  if (!InitFromPath.empty() && !TokenizerPath.empty())
    return cli::usageError("--init-from takes the model's own vocabulary: drop --tokenizer");
  options.tokenizerPath = TokenizerPath;
  options.initFromPath = InitFromPath;
  options.vocabSize = VocabSize;
  auto tokenizerStyle = train::parseTokenizerStyle(TokenizerStyleName);
  if (!tokenizerStyle)
    return cli::usageError(toString(tokenizerStyle.takeError()));
  if (TokenizerStyleName.getNumOccurrences() && (!TokenizerPath.empty() || !InitFromPath.empty()))
    return cli::usageError("--tokenizer-style shapes a vocabulary trained here: drop --tokenizer "
                           "and --init-from, or the style");
  options.tokenizerStyle = *tokenizerStyle;
  options.shape.embeddingDim = EmbeddingDim;
  options.shape.layerCount = LayerCount;
  options.shape.headCount = HeadCount;
  options.shape.kvHeadCount = KvHeadCount ? KvHeadCount : HeadCount;
  options.shape.feedForwardDim =
      FeedForwardDim ? FeedForwardDim : (EmbeddingDim * 8 / 3 + 31) / 32 * 32;
  options.shape.contextLength = ContextLength;
  options.steps = Steps;
  options.batchSize = BatchSize;
  // Written so that NaN fails too.
  if (!(LearningRate >= 0 && std::isfinite(LearningRate)))
    return cli::usageError("--lr must be a number, 0 or more");
  if (!(WeightDecay >= 0 && std::isfinite(WeightDecay)))
    return cli::usageError("--weight-decay must be a number, 0 or more");
  options.learningRate = LearningRate;
  options.warmupSteps = WarmupSteps;
  options.optimizer.weightDecay = WeightDecay;
  options.seed = Seed;
  options.checkpointDirectory = CheckpointDirectory;
  options.checkpointEvery = CheckpointEvery;
  options.evalEvery = EvalEvery;
  options.logEvery = LogEvery;
  options.threads = static_cast<int>(Threads);
  using Precision = train::ComputeSettings::Precision;
  std::optional<Precision> precision = StringSwitch<std::optional<Precision>>(PrecisionName)
                                           .Case("auto", Precision::Auto)
                                           .Case("f32", Precision::Float)
                                           .Case("bf16", Precision::BFloat16)
                                           .Default(std::nullopt);
  if (!precision)
    return cli::usageError("--precision must be auto, f32 or bf16");
  options.compute = train::ComputeSettings::forDevice(Device, *precision);
  if (!(TimeLimit >= 0))
    return cli::usageError("--time-limit must not be negative");
  options.timeLimitSeconds = TimeLimit;
  if (LengthWindows < 0)
    return cli::usageError("--length-windows must not be negative");
  options.lengthWindows = LengthWindows;
  options.progress = &errs();
  std::unique_ptr<train::ProcessGroup> group;
  if (DataParallel) {
    auto joined = train::joinMpiJob();
    if (!joined)
      return cli::failure(toString(joined.takeError()));
    group = std::move(*joined);
    options.group = group.get();
  }
  auto trained = train::trainLanguageModel(options);
  if (!trained)
    return cli::failure(toString(trained.takeError()));
  if (group && group->rank() != 0)
    return cli::ExitOk; // rank 0 writes the model and says so
  train::ExportOptions exportOptions;
  exportOptions.type = *weightType;
  if (Error error =
          train::exportGGUF(*trained->network, trained->vocabulary, OutputPath, exportOptions))
    return cli::failure(toString(std::move(error)));
  const train::LmTrainReport &report = trained->report;
  outs() << "wrote " << OutputPath << ": " << report.parameters << " parameters, vocabulary "
         << trained->vocabulary.size() << ", " << report.steps << " steps"
         << (report.stoppedByTimeLimit ? " (stopped by --time-limit)" : "") << ", train loss "
         << format("%.3f", report.trainLoss);
  if (!std::isnan(report.validLoss))
    outs() << ", validation loss " << format("%.3f", report.validLoss);
  outs() << ", " << format("%.0f", report.tokensPerSecond) << " tokens/s\n";
  return cli::ExitOk;
#endif
}

int runVerifyLibrary() {
  if (OutputPath.empty())
    return cli::usageError("--verify-library needs -o");
  auto target = TargetOption.get();
  if (!target)
    return cli::usageError(toString(target.takeError()));
  auto model = flagmodel::FlagModel::load(LibraryToVerify, *target);
  if (!model)
    return cli::usageError(toString(model.takeError()));
  if (ChainsOption.getNumOccurrences()) {
    auto plan = flagmodel::ChainPlan::parse(ChainsOption);
    if (!plan)
      return cli::usageError(toString(plan.takeError()));
    if (!plan->leavesListsIn(model->proposals))
      return cli::usageError("--chains leave none of the model's compilations for its lists");
    model->chains = std::move(*plan);
  }
  if (Error error = flagmodel::verifyLibrary(*model, StorePath, Jobs, &errs()))
    return cli::failure(toString(std::move(error)));
  if (Error error = model->save(OutputPath))
    return cli::failure(toString(std::move(error)));
  outs() << "wrote " << OutputPath << ": " << model->library.size()
         << " lists accepted by PassListEval on suite " << model->verifiedSuite << " (LLVM "
         << model->verifiedLlvm << ")\n";
  return cli::ExitOk;
}

int runTrain() {
  if (Task == "lm")
    return runTrainLanguageModel();
  if (Task != "flagtune")
    return cli::usageError(Task.empty() ? "no --task given (known: flagtune, lm)"
                                        : "unknown --task '" + Task + "' (known: flagtune, lm)");
  if (!LibraryToVerify.empty())
    return runVerifyLibrary();
  if (CorpusDirectory.empty() || OutputPath.empty() ||
      (LabelSources.empty() && LibraryFrom.empty()))
    return cli::usageError("--corpus, --labels (unless --library-from) and -o are required");
  if (!(HeldOutShare >= 0 && HeldOutShare < 1))
    return cli::usageError("--held-out-share must be in [0, 1)");
  if (LibrarySize == 0 || Proposals == 0 || CandidateModules == 0)
    return cli::usageError("--library-size, --proposals and --candidate-modules must be "
                           "positive");
  if (BalancePackages && TrainingModules == 0)
    return cli::usageError("--balance-packages shapes the sample of --training-modules: give both");
  for (float share : PriorShares)
    if (!(share >= 0 && share <= 1))
      return cli::usageError("--prior-shares must be in [0, 1]");
  for (unsigned count : NeighbourCounts)
    if (count == 0)
      return cli::usageError("--neighbours must be positive");
  auto target = TargetOption.get();
  if (!target)
    return cli::usageError(toString(target.takeError()));
  auto chains = flagmodel::ChainPlan::parse(ChainsOption);
  if (!chains)
    return cli::usageError(toString(chains.takeError()));
  if (!chains->leavesListsIn(Proposals))
    return cli::usageError("--chains leave none of the --proposals for the library's lists");

  // A bad model file is a bad input, as for --verify-library: exit 2.
  if (!LibraryFrom.empty())
    if (auto source = flagmodel::FlagModel::load(LibraryFrom, *target); !source)
      return cli::usageError(toString(source.takeError()));

  flagmodel::TrainOptions options;
  options.chains = std::move(*chains);
  if (!PriorShares.empty())
    options.priorShareChoices.assign(PriorShares.begin(), PriorShares.end());
  if (!NeighbourCounts.empty())
    options.neighbourChoices.assign(NeighbourCounts.begin(), NeighbourCounts.end());
  options.corpusDirectory = CorpusDirectory;
  options.labelSources.assign(LabelSources.begin(), LabelSources.end());
  options.candidateLabelSources.assign(CandidateLabels.begin(), CandidateLabels.end());
  options.storePath = StorePath;
  options.target = *target;
  options.seed = Seed;
  options.heldOutShare = HeldOutShare;
  options.librarySize = LibrarySize;
  options.candidateModules = CandidateModules;
  options.maxTrainingModules = TrainingModules;
  options.balancePackages = BalancePackages;
  options.proposals = Proposals;
  options.runnersUpPerModule = RunnersUpPerModule;
  options.ozVariants = OzVariants;
  options.libraryFrom = LibraryFrom;
  options.generalLists = GeneralLists;
  options.generalListModules = GeneralListModules;
  options.generalListEvaluations = GeneralListEvaluations;
  options.partRows = PartRows;
  options.sizeTablePath = SizeTablePath;
  options.inlinerFreeSlot = InlinerFreeSlot;
  options.jobs = Jobs;
  options.verifyLibrary = !NoVerify;
  options.progress = &errs();
  flagmodel::TrainReport report;
  auto model = flagmodel::trainFlagModel(options, report);
  if (!model)
    return cli::failure(toString(model.takeError()));
  if (Error error = model->save(OutputPath))
    return cli::failure(toString(std::move(error)));
  outs() << "wrote " << OutputPath << ": " << model->library.size() << " lists, "
         << model->trainingModules()
         << (model->partRows ? " training parts, " : " training modules, ") << model->neighbours
         << " neighbours, prior share " << format("%.2f", model->priorShare) << "\n";
  if (options.generalLists)
    outs() << "  general lists found: " << report.generalLists.size() << " of "
           << options.generalLists << "\n";
  for (const flagmodel::CrossValidation &row : report.crossValidation)
    outs() << "  cross-validated, " << row.neighbours << " neighbours, prior share "
           << format("%.2f", row.priorShare) << ": " << format("%.2f", row.reductionPercent)
           << "% smaller than -Oz with " << model->libraryProposals() << " lists\n";
  outs() << "  fixed set of " << model->libraryProposals()
         << " lists: " << format("%.2f", report.fixedSetReductionPercent) << "%; library ceiling "
         << format("%.2f", report.libraryCeilingPercent) << "%; autotuner labels "
         << format("%.2f", report.labelReductionPercent) << "%\n";
  return cli::ExitOk;
}

cli::RegisterCommand registration(trainCommand, runTrain);

} // namespace
