//===- DiagnosticCapture.cpp - context errors that do not exit ------------===//
#include "ir/DiagnosticCapture.h"

#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace optlm {

namespace {

class RecordingDiagnosticHandler : public DiagnosticHandler {
public:
  explicit RecordingDiagnosticHandler(std::string &firstError) : FirstError(firstError) {}

  bool handleDiagnostics(const DiagnosticInfo &info) override {
    if (info.getSeverity() != DS_Error || !FirstError.empty())
      return true;
    std::string text;
    raw_string_ostream stream(text);
    DiagnosticPrinterRawOStream printer(stream);
    info.print(printer);
    FirstError = StringRef(text).trim().split('\n').first.str();
    if (FirstError.empty())
      FirstError = "an error diagnostic without text";
    return true;
  }

private:
  std::string &FirstError;
};

} // namespace

ScopedDiagnosticCapture::ScopedDiagnosticCapture(LLVMContext &context)
    : Context(context), FirstError(std::make_unique<std::string>()) {
  Previous = Context.getDiagnosticHandler();
  Context.setDiagnosticHandler(std::make_unique<RecordingDiagnosticHandler>(*FirstError));
}

ScopedDiagnosticCapture::~ScopedDiagnosticCapture() {
  Context.setDiagnosticHandler(std::move(Previous));
}

} // namespace optlm
