//===- TrainingData.h - records to token sequences and batches ----*- C++ -*-===//
//
// What the language-model trainer reads: JSONL lines of `optlm datagen`
// records ({"prompt": ..., "label": ...}: the loss is on the label) or of
// plain text ({"text": ...}: the pretraining stage, loss on every token).
// A record becomes BOS, prompt, label, EOS; prompt and label are tokenized
// separately, as the runtime sees them (the prompt, then what it generates).
// Bad lines are counted and skipped, never fatal: a line that is not a JSON
// object with string prompt and label (or text) is malformed; a prompt/label
// record that does not fit the context is too long. Text longer than the
// context is cut into context-sized pieces.
//
// The order of examples is a seeded permutation per epoch, so the position
// in the data is two numbers (epoch, cursor) that a checkpoint records.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "train/LlamaNetwork.h"

#include "lm/generate/Tokenizer.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace optlm::train {

struct Example {
  /// BOS, the tokens, EOS.
  std::vector<int32_t> tokens;
  /// The first token of tokens that is predicted (the label's first token;
  /// 1 for text).
  int32_t firstTarget = 1;
};

struct DataCounts {
  int64_t lines = 0;     ///< non-empty lines read
  int64_t examples = 0;  ///< examples kept (a long text counts once per piece)
  int64_t malformed = 0; ///< not a record
  int64_t tooLong = 0;   ///< prompt + label longer than the context
  int64_t tokens = 0;    ///< tokens of the kept examples
  int64_t targets = 0;   ///< of which predicted (loss) tokens

  DataCounts &operator+=(const DataCounts &other);
};

struct Dataset {
  std::vector<Example> examples;
  DataCounts counts;
};

/// Reads JSONL files (every line of each, in order). Only an unreadable
/// file, or a contextLength below 1, is an error. contextLength bounds the positions of an example
/// (its tokens minus one, since the last is only predicted).
llvm::Expected<Dataset> loadDataset(llvm::ArrayRef<std::string> files,
                                    const lm::Tokenizer &tokenizer, int64_t contextLength);

/// The texts of the records in files (prompt and label, or text), for
/// training a tokenizer; malformed lines are skipped.
llvm::Error forEachRecordText(llvm::ArrayRef<std::string> files,
                              const std::function<void(llvm::StringRef text)> &visit);

/// The files a --data argument names: a .jsonl file itself; for a folder,
/// split/<split>.jsonl when `optlm split` made one, else (for "train") every
/// *.jsonl shard in it, sorted; empty when there is nothing.
std::vector<std::string> dataFiles(llvm::StringRef path, llvm::StringRef split);

/// Where a run is in its data.
struct DataPosition {
  int64_t epoch = 0;
  int64_t cursor = 0; ///< index into the epoch's permutation
};

/// The examples of epoch in training order: a Fisher-Yates permutation
/// drawn with splitmix64 from (seed, epoch), the same on every platform.
std::vector<int64_t> epochOrder(int64_t exampleCount, uint64_t seed, int64_t epoch);

/// epochOrder with rows of similar length in the same batch, for whole-batch
/// passes (a GPU's), where a batch costs its longest row times its rows: the
/// epoch's permutation is cut into windows of `windowBatches` batches, each
/// window sorted by example length (stably) and cut into batches, and the
/// batches of the epoch are shuffled (from seed and epoch too). Still a
/// permutation of every example, still a function of (seed, epoch).
std::vector<int64_t> lengthGroupedOrder(const Dataset &data, int64_t batchSize,
                                        int64_t windowBatches, uint64_t seed, int64_t epoch);

/// Draws training batches: the next batchSize examples from a position
/// (crossing into the next epoch when one ends), padded to the longest.
/// With lengthWindows > 0 the order is lengthGroupedOrder's.
class BatchSampler {
public:
  BatchSampler(const Dataset &data, int64_t batchSize, uint64_t seed, int64_t lengthWindows = 0)
      : Data(data), BatchSize(batchSize), Seed(seed), LengthWindows(lengthWindows) {}
  /// Advances position past the batch.
  TokenBatch next(DataPosition &position);

private:
  const Dataset &Data;
  int64_t BatchSize;
  uint64_t Seed;
  int64_t LengthWindows;
  int64_t OrderEpoch = -1;
  std::vector<int64_t> Order;
};

/// A batch of the given examples, padded to the longest (padding has no
/// target).
TokenBatch makeBatch(const Dataset &data, llvm::ArrayRef<int64_t> indices);

/// Process `rank`'s rows of a batch in data-parallel training: rows rank,
/// rank + processes, ...; the same columns. `positions` stays the whole
/// batch's (what tokens/s counts).
TokenBatch rowsOfProcess(const TokenBatch &batch, int rank, int processes);

} // namespace optlm::train
