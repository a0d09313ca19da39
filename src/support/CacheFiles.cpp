//===- CacheFiles.cpp - where optlm keeps what it caches ------------------===//
#include "support/CacheFiles.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <cstdio>

using namespace llvm;

namespace optlm {

std::string hashToHex(uint64_t hash) {
  char text[17];
  snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

Expected<std::string> defaultStorePath() {
  if (std::optional<std::string> explicitPath = sys::Process::GetEnv("OPTLM_STORE"))
    return *explicitPath;
  SmallString<256> dir;
  if (std::optional<std::string> cache = sys::Process::GetEnv("XDG_CACHE_HOME");
      cache && !cache->empty())
    dir = *cache;
  else if (!sys::path::cache_directory(dir))
    return createStringError(inconvertibleErrorCode(),
                             "no cache directory: set OPTLM_STORE or pass --store");
  sys::path::append(dir, "optlm");
  if (std::error_code ec = sys::fs::create_directories(dir))
    return createStringError(ec, "cannot create '%s': %s", dir.c_str(), ec.message().c_str());
  sys::path::append(dir, "results.sqlite");
  return std::string(dir);
}

} // namespace optlm
