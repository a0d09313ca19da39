//===- ObjectCache.cpp - objects already made, by IR and command ---------===//
#include "cc/ObjectCache.h"

#include "store/ResultsStore.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <unistd.h>

using namespace llvm;

namespace optlm::cc {

uint64_t ObjectCache::key(uint64_t irHash, StringRef pipeline, StringRef compiler,
                          ArrayRef<std::string> codegenArguments) {
  std::string text = hashToHex(irHash);
  for (StringRef part : {pipeline, compiler, llvmVersion()}) {
    text += '\0';
    text += part;
  }
  for (const std::string &argument : codegenArguments) {
    text += '\0';
    text += argument;
  }
  return xxh3_64bits(text);
}

std::string ObjectCache::pathOf(uint64_t key) const {
  const std::string name = hashToHex(key);
  SmallString<256> path(Directory);
  sys::path::append(path, name.substr(0, 2), name + ".o");
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

} // namespace optlm::cc
