//===- Settings.h - how `optlm cc` is told what to do ------------*- C++ -*-===//
//
// Builds hand CC through many layers (make, configure, CMake caches, dpkg),
// so every setting of the compiler driver is an environment variable, and
// the same can be given as an --optlm-NAME=VALUE argument, which the driver
// removes before clang sees the command line (an argument wins over the
// environment):
//
//   OPTLM_CC_MODE=tune|oz|capture  (--optlm-mode)   default tune
//   OPTLM_CC_STORE=PATH            (--optlm-store)  default: the user's store
//   OPTLM_CC_BUDGET=N              (--optlm-budget) search N evaluations per unit
//   OPTLM_CC_LOG=PATH              (--optlm-log)    the build log (JSON lines)
//   OPTLM_CC_CORPUS=DIR            (--optlm-corpus) capture: the corpus
//   OPTLM_CC_PACKAGE=NAME          (--optlm-package) capture: the package
//   OPTLM_CC_LICENSE=SPDX          (--optlm-license) capture: the license
//   OPTLM_CC_CAPTURE_TARGETS=LIST  (--optlm-capture-targets) capture: also
//                                  the IR for these targets (x86_64,
//                                  aarch64), the frontend run again with
//                                  --target: one build, a corpus per target
//   OPTLM_CC_BROADCAST=K           (--optlm-broadcast) tune: K popular lists (default 4)
//   OPTLM_CC_TIMEOUT=SECONDS       (--optlm-timeout) one optimization (default 120)
//   OPTLM_CC_OBJECTS=DIR|off       (--optlm-objects) the object cache (default:
//                                  STORE.objects, or cc-objects next to the
//                                  default store)
//   OPTLM_CC_MODEL=PATH|off        (--optlm-model) tune: the flag-tuning model
//                                  (default: the shipped one for the target)
//   OPTLM_CC_MODEL_LISTS=K         (--optlm-model-lists) its compilations per
//                                  unit, chains included (default 10)
//   OPTLM_CC_CHAINS=known|all      (--optlm-chains) tune: the model's chains
//                                  whose verdict the store holds (default),
//                                  or all, each verified when it first wins
//   OPTLM_CC_PARTS=on|off          (--optlm-parts) tune: the model's lists
//                                  chosen for each separately compilable part
//                                  of a unit too, as `optlm tune` does
//                                  (default on), or for whole units only
//   OPTLM_CC_PIPELINE=PIPELINE     (--optlm-pipeline) tune: use this pipeline
//                                  (or pipelines for each part, as the
//                                  build log writes them), unverified
//                                  (experiments and tests)
//
// A setting that does not parse is not the build's problem: it is written
// to the log and its default is used.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace optlm::cc {

enum class Mode {
  /// clang-19 -Oz.
  Oz,
  /// The best verified pipeline optlm has (store, popular lists, a model),
  /// a search when a budget is set; -Oz when nothing is better.
  Tune,
  /// Objects as with Oz, and every unit's IR added to a corpus.
  Capture,
};

llvm::StringRef modeName(Mode mode); ///< "oz", "tune", "capture"

struct Settings {
  Mode mode = Mode::Tune;
  std::string storePath; ///< empty: the default store
  std::optional<uint64_t> budget;
  std::string logPath; ///< empty: no log
  std::string corpusPath;
  std::string package;
  std::string license;
  /// Capture: the targets whose IR is captured besides the build's own, as
  /// given (the driver reads them with parseTarget: this layer does not
  /// link the engine).
  std::vector<std::string> captureTargets;
  unsigned broadcastLists = 4;
  /// The flag-tuning model's file; empty: the shipped one; "off": none.
  std::string model;
  /// The model's compilations per unit, its chains included (0: no model).
  unsigned modelLists = 10;
  /// Every chain of the model's best lists, verified by a PassListEval suite
  /// run the first time one wins; false: only the chains whose verdict the
  /// store already holds, so that a build never waits for the suite.
  bool allChains = false;
  /// The model's lists for each part of a unit that could have been a file
  /// of its own, as `optlm tune` chooses them (tasks/FlagTuner.h); false:
  /// one pipeline for the whole unit.
  bool byParts = true;
  std::chrono::seconds timeout{120};
  std::string forcedPipeline;
  /// The object cache's folder; empty: the default; "off": none.
  std::string objectCache;
  /// Settings that did not parse, one line each, for the log.
  std::vector<std::string> problems;
};

/// Reads the environment and removes --optlm-NAME=VALUE arguments from
/// `arguments`. `environment` looks a variable up (getenv in the driver).
Settings readSettings(std::vector<std::string> &arguments,
                      llvm::function_ref<std::optional<std::string>(llvm::StringRef)> environment);

/// The settings that change which pipeline tune mode chooses, as one text:
/// a unit's remembered decision (ObjectCache.h) holds only for the same.
std::string tuneFingerprint(const Settings &settings);

} // namespace optlm::cc
