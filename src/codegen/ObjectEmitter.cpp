//===- ObjectEmitter.cpp - object files and assembly into memory ----------===//
#include "codegen/ObjectEmitter.h"

#include "ir/DiagnosticCapture.h"

#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

namespace optlm {

static Error runCodegen(Module &module, TargetMachine &machine, raw_pwrite_stream &output,
                        CodeGenFileType fileType) {
  if (std::optional<CodeModel::Model> model = module.getCodeModel())
    machine.setCodeModel(*model);

  ScopedDiagnosticCapture diagnostics(module.getContext());
  TargetLibraryInfoImpl libraryInfo(Triple(module.getTargetTriple()));
  legacy::PassManager passes;
  passes.add(new TargetLibraryInfoWrapperPass(libraryInfo));
  if (machine.addPassesToEmitFile(passes, output, /*DwoOut=*/nullptr, fileType,
                                  /*DisableVerify=*/false))
    return createStringError("the target cannot emit this file type");
  passes.run(module);
  if (!diagnostics.firstError().empty())
    return createStringError("code generation failed: %s", diagnostics.firstError().c_str());
  return Error::success();
}

Expected<SmallVector<char, 0>> emitObject(Module &module, TargetMachine &machine) {
  SmallVector<char, 0> object;
  raw_svector_ostream stream(object);
  if (Error error = runCodegen(module, machine, stream, CodeGenFileType::ObjectFile))
    return std::move(error);
  return std::move(object);
}

Expected<std::string> emitAssembly(Module &module, TargetMachine &machine) {
  SmallVector<char, 0> text;
  raw_svector_ostream stream(text);
  if (Error error = runCodegen(module, machine, stream, CodeGenFileType::AssemblyFile))
    return std::move(error);
  return std::string(text.begin(), text.end());
}

} // namespace optlm
