//===- Suite.cpp - what optlm eval runs over ------------------------------===//
#include "eval/Suite.h"

#include "ir/ModuleLoader.h"
#include "pipeline/Pipeline.h"
#include "support/FolderListing.h"
#include "tasks/AnswerParser.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <random>

using namespace llvm;

namespace optlm::eval {

StringRef taskName(Task task) {
  switch (task) {
  case Task::FlagTune:
    return "flagtune";
  case Task::Disasm:
    return "disasm";
  case Task::Emulate:
    return "emulate";
  }
  return "unknown";
}

Expected<std::vector<Task>> parseTaskList(StringRef text) {
  std::vector<Task> tasks;
  SmallVector<StringRef, 4> names;
  text.split(names, ',', -1, false);
  for (StringRef name : names) {
    name = name.trim();
    std::optional<Task> task;
    for (Task known : {Task::FlagTune, Task::Disasm, Task::Emulate})
      if (name == taskName(known))
        task = known;
    if (!task)
      return createStringError("unknown task '%s' (known: flagtune, disasm, emulate)",
                               name.str().c_str());
    if (std::find(tasks.begin(), tasks.end(), *task) == tasks.end())
      tasks.push_back(*task);
  }
  if (tasks.empty())
    return createStringError("no task named (known: flagtune, disasm, emulate)");
  return tasks;
}

std::string SuiteItem::key() const { return (taskName(task) + "/" + id).str(); }

std::string emulationPipelineFor(StringRef name, uint64_t seed) {
  std::mt19937_64 random(xxh3_64bits(name) ^ (seed * 0x9E3779B97F4A7C15ull));
  std::vector<const PassInfo *> space = PassVocabulary::builtin().searchSpace();
  std::vector<const PassInfo *> passes(1 + random() % 12);
  for (const PassInfo *&pass : passes)
    pass = space[random() % space.size()];
  return Pipeline::fromPasses(passes).text();
}

namespace {

Expected<std::vector<SuiteItem>> loadDirectory(StringRef directory, const SuiteOptions &options) {
  Expected<std::vector<std::string>> listed =
      listFolder(directory, [](StringRef path) { return inputKindOf(path).has_value(); });
  if (!listed)
    return listed.takeError();
  std::vector<std::string> files = std::move(*listed);
  if (files.empty())
    return createStringError("%s holds no programs (.c .cc .cpp .ll .bc)", directory.str().c_str());
  std::vector<SuiteItem> items;
  for (Task task : options.tasks) {
    size_t count = 0;
    for (const std::string &file : files) {
      if (options.limit && count++ >= options.limit)
        break;
      SuiteItem item;
      item.id = sys::path::filename(file).str();
      item.task = task;
      item.target = options.target;
      item.path = file;
      if (task == Task::Emulate)
        item.pipeline = emulationPipelineFor(item.id, options.seed);
      items.push_back(std::move(item));
    }
  }
  return items;
}

Expected<SuiteItem> itemFromRecord(const nlohmann::json &record) {
  if (!record.is_object() || !record.contains("task") || !record["task"].is_string() ||
      !record.contains("prompt") || !record["prompt"].is_string())
    return createStringError("a record needs \"task\" and \"prompt\" strings");
  SuiteItem item;
  std::string task = record["task"];
  Expected<std::vector<Task>> tasks = parseTaskList(task);
  if (!tasks)
    return tasks.takeError();
  item.task = tasks->front();
  item.id = record.value("id", std::string());
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json &metadata =
      record.contains("metadata") && record["metadata"].is_object() ? record["metadata"] : empty;
  if (metadata.contains("target") && metadata["target"].is_string()) {
    Expected<Target> target = parseTarget(metadata["target"].get<std::string>());
    if (!target)
      return target.takeError();
    item.target = *target;
  }
  std::string prompt = record["prompt"];
  item.input = tasks::extractCode(prompt);
  std::string label = record.contains("label") && record["label"].is_string()
                          ? record["label"].get<std::string>()
                          : std::string();
  auto stringField = [&](const char *name) {
    return metadata.contains(name) && metadata[name].is_string() ? metadata[name].get<std::string>()
                                                                 : std::string();
  };
  switch (item.task) {
  case Task::FlagTune:
    item.labelPipeline = stringField("pipeline");
    if (item.labelPipeline.empty() && !label.empty()) {
      if (Expected<Pipeline> parsed = tasks::parsePipelineAnswer(label))
        item.labelPipeline = parsed->text();
      else
        consumeError(parsed.takeError());
    }
    if (metadata.contains("output_binary_size") &&
        metadata["output_binary_size"].is_number_unsigned())
      item.labelBinarySize = metadata["output_binary_size"].get<uint64_t>();
    break;
  case Task::Disasm:
    if (!label.empty())
      item.reference = tasks::extractCode(label);
    break;
  case Task::Emulate:
    item.pipeline = stringField("pipeline");
    if (item.pipeline.empty())
      return createStringError("an emulation record needs metadata.pipeline");
    item.output = stringField("output") == "assembly" ? data::EmulationOutput::Assembly
                                                      : data::EmulationOutput::IR;
    if (!label.empty())
      item.reference = tasks::extractCode(label);
    break;
  }
  if (item.input.empty())
    return createStringError("the prompt holds no code");
  return item;
}

Expected<std::vector<SuiteItem>> loadRecords(StringRef path, const SuiteOptions &options) {
  auto buffer = MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return createStringError("cannot read %s: %s", path.str().c_str(),
                             buffer.getError().message().c_str());
  std::vector<SuiteItem> items;
  std::map<Task, size_t> counts;
  SmallVector<StringRef, 0> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  for (size_t number = 0; number < lines.size(); ++number) {
    StringRef line = lines[number].trim();
    if (line.empty())
      continue;
    nlohmann::json record = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    if (record.is_discarded())
      return createStringError("%s:%zu: not a JSON object", path.str().c_str(), number + 1);
    Expected<SuiteItem> item = itemFromRecord(record);
    if (!item)
      return createStringError("%s:%zu: %s", path.str().c_str(), number + 1,
                               toString(item.takeError()).c_str());
    if (std::find(options.tasks.begin(), options.tasks.end(), item->task) == options.tasks.end())
      continue;
    if (options.limit && counts[item->task] >= options.limit)
      continue;
    ++counts[item->task];
    if (item->id.empty())
      item->id = "line-" + std::to_string(number + 1);
    items.push_back(std::move(*item));
  }
  if (items.empty())
    return createStringError("%s holds no records of the tasks asked for", path.str().c_str());
  // By task, each task's records in file order.
  std::vector<SuiteItem> sorted;
  for (Task task : {Task::FlagTune, Task::Disasm, Task::Emulate})
    for (SuiteItem &item : items)
      if (item.task == task)
        sorted.push_back(std::move(item));
  return sorted;
}

} // namespace

Expected<std::vector<SuiteItem>> loadSuite(StringRef path, const SuiteOptions &options) {
  if (sys::fs::is_directory(path))
    return loadDirectory(path, options);
  if (!sys::fs::exists(path))
    return createStringError("%s does not exist", path.str().c_str());
  if (path.ends_with(".jsonl"))
    return loadRecords(path, options);
  return createStringError("%s is neither a directory of programs nor a .jsonl split",
                           path.str().c_str());
}

} // namespace optlm::eval
