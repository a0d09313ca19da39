//===- Report.cpp - report.json, report.md and the plots ------------------===//
#include "eval/Report.h"

#include "eval/ItemScore.h"
#include "eval/Metrics.h"
#include "eval/Svg.h"
#include "support/AtomicFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

using namespace llvm;
using nlohmann::json;

namespace optlm::eval {
namespace {

Error writeFile(StringRef directory, StringRef name, StringRef text) {
  SmallString<256> path(directory);
  sys::path::append(path, name);
  return writeFileAtomically(path, text);
}

std::string cell(const json &value) {
  if (value.is_null())
    return "n/a";
  if (value.is_number_float()) {
    std::string text;
    raw_string_ostream(text) << format("%.2f", value.get<double>());
    return text;
  }
  if (value.is_string())
    return value.get<std::string>();
  return value.dump();
}

std::vector<const json *> itemsOf(ArrayRef<json> results, StringRef task) {
  std::vector<const json *> items;
  for (const json &result : results)
    if (result.value("task", std::string()) == task && isScored(result))
      items.push_back(&result);
  return items;
}

/// One number of every item, where the item has it.
template <typename Score, typename Value>
std::vector<double> valuesOf(const std::vector<const json *> &items, Score (*scoreOf)(const json &),
                             Value value) {
  std::vector<double> values;
  for (const json *item : items)
    if (std::optional<double> number = value(scoreOf(*item)))
      values.push_back(*number);
  return values;
}

Error writePlots(StringRef directory, ArrayRef<json> results, json &plots) {
  auto flagTune = itemsOf(results, "flagtune");
  if (!flagTune.empty()) {
    std::vector<std::pair<std::string, double>> bars;
    for (const json *item : flagTune)
      bars.emplace_back(item->value("id", std::string()),
                        flagTuneScoreOf(*item).reductionWithBackup());
    if (Error error =
            writeFile(directory, "flagtune-per-program.svg",
                      barChartSvg("Size reduction versus -Oz per program (with -Oz backup)",
                                  "% smaller than -Oz", bars)))
      return error;
    if (Error error =
            writeFile(directory, "flagtune-distribution.svg",
                      histogramSvg("Distribution of the reduction versus -Oz (without backup)", "%",
                                   valuesOf(flagTune, flagTuneScoreOf,
                                            [](const FlagTuneScore &score) {
                                              return std::optional(score.reductionWithoutBackup());
                                            }),
                                   -10, 10, 10)))
      return error;
    plots.push_back("flagtune-per-program.svg");
    plots.push_back("flagtune-distribution.svg");
  }
  auto disasm = itemsOf(results, "disasm");
  if (!disasm.empty()) {
    if (Error error = writeFile(directory, "disasm-bleu.svg",
                                histogramSvg("Disassembly: round-trip BLEU", "BLEU",
                                             valuesOf(disasm, disassemblyScoreOf,
                                                      [](const DisassemblyScore &score) {
                                                        return std::optional(score.roundTripBleu);
                                                      }),
                                             0, 1, 10)))
      return error;
    plots.push_back("disasm-bleu.svg");
  }
  auto emulate = itemsOf(results, "emulate");
  if (!emulate.empty()) {
    if (Error error =
            writeFile(directory, "emulate-bleu.svg",
                      histogramSvg("Emulation: BLEU against the compiler's output", "BLEU",
                                   valuesOf(emulate, emulationScoreOf,
                                            [](const EmulationScore &score) {
                                              return std::optional(score.bleu);
                                            }),
                                   0, 1, 10)))
      return error;
    if (Error error =
            writeFile(directory, "emulate-size-error.svg",
                      histogramSvg("Emulation: absolute % error of the predicted binary size", "%",
                                   valuesOf(emulate, emulationScoreOf,
                                            [](const EmulationScore &score) {
                                              return score.binarySizeErrorPercent();
                                            }),
                                   0, 100, 10)))
      return error;
    plots.push_back("emulate-bleu.svg");
    plots.push_back("emulate-size-error.svg");
  }
  return Error::success();
}

} // namespace

std::string reportMarkdown(const json &report) {
  std::string text;
  raw_string_ostream out(text);
  out << "# optlm evaluation\n\n"
      << "- solver: `" << report.value("solver", "") << "`\n"
      << "- suite: `" << report.value("suite", "") << "`\n"
      << "- target: `" << report.value("target", "") << "`\n\n";
  const json &tasks = report["tasks"];
  static const std::pair<const char *, const char *> Titles[] = {
      {"flagtune", "Flag tuning"}, {"disasm", "Disassembly"}, {"emulate", "Compiler emulation"}};
  for (const auto &[task, title] : Titles) {
    if (!tasks.contains(task))
      continue;
    out << "## " << title << "\n\n| metric | value |\n|---|---|\n";
    for (const auto &[name, value] : tasks[task].items())
      out << "| " << name << " | " << cell(value) << " |\n";
    out << "\n";
  }
  if (report.contains("plots") && !report["plots"].empty()) {
    out << "## Plots\n\n";
    for (const json &plot : report["plots"])
      out << "![" << plot.get<std::string>() << "](" << plot.get<std::string>() << ")\n\n";
  }
  out << "## Items\n\n| task | item | outcome |\n|---|---|---|\n";
  for (const json &item : report["items"]) {
    std::string task = item.value("task", "");
    std::string outcome = outcomeInWords(item);
    // Table cells cannot hold newlines or pipes.
    for (char &c : outcome)
      if (c == '\n' || c == '|')
        c = ' ';
    out << "| " << task << " | " << item.value("id", "") << " | " << outcome << " |\n";
  }
  return text;
}

Expected<json> writeReport(StringRef directory, const ReportInfo &info, ArrayRef<json> results) {
  if (std::error_code error = sys::fs::create_directories(directory))
    return createStringError("cannot create %s: %s", directory.str().c_str(),
                             error.message().c_str());
  json report = {{"solver", info.solver},  {"suite", info.suite},
                 {"target", info.target},  {"tasks", summarize(results)},
                 {"plots", json::array()}, {"items", json(results.vec())}};
  if (Error error = writePlots(directory, results, report["plots"]))
    return std::move(error);
  if (Error error = writeFile(directory, "report.json",
                              report.dump(2, ' ', false, json::error_handler_t::replace) + "\n"))
    return std::move(error);
  if (Error error = writeFile(directory, "report.md", reportMarkdown(report)))
    return std::move(error);
  return report;
}

} // namespace optlm::eval
