//===- Trainer.h - train a Llama language model on optlm's records -*- C++ -*-===//
//
// `optlm train --task lm`: a causal language model of the runtime's Llama
// architecture, trained from scratch with AdamW on `optlm datagen` records
// (loss on the labels) and plain text, with a vocabulary taken from a GGUF
// or trained with SentencePiece on the training texts.
//
// A run with a checkpoint folder resumes from its last checkpoint and ends
// with the same weights, bit for bit, as a run that was never stopped: the
// checkpoint holds the weights, AdamW's moments and step, the generator
// state, the data position (epoch, cursor) and the vocabulary; the data
// order and learning rate are functions of (seed, epoch) and the step.
// Details and measurements: docs/lm-training.md.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "train/LlamaNetwork.h"
#include "train/ProcessGroup.h"
#include "train/TokenizerTraining.h"
#include "train/TrainingData.h"

#include "lm/generate/SentencePieceVocabulary.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace optlm::train {

struct LmTrainOptions {
  std::vector<std::string> trainFiles;
  /// May be empty: no validation loss.
  std::vector<std::string> validFiles;
  /// A GGUF whose vocabulary to use; empty: train a SentencePiece model of
  /// vocabSize pieces on the training texts.
  std::string tokenizerPath;
  /// A GGUF Llama model to start from (fine-tuning, InitialWeights.h): its
  /// shape (but the context, which is `shape.contextLength`), vocabulary
  /// and weights replace tokenizerPath, vocabSize and the seeded weights.
  std::string initFromPath;
  uint32_t vocabSize = 4096;
  TokenizerStyle tokenizerStyle = TokenizerStyle::Llama;
  /// Everything but the vocabulary size, which comes from the vocabulary.
  lm::LlamaShape shape;
  int64_t steps = 1000;
  int64_t batchSize = 8;
  /// Batches of similar lengths (BatchSampler, TrainingData.h): windows of
  /// this many batches sorted by length; 0: plain shuffled batches.
  int64_t lengthWindows = 0;
  float learningRate = 1e-3f;
  /// The rate falls with a cosine from learningRate after warm-up to
  /// learningRate * finalLearningRateShare at the last step.
  float finalLearningRateShare = 0.1f;
  /// Linear warm-up; -1: min(100, steps / 10).
  int64_t warmupSteps = -1;
  OptimizerSettings optimizer;
  uint64_t seed = 0;
  /// Seconds from the start of the run (data loading included) after
  /// which training stops at the end of the step in progress, with a
  /// validation loss, a checkpoint (with a checkpoint folder) and the model
  /// as it is; 0: none. The learning-rate schedule is still that of `steps`,
  /// so the result is the first steps of the whole run, and running the
  /// same command again with the checkpoint folder goes on to the end.
  /// For machines lent for a fixed time.
  double timeLimitSeconds = 0;
  /// Empty: no checkpoints (and no resume).
  std::string checkpointDirectory;
  int64_t checkpointEvery = 100;
  /// Checkpoints kept on disk (the newest ones).
  int checkpointsKept = 2;
  int64_t evalEvery = 100;
  int64_t evalBatches = 8;
  int64_t logEvery = 10;
  /// 0: every core.
  int threads = 0;
  /// Device and precision (LlamaNetwork.h).
  ComputeSettings compute;
  /// Data-parallel training over these processes (ProcessGroup.h); null:
  /// this process alone. Only rank 0 prints progress and writes
  /// checkpoints; every process returns the same model.
  ProcessGroup *group = nullptr;
  llvm::raw_ostream *progress = nullptr;
  /// Tests: called with "step" after each step, "checkpoint-files" when a
  /// checkpoint's files are written but not yet committed, "checkpoint"
  /// after it is committed.
  std::function<void(llvm::StringRef event, int64_t step)> hook;
};

struct LmTrainReport {
  DataCounts train, valid;
  uint64_t parameters = 0;
  /// The step the run resumed from (0: a fresh start).
  int64_t resumedFromStep = 0;
  int64_t steps = 0;
  /// The time limit ended the run before `steps`.
  bool stoppedByTimeLimit = false;
  /// Mean training loss of the last logging window, last validation loss
  /// (NaN when there was none).
  float trainLoss = 0;
  float validLoss = 0;
  /// Input positions (padding excluded) per second of training, this run.
  double tokensPerSecond = 0;
  double seconds = 0;
};

struct TrainedLanguageModel {
  std::unique_ptr<LlamaNetwork> network;
  lm::SentencePieceVocabulary vocabulary;
  LmTrainReport report;
};

llvm::Expected<TrainedLanguageModel> trainLanguageModel(const LmTrainOptions &options);

/// The learning rate at step (0-based): linear warm-up, then cosine decay.
float learningRateAt(const LmTrainOptions &options, int64_t step);

} // namespace optlm::train
