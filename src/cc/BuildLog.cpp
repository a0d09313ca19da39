//===- BuildLog.cpp - what `optlm cc` did, one line per unit ---------------===//
#include "cc/BuildLog.h"

#include "cc/ClangProcess.h"

#include "engine/Evaluation.h"
#include "support/AppendFile.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

using namespace llvm;

namespace optlm::cc {

Error appendRecord(StringRef logPath, const UnitRecord &record) {
  nlohmann::json line = {
      {"directory", record.directory}, {"source", record.source}, {"object", record.object},
      {"mode", record.mode},           {"how", record.how},       {"seconds", record.seconds}};
  if (!record.reason.empty())
    line["reason"] = record.reason;
  if (!record.pipeline.empty())
    line["pipeline"] = record.pipeline;
  if (!record.irHash.empty())
    line["ir_hash"] = record.irHash;
  if (record.size)
    line["size"] = *record.size;
  if (record.ozSize)
    line["oz_size"] = *record.ozSize;
  if (record.captured)
    line["captured"] = true;
  if (!record.notes.empty())
    line["notes"] = record.notes;
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return appendToFile(logPath, text);
}

void logEachUnit(StringRef logPath, const Invocation &invocation, StringRef mode, StringRef how,
                 StringRef reason, ArrayRef<std::string> notes) {
  if (logPath.empty() || !invocation.compiles)
    return;
  const std::string directory = currentDirectory();
  auto logOne = [&](StringRef source, StringRef object) {
    UnitRecord record;
    record.directory = directory;
    record.source = source.str();
    record.object = object.str();
    record.mode = mode.str();
    record.how = how.str();
    record.reason = reason.str();
    record.notes.assign(notes.begin(), notes.end());
    consumeError(appendRecord(logPath, record));
  };
  if (invocation.sources.empty())
    logOne("", invocation.output().value_or(""));
  for (size_t index = 0; index < invocation.sources.size(); ++index)
    logOne(invocation.sources[index].path, objectPath(invocation, index));
}

Expected<std::vector<UnitRecord>> readLog(StringRef logPath, size_t &skipped) {
  auto buffer = MemoryBuffer::getFile(logPath, /*IsText=*/true);
  if (!buffer)
    return createStringError(buffer.getError(), "cannot read '%s': %s", logPath.str().c_str(),
                             buffer.getError().message().c_str());
  std::vector<UnitRecord> records;
  skipped = 0;
  SmallVector<StringRef, 0> lines;
  (*buffer)->getBuffer().split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (StringRef text : lines) {
    nlohmann::json line = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (!line.is_object() || !line.contains("how")) {
      ++skipped;
      continue;
    }
    UnitRecord record;
    try {
      record.directory = line.value("directory", "");
      record.source = line.value("source", "");
      record.object = line.value("object", "");
      record.mode = line.value("mode", "");
      record.how = line.value("how", "");
      record.reason = line.value("reason", "");
      record.pipeline = line.value("pipeline", "");
      record.irHash = line.value("ir_hash", "");
      if (line.contains("size"))
        record.size = line["size"].get<uint64_t>();
      if (line.contains("oz_size"))
        record.ozSize = line["oz_size"].get<uint64_t>();
      record.captured = line.value("captured", false);
      record.seconds = line.value("seconds", 0.0);
    } catch (const nlohmann::json::exception &) {
      ++skipped;
      continue;
    }
    records.push_back(std::move(record));
  }
  return records;
}

BuildSummary summarize(ArrayRef<UnitRecord> records) {
  BuildSummary summary;
  for (const UnitRecord &record : records) {
    summary.seconds += record.seconds;
    if (record.how == "error") {
      ++summary.errors;
      continue;
    }
    ++summary.units;
    ++summary.byHow[record.how];
    if ((record.how == "fallback" || record.how == "passthrough") && !record.reason.empty())
      ++summary.reasons[record.how + ": " + record.reason];
    summary.captured += record.captured;
    if (record.size && record.ozSize) {
      ++summary.measured;
      summary.size += *record.size;
      summary.ozSize += *record.ozSize;
    }
  }
  return summary;
}

static double reductionPercent(const BuildSummary &summary) {
  return reductionVsOzPercent(summary.size, summary.ozSize);
}

std::string summaryText(const BuildSummary &summary) {
  std::string text;
  raw_string_ostream out(text);
  out << "translation units  " << summary.units;
  if (summary.errors)
    out << " (and " << summary.errors << " failed compiles)";
  out << "\n";
  static constexpr std::pair<StringRef, StringRef> Labels[] = {
      {"store", "verified result in the store"},    {"broadcast", "popular verified list"},
      {"model", "model's verified answer"},         {"search", "search"},
      {"forced", "OPTLM_CC_PIPELINE (unverified)"}, {"oz", "-Oz (nothing better known)"},
      {"fallback", "-Oz fallback (optlm failed)"},  {"passthrough", "passed to clang"}};
  for (const auto &[how, label] : Labels)
    if (auto found = summary.byHow.find(how.str()); found != summary.byHow.end())
      out << "  " << format("%-32s", label.str().c_str()) << found->second << "\n";
  for (const auto &[how, count] : summary.byHow)
    if (none_of(Labels, [&](const auto &label) { return label.first == how; }))
      out << "  " << format("%-32s", how.c_str()) << count << "\n";
  for (const auto &[reason, count] : summary.reasons)
    out << "    " << reason << ": " << count << "\n";
  if (summary.captured)
    out << "captured           " << summary.captured << " modules\n";
  if (summary.measured)
    out << "binary size        " << summary.size << " bytes against " << summary.ozSize
        << " with -Oz (" << format("%+.2f", -reductionPercent(summary)) << "%), over "
        << summary.measured << " measured units\n";
  else
    out << "binary size        no unit measured against -Oz\n";
  out << "compile time       " << format("%.1f", summary.seconds) << " s in optlm cc\n";
  return text;
}

std::string summaryJson(const BuildSummary &summary) {
  nlohmann::json json = {{"units", summary.units},
                         {"failed_compiles", summary.errors},
                         {"by_how", summary.byHow},
                         {"reasons", summary.reasons},
                         {"captured", summary.captured},
                         {"measured_units", summary.measured},
                         {"size", summary.size},
                         {"oz_size", summary.ozSize},
                         {"reduction_vs_oz_percent", reductionPercent(summary)},
                         {"seconds", summary.seconds}};
  return json.dump(2);
}

} // namespace optlm::cc
