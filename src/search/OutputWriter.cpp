//===- OutputWriter.cpp - write a tuned program, like `optlm opt` -----------===//
#include "search/OutputWriter.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"
#include "engine/Evaluator.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace optlm::search {

llvm::Expected<OutputKind> outputKindFromPath(llvm::StringRef path) {
  llvm::StringRef ext = llvm::sys::path::extension(path);
  if (ext == ".ll")
    return OutputKind::IRText;
  if (ext == ".bc")
    return OutputKind::Bitcode;
  if (ext == ".o")
    return OutputKind::Object;
  if (ext == ".s")
    return OutputKind::Assembly;
  return llvm::createStringError("cannot tell what to write to '" + path.str() +
                                 "' (expected .ll, .bc, .o or .s)");
}

llvm::Error writeOptimized(const llvm::Module &module, Target target,
                           const Pipeline &pipeline, llvm::StringRef path) {
  auto kind = outputKindFromPath(path);
  if (!kind)
    return kind.takeError();
  // The same optimization as every evaluation, so that the file holds what
  // was measured.
  auto optimized = optimizeModule(module, pipeline, target);
  if (!optimized)
    return optimized.takeError();
  llvm::Module &result = *optimized->module;
  const std::string triple = targetTriple(target).str();

  std::error_code ec;
  const bool text = *kind == OutputKind::IRText || *kind == OutputKind::Assembly;
  llvm::raw_fd_ostream out(path, ec, text ? llvm::sys::fs::OF_Text
                                          : llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot write '" + path.str() + "': " + ec.message());
  switch (*kind) {
  case OutputKind::IRText:
    result.print(out, nullptr);
    break;
  case OutputKind::Bitcode:
    llvm::WriteBitcodeToFile(result, out);
    break;
  case OutputKind::Object:
  case OutputKind::Assembly: {
    auto machine = createCodegenTargetMachine(triple);
    if (!machine)
      return machine.takeError();
    if (*kind == OutputKind::Object) {
      auto object = emitObject(result, **machine);
      if (!object)
        return object.takeError();
      out.write(object->data(), object->size());
    } else {
      auto assembly = emitAssembly(result, **machine);
      if (!assembly)
        return assembly.takeError();
      out << *assembly;
    }
    break;
  }
  }
  out.close();
  if (out.has_error())
    return llvm::createStringError("cannot write '" + path.str() + "': " +
                                   out.error().message());
  return llvm::Error::success();
}

} // namespace optlm::search
