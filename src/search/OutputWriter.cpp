//===- OutputWriter.cpp - write a tuned program, like `optlm opt` -----------===//
#include "search/OutputWriter.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/TargetMachines.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

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
  const std::string triple = targetTriple(target).str();
  auto optimizerMachine = createOptimizerTargetMachine(triple);
  if (!optimizerMachine)
    return optimizerMachine.takeError();

  std::unique_ptr<llvm::Module> copy = llvm::CloneModule(module);
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgsccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(optimizerMachine->get());
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgsccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgsccs, modules);
  llvm::ModulePassManager passes;
  if (llvm::Error error = builder.parsePassPipeline(passes, pipeline.text()))
    return llvm::createStringError("cannot apply '" + pipeline.text() +
                                   "': " + llvm::toString(std::move(error)));
  passes.run(*copy, modules);
  std::string problems;
  llvm::raw_string_ostream problemStream(problems);
  if (llvm::verifyModule(*copy, &problemStream))
    return llvm::createStringError("the optimized module is not valid IR: " +
                                   llvm::StringRef(problems).trim().str());

  std::error_code ec;
  const bool text = *kind == OutputKind::IRText || *kind == OutputKind::Assembly;
  llvm::raw_fd_ostream out(path, ec, text ? llvm::sys::fs::OF_Text
                                          : llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot write '" + path.str() + "': " + ec.message());
  switch (*kind) {
  case OutputKind::IRText:
    copy->print(out, nullptr);
    break;
  case OutputKind::Bitcode:
    llvm::WriteBitcodeToFile(*copy, out);
    break;
  case OutputKind::Object:
  case OutputKind::Assembly: {
    auto machine = createCodegenTargetMachine(triple);
    if (!machine)
      return machine.takeError();
    if (*kind == OutputKind::Object) {
      auto object = emitObject(*copy, **machine);
      if (!object)
        return object.takeError();
      out.write(object->data(), object->size());
    } else {
      auto assembly = emitAssembly(*copy, **machine);
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
