//===- Settings.cpp - how `optlm cc` is told what to do --------------------===//
#include "cc/Settings.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace llvm;

namespace optlm::cc {

StringRef modeName(Mode mode) {
  switch (mode) {
  case Mode::Oz:
    return "oz";
  case Mode::Tune:
    return "tune";
  case Mode::Capture:
    return "capture";
  }
  return "tune";
}

Settings readSettings(std::vector<std::string> &arguments,
                      function_ref<std::optional<std::string>(StringRef)> environment) {
  // name -> value, from the environment first, then the arguments.
  static constexpr std::pair<StringRef, StringRef> Names[] = {
      {"mode", "OPTLM_CC_MODE"},           {"store", "OPTLM_CC_STORE"},
      {"budget", "OPTLM_CC_BUDGET"},       {"log", "OPTLM_CC_LOG"},
      {"corpus", "OPTLM_CC_CORPUS"},       {"package", "OPTLM_CC_PACKAGE"},
      {"license", "OPTLM_CC_LICENSE"},     {"capture-targets", "OPTLM_CC_CAPTURE_TARGETS"},
      {"broadcast", "OPTLM_CC_BROADCAST"}, {"timeout", "OPTLM_CC_TIMEOUT"},
      {"pipeline", "OPTLM_CC_PIPELINE"},   {"objects", "OPTLM_CC_OBJECTS"},
      {"model", "OPTLM_CC_MODEL"},         {"model-lists", "OPTLM_CC_MODEL_LISTS"},
      {"chains", "OPTLM_CC_CHAINS"},       {"parts", "OPTLM_CC_PARTS"}};
  std::map<std::string, std::string> values;
  for (const auto &[name, variable] : Names)
    if (std::optional<std::string> value = environment(variable))
      values[name.str()] = *value;
  Settings settings;
  std::vector<std::string> kept;
  for (const std::string &argument : arguments) {
    StringRef text = argument;
    if (!text.consume_front("--optlm-")) {
      kept.push_back(argument);
      continue;
    }
    auto [name, value] = text.split('=');
    if (none_of(Names, [&](const auto &entry) { return entry.first == name; }))
      settings.problems.push_back("unknown setting '" + argument + "'");
    else
      values[name.str()] = value.str();
  }
  arguments = std::move(kept);

  auto number = [&](StringRef name, uint64_t &out) {
    auto found = values.find(name.str());
    if (found == values.end() || found->second.empty())
      return false;
    if (!to_integer(StringRef(found->second).trim(), out, 10)) {
      settings.problems.push_back(name.str() + " '" + found->second + "' is not a number; ignored");
      return false;
    }
    return true;
  };
  if (auto found = values.find("mode"); found != values.end() && !found->second.empty()) {
    std::string mode = StringRef(found->second).trim().lower();
    if (mode == "oz")
      settings.mode = Mode::Oz;
    else if (mode == "tune")
      settings.mode = Mode::Tune;
    else if (mode == "capture")
      settings.mode = Mode::Capture;
    else
      settings.problems.push_back("mode '" + found->second +
                                  "' is not oz, tune or capture; tune is used");
  }
  if (auto found = values.find("chains"); found != values.end() && !found->second.empty()) {
    std::string chains = StringRef(found->second).trim().lower();
    if (chains == "all")
      settings.allChains = true;
    else if (chains != "known")
      settings.problems.push_back("chains '" + found->second +
                                  "' is not known or all; known is used");
  }
  if (auto found = values.find("parts"); found != values.end() && !found->second.empty()) {
    std::string parts = StringRef(found->second).trim().lower();
    if (parts == "off")
      settings.byParts = false;
    else if (parts != "on")
      settings.problems.push_back("parts '" + found->second + "' is not on or off; on is used");
  }
  settings.storePath = values["store"];
  settings.logPath = values["log"];
  settings.corpusPath = values["corpus"];
  settings.package = values["package"];
  settings.license = values["license"];
  settings.forcedPipeline = values["pipeline"];
  settings.objectCache = values["objects"];
  settings.model = values["model"];
  SmallVector<StringRef, 4> targets;
  StringRef(values["capture-targets"]).split(targets, ',', -1, /*KeepEmpty=*/false);
  for (StringRef name : targets)
    if (!is_contained(settings.captureTargets, name.trim()))
      settings.captureTargets.push_back(name.trim().str());
  uint64_t value = 0;
  if (number("budget", value) && value > 0)
    settings.budget = value;
  if (number("broadcast", value))
    settings.broadcastLists = unsigned(std::min<uint64_t>(value, 64));
  if (number("model-lists", value))
    settings.modelLists = unsigned(std::min<uint64_t>(value, 64));
  if (number("timeout", value) && value > 0)
    settings.timeout = std::chrono::seconds(value);
  if (settings.mode == Mode::Capture && settings.corpusPath.empty())
    settings.problems.push_back("capture mode without OPTLM_CC_CORPUS: nothing is captured");
  return settings;
}

std::string tuneFingerprint(const Settings &settings) {
  std::string text = modeName(settings.mode).str();
  for (const std::string &part :
       {settings.storePath, settings.budget ? std::to_string(*settings.budget) : "-",
        std::to_string(settings.broadcastLists), settings.model,
        std::to_string(settings.modelLists), std::string(settings.allChains ? "all" : "known"),
        std::string(settings.byParts ? "parts" : "whole"), settings.forcedPipeline}) {
    text += '\0';
    text += part;
  }
  return text;
}

} // namespace optlm::cc
