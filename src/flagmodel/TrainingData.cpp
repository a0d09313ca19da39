//===- TrainingData.cpp - what the flag-tuning model learns from ----------===//
#include "flagmodel/TrainingData.h"

#include "flagmodel/FlagModel.h"
#include "ir/ModuleFacts.h"
#include "ir/ModuleFeatures.h"
#include "ir/ModulePartitioner.h"
#include "pipeline/Pipeline.h"
#include "search/Broadcast.h"
#include "search/PoolEvaluator.h"
#include "store/ResultsStore.h"
#include "support/AtomicFile.h"
#include "support/FolderListing.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

#include <algorithm>

using namespace llvm;

namespace optlm::flagmodel {

double Label::reductionPercent() const { return reductionVsOzPercent(binarySize, ozSize); }

namespace {

Expected<StringMap<Label>> readLabelSource(StringRef source, std::optional<Target> target) {
  std::vector<std::string> files;
  if (sys::fs::is_regular_file(source) && source.ends_with(".jsonl")) {
    files.push_back(source.str());
  } else if (sys::fs::is_directory(source)) {
    Expected<std::vector<std::string>> listed = listFolderByExtension(source, ".jsonl");
    if (!listed)
      return listed.takeError();
    files = std::move(*listed);
  } else {
    return createStringError("labels '%s' is not a datagen output folder or a .jsonl file",
                             source.str().c_str());
  }
  StringMap<Label> labels;
  for (const std::string &file : files) {
    auto buffer = MemoryBuffer::getFile(file, /*IsText=*/true);
    if (!buffer)
      return createStringError(buffer.getError(), "cannot read '%s'", file.c_str());
    size_t lineNumber = 0;
    for (StringRef rest = (*buffer)->getBuffer(); !rest.empty();) {
      auto [line, tail] = rest.split('\n');
      rest = tail;
      ++lineNumber;
      if (line.trim().empty())
        continue;
      // Records are long (they carry IR); only flagtune ones are parsed.
      if (!line.contains("\"task\":\"flagtune\""))
        continue;
      nlohmann::json record = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
      if (record.is_discarded() || !record.is_object())
        return createStringError("%s:%zu: not a JSON record", file.c_str(), lineNumber);
      const nlohmann::json &metadata = record.value("metadata", nlohmann::json::object());
      if (record.value("task", "") != "flagtune" ||
          (target && metadata.value("target", "") != targetTriple(*target)))
        continue;
      Label label;
      label.module = metadata.value("module", "");
      label.package = metadata.value("package", "");
      label.pipeline = metadata.value("pipeline", "");
      label.binarySize = metadata.value("output_binary_size", uint64_t(0));
      label.ozSize = metadata.value("oz_binary_size", uint64_t(0));
      label.verified = metadata.value("verified", false);
      label.searchEvaluations = metadata.value("search_evaluations", uint64_t(0));
      for (const nlohmann::json &runnerUp : metadata.value("runners_up", nlohmann::json::array()))
        if (runnerUp.is_object() && runnerUp.value("pipeline", "") != "")
          label.runnersUp.push_back(runnerUp.value("pipeline", ""));
      if (label.module.empty() || label.pipeline.empty())
        return createStringError("%s:%zu: a flagtune record without module or pipeline",
                                 file.c_str(), lineNumber);
      // A unit without code (declarations only) has nothing to tune.
      if (label.ozSize == 0)
        continue;
      labels[label.module] = std::move(label);
    }
  }
  return labels;
}

} // namespace

Expected<StringMap<Label>> readLabels(ArrayRef<std::string> sources, std::optional<Target> target) {
  StringMap<Label> labels;
  for (const std::string &source : sources) {
    auto more = readLabelSource(source, target);
    if (!more)
      return more.takeError();
    for (auto &entry : *more) {
      auto [existing, inserted] = labels.try_emplace(entry.getKey(), entry.getValue());
      if (!inserted && entry.getValue().binarySize < existing->second.binarySize)
        existing->second = entry.getValue();
    }
  }
  return labels;
}

std::vector<std::string> mostFrequentLabels(ArrayRef<Label> labels, size_t k) {
  std::vector<TunedResult> belowOz;
  for (const Label &label : labels)
    if (label.binarySize < label.ozSize) {
      belowOz.emplace_back();
      belowOz.back().pipeline = label.pipeline;
    }
  std::vector<std::string> pipelines;
  for (const search::PopularPipeline &popular : search::mostFrequentPipelines(belowOz, k))
    pipelines.push_back(popular.pipeline);
  return pipelines;
}

Expected<std::vector<MeasuredModule>>
measureModules(const data::Corpus &corpus, ArrayRef<data::CorpusEntry> entries,
               ArrayRef<std::string> lists, ResultsStore *store, const MeasureOptions &options,
               uint64_t &skipped) {
  std::vector<Pipeline> pipelines;
  pipelines.push_back(Pipeline::level(OptLevel::Oz));
  for (const std::string &text : lists) {
    auto pipeline = Pipeline::parse(text);
    if (!pipeline)
      return createStringError("list '%s': %s", text.c_str(),
                               toString(pipeline.takeError()).c_str());
    pipelines.push_back(std::move(*pipeline));
  }
  std::vector<MeasuredModule> measured;
  // One row: -Oz and every list on one module; false when -Oz fails.
  auto measure = [&](const Module &module, std::string name,
                     const std::string &group) -> Expected<bool> {
    MeasuredModule row;
    row.name = std::move(name);
    row.group = group;
    row.moduleHash = moduleHash(module);
    row.features = moduleFeatures(module);
    search::PoolEvaluator pool(module, options.target, options.jobs);
    search::RecordingEvaluator evaluator(pool, store, row.moduleHash, options.target);
    auto results = evaluator.evaluate(pipelines);
    if (!results)
      return results.takeError();
    const EvaluationResult &oz = results->front();
    if (oz.outcome != Outcome::Ok || !oz.measurement || oz.measurement->binarySize == 0)
      return false;
    row.ozSize = oz.measurement->binarySize;
    row.inputInstructions = module.getInstructionCount();
    row.ozInstructions = oz.measurement->instructionCount;
    for (size_t i = 1; i < results->size(); ++i) {
      const EvaluationResult &result = (*results)[i];
      row.scores.push_back(result.outcome == Outcome::Ok && result.measurement
                               ? float(double(result.measurement->binarySize) / double(row.ozSize))
                               : kFailedScore);
    }
    measured.push_back(std::move(row));
    return true;
  };
  size_t done = 0;
  for (const data::CorpusEntry &entry : entries) {
    ++done;
    auto prompted = corpus.loadAsPrompted(entry);
    if (!prompted) {
      consumeError(prompted.takeError());
      ++skipped;
      continue;
    }
    const Module &module = *prompted->module.module;
    const std::string group = splitGroup(entry);
    if (!options.parts) {
      Expected<bool> kept = measure(module, entry.name, group);
      if (!kept)
        return kept.takeError();
      skipped += !*kept;
    } else {
      Expected<PartitionedModule> partition = partitionModule(module, options.maxParts);
      if (!partition) {
        consumeError(partition.takeError());
        ++skipped;
        continue;
      }
      for (size_t i = 0; i < partition->parts.size(); ++i) {
        if (!partition->holdsCode(i))
          continue;
        Expected<bool> kept =
            measure(*partition->parts[i], entry.name + "#" + std::to_string(i), group);
        if (!kept)
          return kept.takeError();
        skipped += !*kept;
      }
    }
    if (options.progress)
      *options.progress << "measured " << done << "/" << entries.size() << " modules ("
                        << lists.size() << " lists each" << (options.parts ? ", part by part" : "")
                        << ")\n";
  }
  return measured;
}

Error writeSizeTable(StringRef path, ArrayRef<std::string> library, ArrayRef<MeasuredModule> rows) {
  std::string text = nlohmann::json{{"library", library}}.dump() + "\n";
  for (const MeasuredModule &row : rows)
    text += nlohmann::json{{"row", row.name},
                           {"unit", StringRef(row.name).split('#').first.str()},
                           {"package", row.group},
                           {"oz_size", row.ozSize},
                           {"instructions", row.inputInstructions},
                           {"oz_instructions", row.ozInstructions},
                           {"features", row.features},
                           {"scores", row.scores}}
                .dump() +
            "\n";
  return writeFileAtomically(path, text);
}

} // namespace optlm::flagmodel
