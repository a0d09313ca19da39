//===- ModuleLoader.cpp - modules from .ll, .bc and C/C++ files -----------===//
#include "ir/ModuleLoader.h"

#include "ir/SourceCompiler.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/AttributeMask.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

using namespace llvm;

namespace optlm {

std::optional<InputKind> inputKindOf(StringRef path) {
  StringRef extension = sys::path::extension(path);
  if (extension == ".ll")
    return InputKind::IRText;
  if (extension == ".bc")
    return InputKind::Bitcode;
  if (extension == ".c")
    return InputKind::CSource;
  if (extension == ".cc" || extension == ".cpp" || extension == ".cxx" || extension == ".c++" ||
      extension == ".C")
    return InputKind::CxxSource;
  return std::nullopt;
}

Expected<InputKind> inputKindFromPath(StringRef path) {
  if (std::optional<InputKind> kind = inputKindOf(path))
    return *kind;
  StringRef extension = sys::path::extension(path);
  return createStringError("%s: unsupported input kind '%s' (expected .ll, .bc, .c, .cc, .cpp, "
                           ".cxx)",
                           path.str().c_str(),
                           extension.empty() ? "no extension" : extension.str().c_str());
}

/// The part of a verifier report that fits one line: its first line.
static std::string firstLine(StringRef text) {
  StringRef line = text.trim().split('\n').first.trim();
  return line.str();
}

void retarget(Module &module, const ModuleTarget &target) {
  if (target.triple.empty())
    return;
  Triple previous(module.getTargetTriple());
  Triple wanted(target.triple);
  // A CPU or feature named for another architecture would only make the
  // code generator print warnings and ignore it.
  if (previous.getArch() != wanted.getArch())
    for (Function &function : module)
      function.removeFnAttrs(
          AttributeMask().addAttribute("target-cpu").addAttribute("target-features"));
  module.setTargetTriple(target.triple);
  if (!target.dataLayout.empty())
    module.setDataLayout(target.dataLayout);
}

/// LLVM's readers upgrade debug info as they finish a module, and a module
/// that claims the current debug-info version but is broken in any other way
/// (a model's answer with malformed TBAA, say) makes that step call
/// report_fatal_error: the process ends. The readers' step is turned off
/// (its command-line option, once per process) and done by
/// finishLoading below, which returns the verifier's complaint instead.
static void takeOverDebugInfoUpgrade() {
  static std::once_flag once;
  std::call_once(once, [] {
    StringMap<cl::Option *> &options = cl::getRegisteredOptions();
    auto found = options.find("disable-auto-upgrade-debug-info");
    if (found != options.end())
      static_cast<cl::opt<bool> *>(found->second)->setValue(true);
  });
}

/// The "Debug Info Version" module flag, read without trusting the module
/// flags to be well formed (the module is not verified yet); 0 when absent.
static unsigned debugInfoVersion(const Module &module) {
  const NamedMDNode *flags = module.getModuleFlagsMetadata();
  if (!flags)
    return 0;
  for (const MDNode *flag : flags->operands()) {
    if (flag->getNumOperands() < 3)
      continue;
    auto *key = dyn_cast_or_null<MDString>(flag->getOperand(1));
    if (!key || key->getString() != "Debug Info Version")
      continue;
    if (auto *value = mdconst::dyn_extract_or_null<ConstantInt>(flag->getOperand(2)))
      return static_cast<unsigned>(value->getZExtValue());
  }
  return 0;
}

/// Verification and retargeting shared by every way of loading, with what
/// llvm::UpgradeDebugInfo does (an error where it would abort): debug info
/// of another version is stripped before the one verification, and debug
/// info the verifier finds broken (the rest of the module being valid) after
/// it.
static Expected<LoadedModule> finishLoading(LoadedModule loaded, StringRef name,
                                            const ModuleTarget &target) {
  Module &module = *loaded.module;
  if (debugInfoVersion(module) != DEBUG_METADATA_VERSION)
    StripDebugInfo(module);
  retarget(module, target);
  std::string report;
  raw_string_ostream reportStream(report);
  bool brokenDebugInfo = false;
  if (verifyModule(module, &reportStream, &brokenDebugInfo))
    return createStringError("%s: invalid IR: %s", name.str().c_str(), firstLine(report).c_str());
  if (brokenDebugInfo)
    StripDebugInfo(module);
  return std::move(loaded);
}

Expected<LoadedModule> parseModule(MemoryBufferRef buffer, InputKind kind,
                                   const ModuleTarget &target) {
  StringRef name = buffer.getBufferIdentifier();
  if (buffer.getBufferSize() == 0)
    return createStringError("%s: empty file", name.str().c_str());

  takeOverDebugInfoUpgrade();
  LoadedModule loaded;
  loaded.context = std::make_unique<LLVMContext>();
  // Setting the layout before the body is parsed makes implicit alignments
  // follow the requested target, as llc does for -mtriple.
  auto layoutFor = [&](StringRef, StringRef) -> std::optional<std::string> {
    if (target.dataLayout.empty())
      return std::nullopt;
    return target.dataLayout;
  };

  switch (kind) {
  case InputKind::IRText: {
    SMDiagnostic diagnostic;
    loaded.module = parseAssembly(buffer, diagnostic, *loaded.context,
                                  /*Slots=*/nullptr, layoutFor);
    if (!loaded.module)
      return createStringError("%s:%d:%d: malformed IR: %s", name.str().c_str(),
                               diagnostic.getLineNo(), diagnostic.getColumnNo() + 1,
                               diagnostic.getMessage().str().c_str());
    break;
  }
  case InputKind::Bitcode: {
    Expected<std::unique_ptr<Module>> module =
        parseBitcodeFile(buffer, *loaded.context, ParserCallbacks(layoutFor));
    if (!module)
      return createStringError("%s: malformed bitcode: %s", name.str().c_str(),
                               firstLine(toString(module.takeError())).c_str());
    loaded.module = std::move(*module);
    break;
  }
  case InputKind::CSource:
  case InputKind::CxxSource:
    return createStringError("%s: sources are compiled by loadModule, not "
                             "parsed from memory",
                             name.str().c_str());
  }
  return finishLoading(std::move(loaded), name, target);
}

std::string irFileTriple(StringRef path) {
  Expected<InputKind> kind = inputKindFromPath(path);
  if (!kind) {
    consumeError(kind.takeError());
    return "";
  }
  if (*kind != InputKind::IRText && *kind != InputKind::Bitcode)
    return "";
  ErrorOr<std::unique_ptr<MemoryBuffer>> file = MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!file)
    return "";
  if (*kind == InputKind::Bitcode) {
    Expected<std::string> triple = getBitcodeTargetTriple((*file)->getMemBufferRef());
    if (!triple) {
      consumeError(triple.takeError());
      return "";
    }
    return *triple;
  }
  // The module-level line `target triple = "..."`.
  for (StringRef rest = (*file)->getBuffer(); !rest.empty();) {
    StringRef line;
    std::tie(line, rest) = rest.split('\n');
    line = line.trim();
    if (!line.consume_front("target"))
      continue;
    line = line.ltrim();
    if (!line.consume_front("triple"))
      continue;
    line = line.ltrim();
    if (!line.consume_front("="))
      continue;
    line = line.ltrim();
    if (line.consume_front("\""))
      return line.take_until([](char c) { return c == '"'; }).str();
  }
  return "";
}

Expected<LoadedModule> loadModule(StringRef path, const ModuleTarget &target) {
  sys::fs::file_status status;
  if (std::error_code error = sys::fs::status(path, status))
    return createStringError("%s: cannot open: %s", path.str().c_str(), error.message().c_str());
  if (sys::fs::is_directory(status))
    return createStringError("%s: is a directory", path.str().c_str());

  Expected<InputKind> kind = inputKindFromPath(path);
  if (!kind)
    return kind.takeError();

  std::unique_ptr<MemoryBuffer> contents;
  if (*kind == InputKind::CSource || *kind == InputKind::CxxSource) {
    if (status.getSize() == 0)
      return createStringError("%s: empty file", path.str().c_str());
    Expected<std::unique_ptr<MemoryBuffer>> bitcode = sourceToBitcode(path, target.triple);
    if (!bitcode)
      return bitcode.takeError();
    contents = std::move(*bitcode);
  } else {
    ErrorOr<std::unique_ptr<MemoryBuffer>> file =
        MemoryBuffer::getFile(path, /*IsText=*/false,
                              /*RequiresNullTerminator=*/true);
    if (!file)
      return createStringError("%s: cannot read: %s", path.str().c_str(),
                               file.getError().message().c_str());
    contents = std::move(*file);
  }
  InputKind parseAs = (*kind == InputKind::IRText) ? InputKind::IRText : InputKind::Bitcode;
  return parseModule(MemoryBufferRef(contents->getBuffer(), path), parseAs, target);
}

Expected<std::unique_ptr<Module>> copyIntoContext(const Module &module, LLVMContext &context) {
  SmallVector<char, 0> bitcode;
  raw_svector_ostream stream(bitcode);
  WriteBitcodeToFile(module, stream, /*ShouldPreserveUseListOrder=*/true);
  return parseBitcodeFile(
      MemoryBufferRef(StringRef(bitcode.data(), bitcode.size()), module.getModuleIdentifier()),
      context);
}

Expected<LoadedModule> copyIntoNewContext(const Module &module) {
  LoadedModule copy;
  copy.context = std::make_unique<LLVMContext>();
  Expected<std::unique_ptr<Module>> parsed = copyIntoContext(module, *copy.context);
  if (!parsed)
    return parsed.takeError();
  copy.module = std::move(*parsed);
  return std::move(copy);
}

Expected<LoadedModule> LoadedModule::copyIntoNewContext() const {
  return optlm::copyIntoNewContext(*module);
}

} // namespace optlm
