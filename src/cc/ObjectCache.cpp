//===- ObjectCache.cpp - objects already made, by IR and command ---------===//
#include "cc/ObjectCache.h"

#include "cc/Settings.h"
#include "support/AtomicFile.h"
#include "support/CacheFiles.h"
#include "support/ResultsVersion.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

using namespace llvm;

namespace optlm::cc {

namespace {

uint64_t hashParts(ArrayRef<StringRef> parts, ArrayRef<std::string> arguments) {
  std::string text;
  for (StringRef part : parts) {
    text += part;
    text += '\0';
  }
  for (const std::string &argument : arguments) {
    text += argument;
    text += '\0';
  }
  return xxh3_64bits(text);
}

} // namespace

ObjectCache ObjectCache::forSettings(const Settings &settings) {
  std::string directory = settings.objectCache;
  if (directory == "off")
    directory.clear();
  else if (directory.empty() && !settings.storePath.empty())
    directory = settings.storePath + ".objects";
  else if (directory.empty()) {
    if (Expected<std::string> store = defaultStorePath())
      directory = (sys::path::parent_path(*store) + "/cc-objects").str();
    else
      consumeError(store.takeError());
  }
  return ObjectCache(std::move(directory));
}

uint64_t ObjectCache::key(uint64_t irHash, StringRef pipeline, StringRef compiler,
                          ArrayRef<std::string> codegenArguments) {
  const std::string hash = hashToHex(irHash);
  return hashParts({hash, pipeline, compiler, kResultsVersion}, codegenArguments);
}

uint64_t ObjectCache::decisionKey(StringRef bitcode, StringRef fingerprint, StringRef optlmIdentity,
                                  StringRef compiler, ArrayRef<std::string> codegenArguments) {
  const std::string bitcodeHash = hashToHex(xxh3_64bits(bitcode));
  return hashParts({"decision", bitcodeHash, fingerprint, optlmIdentity, compiler},
                   codegenArguments);
}

std::string ObjectCache::fileIdentity(StringRef path) {
  sys::fs::file_status status;
  if (path.empty() || sys::fs::status(path, status))
    return "";
  return std::to_string(status.getSize()) + ":" +
         std::to_string(sys::toTimeT(status.getLastModificationTime()));
}

std::string ObjectCache::pathOf(uint64_t key, StringRef extension) const {
  const std::string name = hashToHex(key);
  SmallString<256> path(Directory);
  sys::path::append(path, name.substr(0, 2), name + extension.str());
  return std::string(path);
}

bool ObjectCache::fetch(uint64_t key, StringRef objectPath) const {
  if (!enabled())
    return false;
  const std::string cached = pathOf(key);
  if (!sys::fs::exists(cached))
    return false;
  SmallString<256> temporary;
  sys::fs::createUniquePath(objectPath + "-optlm-%%%%%%%%.o", temporary,
                            /*MakeAbsolute=*/false);
  if (sys::fs::copy_file(cached, temporary)) {
    sys::fs::remove(temporary);
    return false;
  }
  if (sys::fs::rename(temporary, objectPath)) {
    sys::fs::remove(temporary);
    return false;
  }
  return true;
}

void ObjectCache::store(uint64_t key, StringRef objectPath) const {
  if (!enabled())
    return;
  const std::string cached = pathOf(key);
  if (sys::fs::create_directories(sys::path::parent_path(cached)))
    return;
  const std::string temporary = cached + ".tmp" + std::to_string(::getpid());
  if (sys::fs::copy_file(objectPath, temporary) || sys::fs::rename(temporary, cached))
    sys::fs::remove(temporary);
}

std::optional<UnitDecision> ObjectCache::findDecision(uint64_t key) const {
  if (!enabled())
    return std::nullopt;
  auto buffer = MemoryBuffer::getFile(pathOf(key, ".unit"));
  if (!buffer)
    return std::nullopt;
  const nlohmann::json json =
      nlohmann::json::parse((*buffer)->getBuffer(), nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("object") || !json["object"].is_string() ||
      !json.contains("how") || !json["how"].is_string() || !json.contains("pipeline") ||
      !json["pipeline"].is_string())
    return std::nullopt;
  UnitDecision decision;
  if (StringRef(json["object"].get<std::string>()).getAsInteger(16, decision.objectKey))
    return std::nullopt;
  decision.how = json["how"].get<std::string>();
  decision.pipeline = json["pipeline"].get<std::string>();
  if (json.contains("ir_hash") && json["ir_hash"].is_string())
    decision.irHash = json["ir_hash"].get<std::string>();
  if (json.contains("size") && json["size"].is_number_unsigned())
    decision.size = json["size"].get<uint64_t>();
  if (json.contains("oz_size") && json["oz_size"].is_number_unsigned())
    decision.ozSize = json["oz_size"].get<uint64_t>();
  return decision;
}

void ObjectCache::storeDecision(uint64_t key, const UnitDecision &decision) const {
  if (!enabled())
    return;
  nlohmann::json json = {{"object", hashToHex(decision.objectKey)},
                         {"how", decision.how},
                         {"pipeline", decision.pipeline},
                         {"ir_hash", decision.irHash}};
  if (decision.size)
    json["size"] = *decision.size;
  if (decision.ozSize)
    json["oz_size"] = *decision.ozSize;
  const std::string path = pathOf(key, ".unit");
  if (!sys::fs::create_directories(sys::path::parent_path(path)))
    consumeError(writeFileAtomically(path, json.dump()));
}

} // namespace optlm::cc
