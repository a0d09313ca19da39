//===- CacheFiles.h - where optlm keeps what it caches -----------*- C++ -*-===//
//
// The default results store's path and the hex names of hashes that the
// store, the JSON output and the object cache share. Needs only LLVM's
// Support library (optlm_support_base), so that optlm-cc's launcher finds
// the same object cache as optlm.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>

namespace optlm {

/// Where tools keep their store unless told otherwise: $OPTLM_STORE, else
/// $XDG_CACHE_HOME/optlm/results.sqlite, else ~/.cache/optlm/results.sqlite.
/// Creates the folder.
llvm::Expected<std::string> defaultStorePath();

/// Hex text of a 64-bit hash (16 digits), as the store and the tool's JSON
/// print it.
std::string hashToHex(uint64_t hash);

} // namespace optlm
