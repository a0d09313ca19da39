//===- ObjectEmitter.cpp - object files and assembly into memory ----------===//
#include "codegen/ObjectEmitter.h"

#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;

namespace optlm {

namespace {

/// Without a handler of its own, LLVMContext exits the process on the first
/// error diagnostic; this one records the first error instead.
class RecordingDiagnosticHandler : public DiagnosticHandler {
public:
  explicit RecordingDiagnosticHandler(std::string &firstError)
      : FirstError(firstError) {}

  bool handleDiagnostics(const DiagnosticInfo &info) override {
    if (info.getSeverity() != DS_Error)
      return true; // warnings and remarks are not failures
    if (FirstError.empty()) {
      raw_string_ostream stream(FirstError);
      DiagnosticPrinterRawOStream printer(stream);
      info.print(printer);
    }
    return true;
  }

private:
  std::string &FirstError;
};

/// Installs RecordingDiagnosticHandler for its lifetime and puts the
/// previous handler back.
class ScopedDiagnosticCapture {
public:
  explicit ScopedDiagnosticCapture(LLVMContext &context) : Context(context) {
    Previous = Context.getDiagnosticHandler();
    Context.setDiagnosticHandler(
        std::make_unique<RecordingDiagnosticHandler>(FirstError));
  }
  ~ScopedDiagnosticCapture() { Context.setDiagnosticHandler(std::move(Previous)); }

  const std::string &firstError() const { return FirstError; }

private:
  LLVMContext &Context;
  std::unique_ptr<DiagnosticHandler> Previous;
  std::string FirstError;
};

} // namespace

static Error runCodegen(Module &module, TargetMachine &machine,
                        raw_pwrite_stream &output, CodeGenFileType fileType) {
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
    return createStringError("code generation failed: %s",
                             diagnostics.firstError().c_str());
  return Error::success();
}

Expected<SmallVector<char, 0>> emitObject(Module &module,
                                          TargetMachine &machine) {
  SmallVector<char, 0> object;
  raw_svector_ostream stream(object);
  if (Error error =
          runCodegen(module, machine, stream, CodeGenFileType::ObjectFile))
    return std::move(error);
  return std::move(object);
}

Expected<std::string> emitAssembly(Module &module, TargetMachine &machine) {
  SmallVector<char, 0> text;
  raw_svector_ostream stream(text);
  if (Error error =
          runCodegen(module, machine, stream, CodeGenFileType::AssemblyFile))
    return std::move(error);
  return std::string(text.begin(), text.end());
}

} // namespace optlm
