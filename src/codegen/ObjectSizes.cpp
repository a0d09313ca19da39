//===- ObjectSizes.cpp - section sizes as llvm-size counts them -----------===//
#include "codegen/ObjectSizes.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MemoryBufferRef.h"

using namespace llvm;

namespace optlm {

Expected<ObjectSizes> measureObjectSizes(StringRef objectBytes) {
  Expected<std::unique_ptr<object::ObjectFile>> parsed =
      object::ObjectFile::createObjectFile(MemoryBufferRef(objectBytes, "object"));
  if (!parsed)
    return createStringError("cannot read the object file: %s",
                             toString(parsed.takeError()).c_str());
  auto *elf = dyn_cast<object::ELFObjectFileBase>(parsed->get());
  if (!elf)
    return createStringError("the object file is not ELF");

  ObjectSizes sizes;
  for (const object::ELFSectionRef section : elf->sections()) {
    uint64_t size = section.getSize();
    // The same order of tests as llvm-size: a section counts once.
    if (section.isBerkeleyText())
      sizes.text += size;
    else if (section.isBerkeleyData())
      sizes.data += size;
    else if (section.isBSS())
      sizes.bss += size;

    if (!(section.getFlags() & ELF::SHF_ALLOC))
      continue;
    Expected<StringRef> name = section.getName();
    if (!name)
      return createStringError("cannot read a section name: %s",
                               toString(name.takeError()).c_str());
    sizes.sections[name->str()] += size;
  }
  return sizes;
}

} // namespace optlm
