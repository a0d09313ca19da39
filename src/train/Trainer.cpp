//===- Trainer.cpp - train a Llama language model on optlm's records ------===//
//
// Checkpoint folder:
//   tokenizer.gguf      the vocabulary (written once; a resume reads it back)
//   run.json            the parameters that decide the weights; a resume
//                       with other ones is refused
//   step-NNNNNNNN/      weights.pt optimizer.pt generator.pt state.json
//                       (step, data position)
//   latest              the name of the newest complete checkpoint
// A checkpoint is written under .partial-step-N and renamed into place, then
// `latest` is replaced by rename: a kill at any moment leaves the previous
// checkpoint (or the new one) complete and named by `latest`.
//
//===----------------------------------------------------------------------===//
#include "train/Trainer.h"

#include "lm/gguf/GGUFFile.h"
#include "lm/gguf/GGUFWriter.h"
#include "support/AtomicFile.h"
#include "support/FolderListing.h"
#include "train/InitialWeights.h"
#include "train/TokenizerTraining.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <optional>
#include <set>

using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

namespace optlm::train {

namespace {

Error trainError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string inDirectory(StringRef directory, StringRef name) {
  llvm::SmallString<256> path(directory);
  llvm::sys::path::append(path, name);
  return std::string(path);
}

Expected<nlohmann::json> readJson(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return trainError(path + ": " + buffer.getError().message());
  nlohmann::json value = nlohmann::json::parse((*buffer)->getBuffer().begin(),
                                               (*buffer)->getBuffer().end(), nullptr, false);
  if (value.is_discarded())
    return trainError(path + ": not JSON");
  return value;
}

Error writeVocabulary(const lm::SentencePieceVocabulary &vocabulary, const std::string &path) {
  lm::Vocabulary pieces = vocabulary.toWriterVocabulary();
  lm::GGUFWriter writer;
  writer.set("general.architecture", "llama");
  lm::addLlamaTokenizer(writer, pieces);
  return writer.writeFile(path);
}

Expected<lm::SentencePieceVocabulary> readVocabulary(const std::string &path) {
  auto file = lm::GGUFFile::open(path);
  if (!file)
    return file.takeError();
  return lm::SentencePieceVocabulary::fromGGUF(**file);
}

Expected<lm::SentencePieceVocabulary> makeVocabulary(const LmTrainOptions &options) {
  if (!options.tokenizerPath.empty())
    return readVocabulary(options.tokenizerPath);
  std::vector<std::string> texts;
  if (Error error = forEachRecordText(options.trainFiles,
                                      [&](StringRef text) { texts.push_back(text.str()); }))
    return std::move(error);
  // Said here, not by spm_train's internal check on an empty input.
  if (texts.empty())
    return trainError("no usable training examples: no record has text to train a vocabulary on");
  TokenizerTrainingOptions tokenizer;
  tokenizer.vocabSize = options.vocabSize;
  tokenizer.style = options.tokenizerStyle;
  tokenizer.seed = options.seed;
  return trainSentencePiece(texts, tokenizer);
}

/// What decides the weights: a resume must have the same.
nlohmann::json runParameters(const LmTrainOptions &options, const lm::LlamaShape &shape,
                             const DataCounts &train) {
  nlohmann::json parameters = {
      {"vocab_size", shape.vocabSize},
      {"embedding_dim", shape.embeddingDim},
      {"layers", shape.layerCount},
      {"heads", shape.headCount},
      {"kv_heads", shape.kvHeadCount},
      {"feed_forward_dim", shape.feedForwardDim},
      {"context", shape.contextLength},
      {"rope_freq_base", shape.ropeFreqBase},
      {"rms_epsilon", shape.rmsEpsilon},
      {"steps", options.steps},
      {"batch", options.batchSize},
      {"learning_rate", options.learningRate},
      {"final_learning_rate_share", options.finalLearningRateShare},
      {"warmup_steps", options.warmupSteps},
      {"beta1", options.optimizer.beta1},
      {"beta2", options.optimizer.beta2},
      {"epsilon", options.optimizer.epsilon},
      {"weight_decay", options.optimizer.weightDecay},
      {"clip_norm", options.optimizer.clipNorm},
      {"seed", options.seed},
      {"init_from", options.initFromPath},
      {"train_examples", train.examples},
      {"train_tokens", train.tokens},
  };
  // Only when set, so that folders of runs made before the option resume.
  if (options.lengthWindows > 0)
    parameters["length_windows"] = options.lengthWindows;
  return parameters;
}

std::string checkpointName(int64_t step) {
  char name[32];
  std::snprintf(name, sizeof(name), "step-%08lld", static_cast<long long>(step));
  return name;
}

std::string duration(double seconds) {
  int64_t s = static_cast<int64_t>(std::lround(seconds));
  if (s < 60)
    return std::to_string(s) + "s";
  if (s < 3600)
    return llvm::formatv("{0}m{1:2}s", s / 60, llvm::format_decimal(s % 60, 2)).str();
  return llvm::formatv("{0}h{1}m", s / 3600, llvm::format_decimal(s / 60 % 60, 2)).str();
}

void printCounts(llvm::raw_ostream &out, StringRef what, const DataCounts &counts) {
  out << llvm::formatv("train: {0}: {1} examples from {2} lines ({3} malformed, {4} longer than "
                       "the context skipped), {5} tokens, {6} predicted\n",
                       what, counts.examples, counts.lines, counts.malformed, counts.tooLong,
                       counts.tokens, counts.targets);
}

/// Rank 0's vocabulary on every process of the group (through a GGUF
/// file's bytes: the vocabulary's one serialization).
Error shareVocabulary(ProcessGroup &group, lm::SentencePieceVocabulary &vocabulary) {
  if (group.size() <= 1)
    return Error::success();
  llvm::SmallString<128> path;
  if (std::error_code error = llvm::sys::fs::createTemporaryFile("optlm-vocabulary", "gguf", path))
    return trainError("a temporary file: " + error.message());
  llvm::FileRemover remover(path);
  std::string bytes;
  if (group.rank() == 0) {
    if (Error error = writeVocabulary(vocabulary, std::string(path)))
      return error;
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer)
      return trainError(std::string(path) + ": " + buffer.getError().message());
    bytes = (*buffer)->getBuffer().str();
  }
  if (Error error = group.broadcast(bytes))
    return error;
  if (group.rank() == 0)
    return Error::success();
  if (Error error = writeFileAtomically(std::string(path), bytes))
    return error;
  auto shared = readVocabulary(std::string(path));
  if (!shared)
    return shared.takeError();
  vocabulary = std::move(*shared);
  return Error::success();
}

class Run {
public:
  Run(const LmTrainOptions &options, LmTrainReport &report)
      : TheOptions(options), Report(report), Group(options.group) {
    if (!Group) {
      OwnGroup = singleProcess();
      Group = OwnGroup.get();
    }
  }

  Expected<TrainedLanguageModel> run();

private:
  Error writeCheckpoint(int64_t step, const DataPosition &position);
  Error chooseResumeAndVocabulary(const lm::SentencePieceVocabulary *initialVocabulary);
  Error checkRunParameters(const lm::LlamaShape &shape, const DataCounts &counts,
                           const std::string &kernels);
  Expected<float> validationLoss(const Dataset &valid);
  Error createNetwork(const lm::LlamaShape &shape, std::string &kernels);
  /// Makes a network of the smallest shape on the chosen device, so that a
  /// device libtorch cannot compute on (a libtorch without CUDA, a GPU that
  /// is not there) is reported before the vocabulary is trained and the data
  /// tokenized, which take minutes on a real corpus.
  Error checkDevice();
  /// The step and data position of the checkpoint resumed from, its
  /// weights and optimizer in the network.
  Error restoreCheckpoint(int64_t &step, DataPosition &position);
  /// Steps from `step` to the last, with progress, validation and
  /// checkpoints; returns the positions trained on.
  Expected<int64_t> trainSteps(const Dataset &train, const Dataset &valid, int64_t step,
                               DataPosition position);
  llvm::raw_ostream &progress() {
    return TheOptions.progress && leader() ? *TheOptions.progress : llvm::nulls();
  }
  /// The process that prints and writes (rank 0).
  bool leader() const { return Group->rank() == 0; }
  void hook(StringRef event, int64_t step) {
    if (TheOptions.hook)
      TheOptions.hook(event, step);
  }
  bool checkpointing() const { return !TheOptions.checkpointDirectory.empty(); }
  /// Whether the time limit has passed, decided the same way by every
  /// process (any one past it stops all), since each step is collective.
  Expected<bool> pastTimeLimit() {
    if (TheOptions.timeLimitSeconds <= 0)
      return false;
    double past[] = {
        std::chrono::duration<double>(std::chrono::steady_clock::now() - RunStarted).count() >=
                TheOptions.timeLimitSeconds
            ? 1.0
            : 0.0};
    if (Group->size() > 1)
      if (Error error = Group->sum(past))
        return std::move(error);
    return past[0] > 0;
  }

  const LmTrainOptions &TheOptions;
  LmTrainReport &Report;
  /// When the run began: the time limit counts from here.
  std::chrono::steady_clock::time_point RunStarted = std::chrono::steady_clock::now();
  std::unique_ptr<LlamaNetwork> Network;
  lm::SentencePieceVocabulary TheVocabulary;
  /// The checkpoint to resume from, empty for a fresh start.
  std::string ResumeFrom;
  ProcessGroup *Group;
  std::unique_ptr<ProcessGroup> OwnGroup;
};

Error Run::writeCheckpoint(int64_t step, const DataPosition &position) {
  const std::string &directory = TheOptions.checkpointDirectory;
  std::string name = checkpointName(step);
  std::string partial = inDirectory(directory, ".partial-" + name);
  std::string final = inDirectory(directory, name);
  llvm::sys::fs::remove_directories(partial);
  if (std::error_code error = llvm::sys::fs::create_directories(partial))
    return trainError(partial + ": " + error.message());
  if (Error error = Network->save(partial))
    return error;
  nlohmann::json state = {{"step", step}, {"epoch", position.epoch}, {"cursor", position.cursor}};
  if (Error error = writeFileAtomically(inDirectory(partial, "state.json"), state.dump(2) + "\n"))
    return error;
  hook("checkpoint-files", step);
  llvm::sys::fs::remove_directories(final);
  if (std::error_code error = llvm::sys::fs::rename(partial, final))
    return trainError(final + ": " + error.message());
  if (Error error = writeFileAtomically(inDirectory(directory, "latest"), name + "\n"))
    return error;
  hook("checkpoint", step);

  // Keep the newest checkpointsKept.
  llvm::Expected<std::vector<std::string>> checkpoints =
      listFolder(directory, [](llvm::StringRef path) {
        return llvm::sys::path::filename(path).starts_with("step-");
      });
  if (!checkpoints)
    return checkpoints.takeError();
  for (size_t i = 0; i + std::max(1, TheOptions.checkpointsKept) < checkpoints->size(); ++i)
    llvm::sys::fs::remove_directories((*checkpoints)[i]);
  return Error::success();
}

Expected<float> Run::validationLoss(const Dataset &valid) {
  double total = 0;
  int64_t count = 0;
  int64_t examples = static_cast<int64_t>(valid.examples.size());
  for (int64_t b = 0; b < TheOptions.evalBatches; ++b) {
    std::vector<int64_t> indices;
    for (int64_t i = b * TheOptions.batchSize;
         i < std::min(examples, (b + 1) * TheOptions.batchSize); ++i)
      indices.push_back(i);
    if (indices.empty())
      break;
    TokenBatch share = rowsOfProcess(makeBatch(valid, indices), Group->rank(), Group->size());
    if (share.rows == 0)
      continue;
    auto loss = Network->evaluate(share);
    if (!loss)
      return loss.takeError();
    total += loss->first;
    count += loss->second;
  }
  double sums[] = {total, static_cast<double>(count)};
  if (Error error = Group->sum(sums))
    return std::move(error);
  return sums[1] > 0 ? static_cast<float>(sums[0] / sums[1])
                     : std::numeric_limits<float>::quiet_NaN();
}

/// Where to resume from (rank 0 reads the checkpoint folder's "latest"
/// and tells the others) and the vocabulary: the checkpoint's when
/// resuming, so that a resumed run tokenizes exactly as the first one did;
/// else the initial model's, the --tokenizer file's, or one trained here.
Error Run::chooseResumeAndVocabulary(const lm::SentencePieceVocabulary *initialVocabulary) {
  const std::string &directory = TheOptions.checkpointDirectory;
  std::string tokenizerFile = checkpointing() ? inDirectory(directory, "tokenizer.gguf") : "";
  // Rank 0 decides what to resume from and which vocabulary to use; the
  // other processes take its word (the checkpoint folder is shared).
  if (checkpointing() && leader()) {
    if (std::error_code error = llvm::sys::fs::create_directories(directory))
      return trainError(directory + ": " + error.message());
    std::string latest = inDirectory(directory, "latest");
    if (llvm::sys::fs::exists(latest)) {
      auto buffer = llvm::MemoryBuffer::getFile(latest);
      if (!buffer)
        return trainError(latest + ": " + buffer.getError().message());
      ResumeFrom = inDirectory(directory, (*buffer)->getBuffer().trim());
    }
  }
  if (Error error = Group->broadcast(ResumeFrom))
    return error;
  if (!leader()) {
    // The vocabulary comes from rank 0, below.
  } else if (checkpointing() && llvm::sys::fs::exists(tokenizerFile)) {
    auto vocabulary = readVocabulary(tokenizerFile);
    if (!vocabulary)
      return vocabulary.takeError();
    TheVocabulary = std::move(*vocabulary);
  } else {
    if (initialVocabulary) {
      TheVocabulary = *initialVocabulary;
    } else {
      if (TheOptions.tokenizerPath.empty())
        progress() << "train: training a SentencePiece vocabulary of " << TheOptions.vocabSize
                   << " pieces\n";
      auto vocabulary = makeVocabulary(TheOptions);
      if (!vocabulary)
        return vocabulary.takeError();
      TheVocabulary = std::move(*vocabulary);
    }
    if (checkpointing())
      if (Error error = writeVocabulary(TheVocabulary, tokenizerFile))
        return error;
  }
  return shareVocabulary(*Group, TheVocabulary);
}

/// The run's parameters against those its checkpoint folder was started
/// with: other parameters are refused, other kernels only warned about.
Error Run::checkRunParameters(const lm::LlamaShape &shape, const DataCounts &counts,
                              const std::string &kernels) {
  const std::string &directory = TheOptions.checkpointDirectory;
  nlohmann::json parameters = runParameters(TheOptions, shape, counts);
  std::string runFile = inDirectory(directory, "run.json");
  if (llvm::sys::fs::exists(runFile)) {
    auto saved = readJson(runFile);
    if (!saved)
      return saved.takeError();
    // Other kernels or threads round differently: the run goes on, but
    // its weights will not equal those of an uninterrupted run bit for bit.
    if (saved->value("kernels", "") != kernels)
      progress() << "train: warning: " << directory << " was started with "
                 << saved->value("kernels", "?") << ", this run uses " << kernels
                 << ": the result will differ from an uninterrupted run in the last bits\n";
    // Every parameter of either run, "nothing" where one run has none.
    auto described = [](const nlohmann::json &run, const std::string &key) {
      return run.contains(key) ? run[key].dump() : std::string("nothing");
    };
    std::set<std::string> keys;
    for (auto &[key, value] : parameters.items())
      keys.insert(key);
    for (auto &[key, value] : saved->items())
      if (key != "kernels")
        keys.insert(key);
    for (const std::string &key : keys)
      if (described(*saved, key) != described(parameters, key))
        return trainError(llvm::formatv("{0} holds a run with {1} = {2}, not {3}: resume "
                                        "with the same parameters and data, or use another "
                                        "checkpoint folder",
                                        directory, key, described(*saved, key),
                                        described(parameters, key))
                              .str());
  } else {
    nlohmann::json run = parameters;
    run["kernels"] = kernels;
    if (Error error = writeFileAtomically(runFile, run.dump(2) + "\n"))
      return error;
  }
  return Error::success();
}

Error Run::checkDevice() {
  if (TheOptions.compute.device == "cpu")
    return Error::success();
  // 260: the byte-level vocabulary's floor.
  const lm::LlamaShape smallest{.vocabSize = 260,
                                .embeddingDim = 8,
                                .layerCount = 1,
                                .headCount = 2,
                                .kvHeadCount = 1,
                                .feedForwardDim = 8,
                                .contextLength = 8};
  auto probe =
      LlamaNetwork::create(smallest, TheOptions.seed, TheOptions.optimizer, TheOptions.compute);
  return probe ? Error::success() : probe.takeError();
}

Error Run::createNetwork(const lm::LlamaShape &shape, std::string &kernels) {
  auto network =
      LlamaNetwork::create(shape, TheOptions.seed, TheOptions.optimizer, TheOptions.compute);
  if (!network)
    return network.takeError();
  Network = std::move(*network);
  Network->setThreads(TheOptions.threads);
  Report.parameters = Network->parameterCount();
  kernels = Network->kernelDescription();
  const std::string allocator = Network->tensorAllocator();
  progress() << llvm::formatv("train: {0} parameters: vocabulary {1}, dim {2}, {3} layers, {4} "
                              "heads ({5} kv), ff {6}, context {7}; {8}{9}\n",
                              Report.parameters, shape.vocabSize, shape.embeddingDim,
                              shape.layerCount, shape.headCount, shape.kvHeadCount,
                              shape.feedForwardDim, shape.contextLength, kernels,
                              allocator.empty() ? "" : "; tensors from " + allocator);
  return Error::success();
}

Error Run::restoreCheckpoint(int64_t &step, DataPosition &position) {
  auto state = readJson(inDirectory(ResumeFrom, "state.json"));
  if (!state)
    return state.takeError();
  if (Error error = Network->load(ResumeFrom))
    return error;
  step = (*state)["step"].get<int64_t>();
  position.epoch = (*state)["epoch"].get<int64_t>();
  position.cursor = (*state)["cursor"].get<int64_t>();
  if (step != Network->steps())
    return trainError(ResumeFrom + ": state.json and the optimizer disagree on the step");
  Report.resumedFromStep = step;
  progress() << "train: resuming from " << ResumeFrom << " (step " << step << ")\n";
  return Error::success();
}

Expected<int64_t> Run::trainSteps(const Dataset &train, const Dataset &valid, int64_t step,
                                  DataPosition position) {
  BatchSampler sampler(train, TheOptions.batchSize, TheOptions.seed, TheOptions.lengthWindows);
  Report.validLoss = std::numeric_limits<float>::quiet_NaN();
  auto loopStarted = std::chrono::steady_clock::now(), windowStarted = loopStarted;
  int64_t firstStep = step, windowPositions = 0, allPositions = 0, windowSteps = 0;
  double windowLoss = 0;
  // Validation inside a window is not training: a rate that counted it
  // would understate tokens/s (read by whoever sizes a run from it).
  double windowValidationSeconds = 0;
  while (step < TheOptions.steps) {
    TokenBatch batch = sampler.next(position);
    auto loss = Network->trainStep(rowsOfProcess(batch, Group->rank(), Group->size()),
                                   learningRateAt(TheOptions, step), Group);
    if (!loss)
      return loss.takeError();
    if (!std::isfinite(*loss))
      return trainError(
          llvm::formatv("the loss is {0} at step {1}: lower --lr", *loss, step + 1).str());
    ++step;
    windowLoss += *loss;
    ++windowSteps;
    windowPositions += batch.positions;
    allPositions += batch.positions;
    hook("step", step);

    if (step < TheOptions.steps) {
      auto past = pastTimeLimit();
      if (!past)
        return past.takeError();
      Report.stoppedByTimeLimit = *past;
    }
    bool last = step == TheOptions.steps || Report.stoppedByTimeLimit;
    if (!valid.examples.empty() && (step % TheOptions.evalEvery == 0 || last)) {
      auto validationStarted = std::chrono::steady_clock::now();
      auto validLoss = validationLoss(valid);
      if (!validLoss)
        return validLoss.takeError();
      Report.validLoss = *validLoss;
      windowValidationSeconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - validationStarted)
              .count();
    }
    if (step % TheOptions.logEvery == 0 || last) {
      auto now = std::chrono::steady_clock::now();
      double window =
          std::chrono::duration<double>(now - windowStarted).count() - windowValidationSeconds;
      double elapsed = std::chrono::duration<double>(now - loopStarted).count();
      double left = elapsed / double(step - firstStep) * double(TheOptions.steps - step);
      Report.trainLoss = static_cast<float>(windowLoss / windowSteps);
      progress() << llvm::formatv(
          "train: step {0}/{1}  loss {2:f3}  valid {3}  {4:f0} tok/s  "
          "lr {5:e2}  elapsed {6}  left {7}\n",
          step, TheOptions.steps, Report.trainLoss,
          std::isnan(Report.validLoss) ? std::string("-")
                                       : llvm::formatv("{0:f3}", Report.validLoss).str(),
          windowPositions / std::max(window, 1e-9), learningRateAt(TheOptions, step - 1),
          duration(elapsed), duration(left));
      windowStarted = now;
      windowValidationSeconds = 0;
      windowLoss = 0;
      windowSteps = 0;
      windowPositions = 0;
    }
    if (checkpointing() && leader() && (step % TheOptions.checkpointEvery == 0 || last))
      if (Error error = writeCheckpoint(step, position))
        return std::move(error);
    if (Report.stoppedByTimeLimit) {
      progress() << llvm::formatv("train: the time limit of {0} stops the run at step {1} of "
                                  "{2}\n",
                                  duration(TheOptions.timeLimitSeconds), step, TheOptions.steps);
      break;
    }
  }
  Report.steps = step;
  return allPositions;
}

Expected<TrainedLanguageModel> Run::run() {
  if (TheOptions.trainFiles.empty())
    return trainError("no training data");
  if (TheOptions.steps <= 0 || TheOptions.batchSize <= 0)
    return trainError("steps and batch size must be positive");
  if (TheOptions.batchSize < Group->size())
    return trainError(llvm::formatv("a batch of {0} rows cannot be shared by {1} processes",
                                    TheOptions.batchSize, Group->size())
                          .str());
  if (Error error = checkDevice())
    return std::move(error);
  std::optional<InitialWeights> initial;
  if (!TheOptions.initFromPath.empty()) {
    auto read = InitialWeights::open(TheOptions.initFromPath);
    if (!read)
      return read.takeError();
    initial = std::move(*read);
    progress() << "train: starting from " << TheOptions.initFromPath << "\n";
  }
  if (Error error = chooseResumeAndVocabulary(initial ? &initial->vocabulary() : nullptr))
    return std::move(error);
  auto tokenizer = lm::Tokenizer::create(TheVocabulary);
  if (!tokenizer)
    return tokenizer.takeError();

  lm::LlamaShape shape = TheOptions.shape;
  if (initial) {
    shape = initial->shape();
    shape.contextLength = TheOptions.shape.contextLength;
  }
  shape.vocabSize = static_cast<uint32_t>(TheVocabulary.size());
  // Before the data: a shape the network refuses should not wait for their
  // tokenizing.
  if (Error error = LlamaNetwork::checkShape(shape))
    return std::move(error);
  auto train = loadDataset(TheOptions.trainFiles, *tokenizer, shape.contextLength);
  if (!train)
    return train.takeError();
  auto valid = loadDataset(TheOptions.validFiles, *tokenizer, shape.contextLength);
  if (!valid)
    return valid.takeError();
  Report.train = train->counts;
  Report.valid = valid->counts;
  printCounts(progress(), "training data", train->counts);
  if (!TheOptions.validFiles.empty())
    printCounts(progress(), "validation data", valid->counts);
  if (train->examples.empty())
    return trainError("no usable training examples");

  std::string kernels;
  if (Error error = createNetwork(shape, kernels))
    return std::move(error);
  if (checkpointing() && leader())
    if (Error error = checkRunParameters(shape, train->counts, kernels))
      return std::move(error);
  // A resumed run takes its checkpoint's weights instead.
  if (initial && ResumeFrom.empty())
    if (Error error = initial->copyInto(*Network))
      return std::move(error);
  initial.reset();
  DataPosition position;
  int64_t step = 0;
  if (!ResumeFrom.empty())
    if (Error error = restoreCheckpoint(step, position))
      return std::move(error);

  auto loopStarted = std::chrono::steady_clock::now();
  auto positions = trainSteps(*train, *valid, step, position);
  if (!positions)
    return positions.takeError();
  double loopSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - loopStarted).count();
  Report.tokensPerSecond = *positions / std::max(loopSeconds, 1e-9);
  Report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - RunStarted).count();
  TrainedLanguageModel result;
  result.network = std::move(Network);
  result.vocabulary = std::move(TheVocabulary);
  result.report = Report;
  return result;
}

} // namespace

float learningRateAt(const LmTrainOptions &options, int64_t step) {
  int64_t warmup =
      options.warmupSteps >= 0 ? options.warmupSteps : std::min<int64_t>(100, options.steps / 10);
  if (step < warmup)
    return options.learningRate * float(step + 1) / float(warmup);
  double progress =
      options.steps > warmup + 1 ? double(step - warmup) / double(options.steps - warmup - 1) : 1.0;
  progress = std::clamp(progress, 0.0, 1.0);
  double floor = options.learningRate * options.finalLearningRateShare;
  return static_cast<float>(floor + (options.learningRate - floor) * 0.5 *
                                        (1.0 + std::cos(std::numbers::pi * progress)));
}

Expected<TrainedLanguageModel> trainLanguageModel(const LmTrainOptions &options) {
  LmTrainReport report;
  return Run(options, report).run();
}

} // namespace optlm::train
