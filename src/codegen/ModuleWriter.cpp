//===- ModuleWriter.cpp - write a module as .ll, .bc, .o or .s ------------===//
#include "codegen/ModuleWriter.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace optlm {

Expected<OutputKind> outputKindFromPath(StringRef path) {
  StringRef extension = sys::path::extension(path);
  if (extension == ".ll")
    return OutputKind::IRText;
  if (extension == ".bc")
    return OutputKind::Bitcode;
  if (extension == ".o")
    return OutputKind::Object;
  if (extension == ".s")
    return OutputKind::Assembly;
  return createStringError("cannot tell what to write to '%s' (expected .ll, .bc, .o or .s)",
                           path.str().c_str());
}

Expected<std::string> renderModule(Module &module, OutputKind kind,
                                   std::optional<Reloc::Model> relocation) {
  std::string bytes;
  raw_string_ostream stream(bytes);
  switch (kind) {
  case OutputKind::IRText:
    module.print(stream, nullptr);
    return bytes;
  case OutputKind::Bitcode:
    // With the use-list order, as opt writes it: llc and clang read such a
    // file into the very use lists the passes left, and their code (some
    // choices walk a value's users) is then the code optlm measured.
    WriteBitcodeToFile(module, stream, /*ShouldPreserveUseListOrder=*/true);
    return bytes;
  case OutputKind::Object:
  case OutputKind::Assembly:
    break;
  }
  Expected<std::unique_ptr<TargetMachine>> machine =
      createCodegenTargetMachine(module.getTargetTriple(), relocation);
  if (!machine)
    return machine.takeError();
  if (kind == OutputKind::Assembly)
    return emitAssembly(module, **machine);
  Expected<SmallVector<char, 0>> object = emitObject(module, **machine);
  if (!object)
    return object.takeError();
  return std::string(object->begin(), object->end());
}

Error writeModule(Module &module, StringRef path, std::optional<Reloc::Model> relocation) {
  Expected<OutputKind> kind = outputKindFromPath(path);
  if (!kind)
    return kind.takeError();
  Expected<std::string> bytes = renderModule(module, *kind, relocation);
  if (!bytes)
    return bytes.takeError();
  Error written = writeToOutput(path, [&](raw_ostream &out) {
    out << *bytes;
    return Error::success();
  });
  if (!written)
    return Error::success();
  // The file error names the path already; the message names it once.
  std::string reason;
  handleAllErrors(
      std::move(written), [&](const FileError &error) { reason = error.messageWithoutFileInfo(); },
      [&](const ErrorInfoBase &error) { reason = error.message(); });
  return createStringError("cannot write '%s': %s", path.str().c_str(), reason.c_str());
}

} // namespace optlm
