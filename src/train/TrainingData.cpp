//===- TrainingData.cpp - records to token sequences and batches ----------===//
#include "train/TrainingData.h"

#include "support/FolderListing.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <algorithm>

using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

namespace optlm::train {

DataCounts &DataCounts::operator+=(const DataCounts &other) {
  lines += other.lines;
  examples += other.examples;
  malformed += other.malformed;
  tooLong += other.tooLong;
  tokens += other.tokens;
  targets += other.targets;
  return *this;
}

namespace {

/// One record's texts: a prompt and its label, or plain text (empty prompt,
/// isText).
struct RecordText {
  std::string prompt, label;
  bool isText = false;
};

std::optional<RecordText> parseRecord(StringRef line) {
  nlohmann::json record = nlohmann::json::parse(line.begin(), line.end(), nullptr,
                                                /*allow_exceptions=*/false);
  if (!record.is_object())
    return std::nullopt;
  auto text = record.find("text");
  if (text != record.end() && text->is_string())
    return RecordText{"", text->get<std::string>(), true};
  auto prompt = record.find("prompt"), label = record.find("label");
  if (prompt == record.end() || label == record.end() || !prompt->is_string() ||
      !label->is_string())
    return std::nullopt;
  return RecordText{prompt->get<std::string>(), label->get<std::string>(), false};
}

/// The whole of file (a data file is read at once, and its lines refer into it).
Expected<std::unique_ptr<llvm::MemoryBuffer>> readWhole(const std::string &file) {
  auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "%s: %s", file.c_str(),
                                   buffer.getError().message().c_str());
  return std::move(*buffer);
}

/// Calls visit for every non-empty line of text.
void forEachLineOf(StringRef text, llvm::function_ref<void(StringRef)> visit) {
  while (!text.empty()) {
    auto [line, tail] = text.split('\n');
    text = tail;
    if (!line.trim().empty())
      visit(line);
  }
}

/// Calls visit for every non-empty line of file.
Error forEachLine(const std::string &file, const std::function<void(StringRef)> &visit) {
  auto buffer = readWhole(file);
  if (!buffer)
    return buffer.takeError();
  forEachLineOf((*buffer)->getBuffer(), visit);
  return Error::success();
}

uint64_t splitmix64(uint64_t &state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// What one line of a data file becomes.
struct LineExamples {
  bool malformed = false;
  bool tooLong = false;
  std::vector<Example> examples;
};

LineExamples tokenizeLine(StringRef line, const lm::Tokenizer &tokenizer, size_t maxTokens) {
  LineExamples result;
  std::optional<RecordText> record = parseRecord(line);
  if (!record) {
    result.malformed = true;
    return result;
  }
  std::vector<int32_t> label = tokenizer.encode(record->label);
  if (record->isText) {
    // Context-sized pieces, each BOS + text + (for the last) EOS.
    label.push_back(tokenizer.eosId());
    for (size_t start = 0; start < label.size(); start += maxTokens - 1) {
      Example example;
      example.tokens.push_back(tokenizer.bosId());
      size_t end = std::min(label.size(), start + maxTokens - 1);
      example.tokens.insert(example.tokens.end(), label.begin() + start, label.begin() + end);
      if (example.tokens.size() >= 2)
        result.examples.push_back(std::move(example));
    }
    return result;
  }
  Example example;
  example.tokens = tokenizer.encode(record->prompt, /*addBos=*/true);
  example.firstTarget = static_cast<int32_t>(example.tokens.size());
  example.tokens.insert(example.tokens.end(), label.begin(), label.end());
  example.tokens.push_back(tokenizer.eosId());
  if (example.tokens.size() > maxTokens)
    result.tooLong = true;
  else
    result.examples.push_back(std::move(example));
  return result;
}

} // namespace

Expected<Dataset> loadDataset(llvm::ArrayRef<std::string> files, const lm::Tokenizer &tokenizer,
                              int64_t contextLength) {
  // A text record is cut into pieces of up to contextLength tokens after
  // its BOS: none fit in less than one.
  if (contextLength < 1)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the context length must be at least 1 (it is %lld)",
                                   static_cast<long long>(contextLength));
  // An example of n tokens occupies n - 1 positions: the last is only a target.
  const size_t maxTokens = static_cast<size_t>(contextLength) + 1;
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> buffers;
  std::vector<StringRef> lines;
  for (const std::string &file : files) {
    auto buffer = readWhole(file);
    if (!buffer)
      return buffer.takeError();
    buffers.push_back(std::move(*buffer));
    forEachLineOf(buffers.back()->getBuffer(), [&](StringRef line) { lines.push_back(line); });
  }
  // Tokenizing is most of the loading time (BPE over records of kilobytes):
  // lines are tokenized on every core, then kept in file order.
  std::vector<LineExamples> tokenized(lines.size());
  llvm::parallelFor(0, lines.size(),
                    [&](size_t i) { tokenized[i] = tokenizeLine(lines[i], tokenizer, maxTokens); });
  Dataset data;
  data.counts.lines = static_cast<int64_t>(lines.size());
  for (LineExamples &line : tokenized) {
    data.counts.malformed += line.malformed;
    data.counts.tooLong += line.tooLong;
    for (Example &example : line.examples) {
      data.counts.examples += 1;
      data.counts.tokens += static_cast<int64_t>(example.tokens.size());
      data.counts.targets += static_cast<int64_t>(example.tokens.size()) - example.firstTarget;
      data.examples.push_back(std::move(example));
    }
  }
  return data;
}

Error forEachRecordText(llvm::ArrayRef<std::string> files,
                        const std::function<void(StringRef text)> &visit) {
  for (const std::string &file : files) {
    Error error = forEachLine(file, [&](StringRef line) {
      std::optional<RecordText> record = parseRecord(line);
      if (!record)
        return;
      if (!record->isText)
        visit(record->prompt);
      visit(record->label);
    });
    if (error)
      return error;
  }
  return Error::success();
}

std::vector<std::string> dataFiles(StringRef path, StringRef split) {
  if (!llvm::sys::fs::is_directory(path))
    return llvm::sys::fs::exists(path) ? std::vector<std::string>{path.str()}
                                       : std::vector<std::string>{};
  llvm::SmallString<256> splitFile(path);
  llvm::sys::path::append(splitFile, "split", split + ".jsonl");
  if (llvm::sys::fs::exists(splitFile))
    return {std::string(splitFile)};
  if (split != "train")
    return {};
  // A folder that cannot be listed holds no data files; the caller says so.
  llvm::Expected<std::vector<std::string>> files = listFolderByExtension(path, ".jsonl");
  if (!files) {
    llvm::consumeError(files.takeError());
    return {};
  }
  return std::move(*files);
}

std::vector<int64_t> epochOrder(int64_t exampleCount, uint64_t seed, int64_t epoch) {
  std::vector<int64_t> order(exampleCount);
  for (int64_t i = 0; i < exampleCount; ++i)
    order[i] = i;
  uint64_t state = seed * 0x9e3779b97f4a7c15ULL + static_cast<uint64_t>(epoch) + 1;
  for (int64_t i = exampleCount - 1; i > 0; --i) {
    // Lemire's multiply-shift: uniform enough for a shuffle, and exact.
    uint64_t j = static_cast<uint64_t>(
        (static_cast<unsigned __int128>(splitmix64(state)) * static_cast<uint64_t>(i + 1)) >> 64);
    std::swap(order[i], order[j]);
  }
  return order;
}

std::vector<int64_t> lengthGroupedOrder(const Dataset &data, int64_t batchSize,
                                        int64_t windowBatches, uint64_t seed, int64_t epoch) {
  const int64_t count = static_cast<int64_t>(data.examples.size());
  std::vector<int64_t> order = epochOrder(count, seed, epoch);
  if (batchSize <= 0 || windowBatches <= 0)
    return order;
  auto length = [&](int64_t index) { return data.examples[index].tokens.size(); };
  const int64_t window = batchSize * windowBatches;
  for (int64_t start = 0; start < count; start += window)
    std::stable_sort(order.begin() + start, order.begin() + std::min(count, start + window),
                     [&](int64_t a, int64_t b) { return length(a) < length(b); });
  // Whole batches change places; a last, partial one stays last.
  const int64_t batches = count / batchSize;
  std::vector<int64_t> batchOrder = epochOrder(batches, ~seed, epoch);
  std::vector<int64_t> grouped;
  grouped.reserve(count);
  for (int64_t batch : batchOrder)
    grouped.insert(grouped.end(), order.begin() + batch * batchSize,
                   order.begin() + (batch + 1) * batchSize);
  grouped.insert(grouped.end(), order.begin() + batches * batchSize, order.end());
  return grouped;
}

TokenBatch makeBatch(const Dataset &data, llvm::ArrayRef<int64_t> indices) {
  TokenBatch batch;
  batch.rows = static_cast<int64_t>(indices.size());
  for (int64_t index : indices)
    batch.columns = std::max<int64_t>(batch.columns, data.examples[index].tokens.size() - 1);
  batch.tokens.assign(batch.rows * batch.columns, 0);
  batch.targets.assign(batch.rows * batch.columns, TokenBatch::kNoTarget);
  for (int64_t row = 0; row < batch.rows; ++row) {
    const Example &example = data.examples[indices[row]];
    int64_t positions = static_cast<int64_t>(example.tokens.size()) - 1;
    batch.positions += positions;
    for (int64_t p = 0; p < batch.columns; ++p) {
      // Padding repeats EOS as input; it has no target, and causal attention
      // keeps it from changing any earlier position.
      batch.tokens[row * batch.columns + p] =
          p < positions ? example.tokens[p] : example.tokens.back();
      if (p < positions && p + 1 >= example.firstTarget)
        batch.targets[row * batch.columns + p] = example.tokens[p + 1];
    }
  }
  return batch;
}

TokenBatch rowsOfProcess(const TokenBatch &batch, int rank, int processes) {
  if (processes <= 1)
    return batch;
  TokenBatch share;
  share.columns = batch.columns;
  share.positions = batch.positions;
  for (int64_t row = rank; row < batch.rows; row += processes) {
    auto begin = [&](const std::vector<int32_t> &values) {
      return values.begin() + row * batch.columns;
    };
    share.tokens.insert(share.tokens.end(), begin(batch.tokens),
                        begin(batch.tokens) + batch.columns);
    share.targets.insert(share.targets.end(), begin(batch.targets),
                         begin(batch.targets) + batch.columns);
    ++share.rows;
  }
  return share;
}

TokenBatch BatchSampler::next(DataPosition &position) {
  const int64_t count = static_cast<int64_t>(Data.examples.size());
  std::vector<int64_t> indices;
  while (count > 0 && static_cast<int64_t>(indices.size()) < BatchSize) {
    if (position.cursor >= count) {
      position.epoch += 1;
      position.cursor = 0;
    }
    if (OrderEpoch != position.epoch) {
      Order = LengthWindows > 0
                  ? lengthGroupedOrder(Data, BatchSize, LengthWindows, Seed, position.epoch)
                  : epochOrder(count, Seed, position.epoch);
      OrderEpoch = position.epoch;
    }
    indices.push_back(Order[position.cursor++]);
  }
  return makeBatch(Data, indices);
}

} // namespace optlm::train
