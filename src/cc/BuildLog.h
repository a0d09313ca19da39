//===- BuildLog.h - what `optlm cc` did, one line per unit -------*- C++ -*-===//
//
// The compiler driver never writes to the build's stderr on its own behalf
// (a build that works with clang-19 -Oz must look the same with optlm cc),
// so everything it has to say goes to a log: one JSON object per line, one
// line per compile step, appended with a single write(2) on a file opened
// O_APPEND so that the compilers of a `make -j` build can share it.
// `optlm cc --report LOG` summarises one.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "cc/Arguments.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace optlm::cc {

/// How one translation unit's object was made.
struct UnitRecord {
  std::string directory; ///< the compiler's working directory
  std::string source;    ///< as the command line names it
  std::string object;
  std::string mode; ///< "tune", "oz", "capture"
  /// "store" (a verified result for this IR), "broadcast" (a popular list),
  /// "search", "model", "forced" (OPTLM_CC_PIPELINE), "oz" (nothing better
  /// than -Oz known), "fallback" (optlm failed; clang -Oz made the object),
  /// "passthrough" (clang-19 ran the command line), "error" (the compile
  /// failed as it fails with clang).
  std::string how;
  std::string reason;   ///< why a fallback or pass-through happened
  std::string pipeline; ///< the pipeline applied (canonical text)
  std::string irHash;   ///< of the unoptimized module, hex
  /// .text+.data of the chosen pipeline and of -Oz as optlm's engine
  /// measures them, when measured.
  std::optional<uint64_t> size;
  std::optional<uint64_t> ozSize;
  bool captured = false;
  double seconds = 0;
  std::vector<std::string> notes; ///< anything else worth knowing, one line each
};

/// Appends one line; creates the file.
llvm::Error appendRecord(llvm::StringRef logPath, const UnitRecord &record);

/// One record per unit of a command line that optlm did not compile itself
/// (pass-through, oz mode): how and why, with the settings' problems as
/// notes. Nothing when there is no log or the command line compiles nothing.
void logEachUnit(llvm::StringRef logPath, const Invocation &invocation, llvm::StringRef mode,
                 llvm::StringRef how, llvm::StringRef reason, llvm::ArrayRef<std::string> notes);

/// Every record of a log. Lines that do not parse are counted in `skipped`.
llvm::Expected<std::vector<UnitRecord>> readLog(llvm::StringRef logPath, size_t &skipped);

struct BuildSummary {
  size_t units = 0;                      ///< objects made (pass-throughs included)
  std::map<std::string, size_t> byHow;   ///< how -> units
  std::map<std::string, size_t> reasons; ///< "how: reason" -> units, fallbacks and pass-throughs
  size_t errors = 0;                     ///< compiles that failed (as with clang)
  size_t captured = 0;
  size_t measured = 0; ///< units with both sizes
  uint64_t size = 0;   ///< over measured units
  uint64_t ozSize = 0;
  double seconds = 0;
};

BuildSummary summarize(llvm::ArrayRef<UnitRecord> records);
std::string summaryText(const BuildSummary &summary);
std::string summaryJson(const BuildSummary &summary);

} // namespace optlm::cc
