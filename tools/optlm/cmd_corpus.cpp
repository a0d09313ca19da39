//===- cmd_corpus.cpp - optlm corpus: build and list a corpus of modules ===//
//
// optlm corpus add DIR_OR_FILE... [--corpus DIR] [--targets T,...] [--package P]
// optlm corpus add --compile-commands compile_commands.json [--corpus DIR]
// optlm corpus add --csmith BEGIN:END [--corpus DIR]
// optlm corpus add --from-corpus OTHER [--corpus DIR]
//   any add: [--per-function [--max-function-instructions N] | --per-part]
// optlm corpus split --corpus DIR --train TRAIN --heldout HELDOUT
//                    [--held-out-share 0.2] [--seed 0]
// optlm corpus list [--corpus DIR] [--json]
//
// Inputs are compiled as LLM Compiler's were, normalized, and stored by the
// hash of their IR (see data/Corpus.h); inputs that do not compile are
// skipped, logged to DIR/skipped.jsonl and counted.
//
//===----------------------------------------------------------------------===//
#include "Command.h"

#include "data/Corpus.h"
#include "data/CorpusSources.h"
#include "data/Split.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand corpusCommand("corpus",
                             "Build (add), split by package (split) or show (list) a corpus");

cl::list<std::string> Arguments(cl::Positional, cl::desc("add DIR_OR_FILE... | split | list"),
                                cl::sub(corpusCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> CorpusDirectory("corpus", cl::desc("The corpus folder (default: corpus)"),
                                     cl::value_desc("DIR"), cl::init("corpus"),
                                     cl::sub(corpusCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> CompileCommands("compile-commands",
                                     cl::desc("Add every entry of a compilation database"),
                                     cl::value_desc("compile_commands.json"),
                                     cl::sub(corpusCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> CsmithSeeds("csmith", cl::desc("Add csmith programs for seeds BEGIN to END"),
                                 cl::value_desc("BEGIN:END"), cl::sub(corpusCommand),
                                 cl::cat(cli::optionCategory()));
cl::opt<std::string> FromCorpus("from-corpus",
                                cl::desc("Add the modules of another corpus, keeping their "
                                         "source, package and license"),
                                cl::value_desc("DIR"), cl::sub(corpusCommand),
                                cl::cat(cli::optionCategory()));
cl::opt<bool> PerFunction("per-function",
                          cl::desc("Add each defined function as a module of its own that "
                                   "declares only what it uses"),
                          cl::sub(corpusCommand), cl::cat(cli::optionCategory()));
cl::opt<bool> PerPart("per-part",
                      cl::desc("Add the parts of each input (those that hold code) instead "
                               "of the input, cut as optlm tune did into at most about 8 parts, "
                               "as the parts labels name them"),
                      cl::sub(corpusCommand), cl::cat(cli::optionCategory()));
cl::opt<uint64_t> MaxFunctionInstructions(
    "max-function-instructions",
    cl::desc("With --per-function: leave out functions of more IR instructions (default: no "
             "limit)"),
    cl::init(0), cl::sub(corpusCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> TargetList("targets",
                                cl::desc("Targets to compile for, or to keep with --from-corpus: "
                                         "x86_64, aarch64, or both as x86_64,aarch64 "
                                         "(default x86_64)"),
                                cl::init("x86_64"), cl::sub(corpusCommand),
                                cl::cat(cli::optionCategory()));
cl::opt<std::string> License("license", cl::desc("License recorded for the added modules"),
                             cl::init("unknown"), cl::sub(corpusCommand),
                             cl::cat(cli::optionCategory()));
cl::opt<std::string> Package("package",
                             cl::desc("Package the added modules belong to (splits keep a "
                                      "package in one split)"),
                             cl::sub(corpusCommand), cl::cat(cli::optionCategory()));
cl::opt<std::string> TrainDirectory("train", cl::desc("split: the corpus of the training packages"),
                                    cl::value_desc("DIR"), cl::sub(corpusCommand),
                                    cl::cat(cli::optionCategory()));
cl::opt<std::string> HeldOutDirectory("heldout",
                                      cl::desc("split: the corpus of the held-out packages"),
                                      cl::value_desc("DIR"), cl::sub(corpusCommand),
                                      cl::cat(cli::optionCategory()));
cl::opt<double> HeldOutShare("held-out-share",
                             cl::desc("split: share of the packages held out (default 0.2)"),
                             cl::init(0.2), cl::sub(corpusCommand), cl::cat(cli::optionCategory()));
cl::opt<uint64_t> SplitSeed("seed", cl::desc("split: seed of the split by package (default 0)"),
                            cl::init(0), cl::sub(corpusCommand), cl::cat(cli::optionCategory()));
cl::opt<bool> JsonOutput("json", cl::desc("list: one JSON object per module"),
                         cl::sub(corpusCommand), cl::cat(cli::optionCategory()));

Expected<std::pair<uint64_t, uint64_t>> parseSeedRange(StringRef text) {
  std::optional<std::pair<uint64_t, uint64_t>> range = cli::parseNumberPair(text, ':');
  if (!range || range->second < range->first)
    return createStringError("--csmith takes BEGIN:END with BEGIN <= END (got '%s')",
                             text.str().c_str());
  if (range->second - range->first >= 1000000)
    return createStringError("--csmith range too large (at most a million seeds at once)");
  return *range;
}

int runList() {
  auto corpus = data::Corpus::open(CorpusDirectory, /*create=*/false);
  if (!corpus)
    return optlm::cli::usageError(toString(corpus.takeError()));
  for (const data::CorpusEntry &entry : corpus->entries()) {
    if (JsonOutput) {
      outs() << data::indexLine(entry) << "\n";
    } else {
      outs() << entry.name << "  " << entry.triple << "  " << entry.instructionCount
             << " instructions  " << entry.source << "\n";
    }
  }
  if (!JsonOutput)
    outs() << corpus->entries().size() << " modules\n";
  return cli::ExitOk;
}

int runAdd(ArrayRef<std::string> paths) {
  const int sources =
      !paths.empty() + !CompileCommands.empty() + !CsmithSeeds.empty() + !FromCorpus.empty();
  if (sources == 0)
    return optlm::cli::usageError(
        "nothing to add (give files or folders, --compile-commands, --csmith or --from-corpus)");
  data::AddOptions options;
  options.targets.clear();
  SmallVector<StringRef, 2> names;
  StringRef(TargetList).split(names, ',', -1, false);
  for (StringRef name : names) {
    auto target = parseTarget(name.trim());
    if (!target)
      return optlm::cli::usageError(toString(target.takeError()));
    if (!is_contained(options.targets, *target))
      options.targets.push_back(*target);
  }
  if (options.targets.empty())
    return optlm::cli::usageError("--targets is empty");
  options.license = License;
  options.package = Package;
  options.log = &errs();
  if (MaxFunctionInstructions && !PerFunction)
    return optlm::cli::usageError("--max-function-instructions needs --per-function");
  if (PerPart && PerFunction)
    return optlm::cli::usageError("--per-part and --per-function cannot be combined");
  options.perFunction = PerFunction;
  options.perPart = PerPart;
  options.maxFunctionInstructions = MaxFunctionInstructions;
  std::optional<std::pair<uint64_t, uint64_t>> seeds;
  if (!CsmithSeeds.empty()) {
    auto range = parseSeedRange(CsmithSeeds);
    if (!range)
      return optlm::cli::usageError(toString(range.takeError()));
    seeds = *range;
  }
  if (!CompileCommands.empty() && !sys::fs::is_regular_file(CompileCommands))
    return optlm::cli::usageError("cannot read compilation database '" + CompileCommands + "'");

  auto corpus = data::Corpus::open(CorpusDirectory, /*create=*/true);
  if (!corpus)
    return optlm::cli::usageError(toString(corpus.takeError()));
  data::AddSummary summary;
  if (!paths.empty())
    if (Error error = data::addPaths(*corpus, paths, options, summary))
      return optlm::cli::failure(toString(std::move(error)));
  if (!CompileCommands.empty())
    if (Error error = data::addCompileCommands(*corpus, CompileCommands, options, summary))
      return optlm::cli::usageError(toString(std::move(error)));
  if (!FromCorpus.empty())
    if (Error error = data::addCorpus(*corpus, FromCorpus, options, summary))
      return optlm::cli::usageError(toString(std::move(error)));
  if (seeds)
    if (Error error = data::addCsmith(*corpus, seeds->first, seeds->second, options, summary))
      return optlm::cli::failure(toString(std::move(error)));

  outs() << "added " << summary.added << ", duplicates " << summary.duplicates << ", skipped "
         << summary.skipped;
  for (const auto &[reason, count] : summary.skippedByReason)
    outs() << " (" << reason << " " << count << ")";
  outs() << "; corpus " << CorpusDirectory << " holds " << corpus->entries().size() << " modules\n";
  // Skipping is normal for a few files of a real code base; a run where
  // nothing at all went in did not do what was asked.
  if (summary.added + summary.duplicates == 0)
    return cli::ExitFailed;
  return cli::ExitOk;
}

/// Whether two paths name one folder, whether or not they exist yet.
bool samePath(StringRef a, StringRef b) {
  if (sys::fs::exists(a) && sys::fs::exists(b))
    return sys::fs::equivalent(a, b);
  auto normalized = [](StringRef path) {
    SmallString<256> absolute(path);
    sys::fs::make_absolute(absolute);
    sys::path::remove_dots(absolute, /*remove_dot_dot=*/true);
    return std::string(absolute);
  };
  return normalized(a) == normalized(b);
}

int runSplit() {
  if (TrainDirectory.empty() || HeldOutDirectory.empty())
    return optlm::cli::usageError("split needs --train DIR and --heldout DIR");
  if (!(HeldOutShare >= 0 && HeldOutShare <= 1))
    return optlm::cli::usageError("--held-out-share must be between 0 and 1");
  // Checked before any folder is created: a refused command leaves nothing.
  for (const std::string *other : {&TrainDirectory.getValue(), &HeldOutDirectory.getValue()})
    if (samePath(*other, CorpusDirectory))
      return optlm::cli::usageError("the split corpora must differ from --corpus");
  if (samePath(TrainDirectory, HeldOutDirectory))
    return optlm::cli::usageError("--train and --heldout must differ");
  auto corpus = data::Corpus::open(CorpusDirectory, /*create=*/false);
  if (!corpus)
    return optlm::cli::usageError(toString(corpus.takeError()));
  auto train = data::Corpus::open(TrainDirectory, /*create=*/true);
  if (!train)
    return optlm::cli::usageError(toString(train.takeError()));
  auto heldOut = data::Corpus::open(HeldOutDirectory, /*create=*/true);
  if (!heldOut)
    return optlm::cli::usageError(toString(heldOut.takeError()));
  data::AddOptions options;
  options.targets = {Target::X86_64, Target::AArch64};
  options.log = &errs();
  auto summary = data::splitCorpus(*corpus, *train, *heldOut, HeldOutShare, SplitSeed, options);
  if (!summary)
    return optlm::cli::failure(toString(summary.takeError()));
  outs() << "train: added " << summary->train.added << ", duplicates " << summary->train.duplicates
         << "; " << train->entries().size() << " modules\n"
         << "held out: added " << summary->heldOut.added << ", duplicates "
         << summary->heldOut.duplicates << "; " << heldOut->entries().size() << " modules\n"
         << "held-out packages: " << join(summary->heldOutGroups, " ") << "\n";
  return cli::ExitOk;
}

int runCorpus() {
  if (Arguments.empty())
    return optlm::cli::usageError(
        "no action (usage: optlm corpus add DIR_OR_FILE... | split | list)");
  StringRef action = Arguments.front();
  ArrayRef<std::string> rest(Arguments);
  rest = rest.drop_front();
  if (action == "list") {
    if (!rest.empty())
      return optlm::cli::usageError("list takes no arguments");
    return runList();
  }
  if (action == "add")
    return runAdd(rest);
  if (action == "split") {
    if (!rest.empty())
      return optlm::cli::usageError("split takes no arguments");
    return runSplit();
  }
  return optlm::cli::usageError("unknown action '" + action + "' (expected add, split or list)");
}

cli::RegisterCommand registration(corpusCommand, runCorpus);

} // namespace
