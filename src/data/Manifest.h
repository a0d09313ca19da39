//===- Manifest.h - what a datagen output folder holds -----------*- C++ -*-===//
//
// manifest.json is rebuilt from the shards' journals (never from memory), so
// it is right whoever writes it: a single run, rank 0 of an MPI job, or the
// last of several --shard runs to finish. It lists every shard file with
// its record count, length and SHA-256 (over the journaled length), the
// record counts by task, the modules done out of the corpus, and the
// failures by reason, and the 100 flag-tuning pipelines that are most often
// some module's label (-Oz left out): the broadcast candidates of a next run.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "support/AtomicFile.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace optlm::data {

/// Builds the manifest. `parameters` is stored as given; `corpusModules` is
/// how many modules the corpus holds.
llvm::Expected<nlohmann::json>
buildManifest(llvm::StringRef directory, const nlohmann::json &parameters, uint64_t corpusModules);

/// Writes manifest.json atomically (a temporary file renamed over it).
llvm::Error writeManifest(llvm::StringRef directory, const nlohmann::json &manifest);

/// Lowercase hex SHA-256 of the first `length` bytes of a file.
llvm::Expected<std::string> fileSha256(llvm::StringRef path, uint64_t length);

} // namespace optlm::data
