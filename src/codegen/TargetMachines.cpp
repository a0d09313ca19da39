//===- TargetMachines.cpp - target machines as opt-19 and llc-19 make them ===//
#include "codegen/TargetMachines.h"

#include "llvm/MC/TargetRegistry.h"

#include <mutex>

using namespace llvm;

extern "C" {
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86Target();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86AsmPrinter();
void LLVMInitializeX86AsmParser();
void LLVMInitializeAArch64TargetInfo();
void LLVMInitializeAArch64Target();
void LLVMInitializeAArch64TargetMC();
void LLVMInitializeAArch64AsmPrinter();
void LLVMInitializeAArch64AsmParser();
}

namespace optlm {

void initializeCodegenTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeX86AsmParser();
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
    LLVMInitializeAArch64AsmParser();
  });
}

bool isSupportedTriple(const Triple &triple) {
  return (triple.getArch() == Triple::x86_64 || triple.getArch() == Triple::aarch64) &&
         triple.isOSBinFormatELF();
}

TargetOptions llcTargetOptions(const Triple &triple) {
  // TargetOptions() differs from the command-line defaults in these fields
  // only; the rest of InitTargetOptionsFromCodeGenFlags copies defaults that
  // equal TargetOptions' own.
  TargetOptions options;
  options.NoTrappingFPMath = false; // -enable-no-trapping-fp-math=false
  options.UseInitArray = true;      // -use-ctors=false
  options.DataSections = triple.hasDefaultDataSections();
  options.EmulatedTLS = triple.hasDefaultEmulatedTLS();
  options.EnableTLSDESC = triple.hasDefaultTLSDESC();
  // llc prints assembly with comments unless -asm-verbose=false.
  options.MCOptions.AsmVerbose = true;
  options.MCOptions.PreserveAsmComments = true;
  return options;
}

static Expected<std::unique_ptr<TargetMachine>>
createTargetMachine(StringRef tripleText, CodeGenOptLevel level,
                    std::optional<Reloc::Model> relocation) {
  initializeCodegenTargets();
  Triple triple(Triple::normalize(tripleText));
  if (!isSupportedTriple(triple))
    return createStringError("unsupported target '%s' (optlm compiles for "
                             "x86_64-unknown-linux-gnu and "
                             "aarch64-unknown-linux-gnu)",
                             tripleText.str().c_str());
  std::string error;
  const Target *target = TargetRegistry::lookupTarget(triple.str(), error);
  if (!target)
    return createStringError("target '%s': %s", tripleText.str().c_str(), error.c_str());
  std::unique_ptr<TargetMachine> machine(target->createTargetMachine(
      triple.str(), /*CPU=*/"", /*Features=*/"", llcTargetOptions(triple), relocation,
      /*CM=*/std::nullopt, level));
  if (!machine)
    return createStringError("cannot create a target machine for '%s'", tripleText.str().c_str());
  return std::move(machine);
}

Expected<std::unique_ptr<TargetMachine>>
createCodegenTargetMachine(StringRef triple, std::optional<Reloc::Model> relocation) {
  return createTargetMachine(triple, CodeGenOptLevel::Default, relocation);
}

Expected<std::unique_ptr<TargetMachine>>
createOptimizerTargetMachine(StringRef triple, std::optional<Reloc::Model> relocation) {
  return createTargetMachine(triple, CodeGenOptLevel::None, relocation);
}

Expected<std::string> dataLayoutFor(StringRef triple) {
  Expected<std::unique_ptr<TargetMachine>> machine = createOptimizerTargetMachine(triple);
  if (!machine)
    return machine.takeError();
  return (*machine)->createDataLayout().getStringRepresentation();
}

} // namespace optlm
