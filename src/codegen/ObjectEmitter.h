//===- ObjectEmitter.h - object files and assembly into memory ---*- C++ -*-===//
//
// Runs the code generator the way llc-19 does (a legacy pass manager with
// the triple's TargetLibraryInfo, the verifier on) and keeps the output in
// memory: sizes are measured from the bytes, nothing touches the disk.
//
// Code generation rewrites the IR it is given (CodeGenPrepare, atomic and
// memory-intrinsic expansion, ...): the module is consumed in all but name.
// Emit from a clone if the module is needed afterwards.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "llvm/Target/TargetMachine.h"

#include <string>

namespace optlm {

/// Compiles the module to an ELF relocatable object. The target machine
/// should come from createCodegenTargetMachine; the module's code model, if
/// it names one, is applied to it as llc does. Errors the code generator
/// reports through the context (instead of aborting) become the Error.
llvm::Expected<llvm::SmallVector<char, 0>> emitObject(llvm::Module &module,
                                                      llvm::TargetMachine &machine);

/// Compiles the module to assembly text, as llc -filetype=asm prints it.
llvm::Expected<std::string> emitAssembly(llvm::Module &module, llvm::TargetMachine &machine);

} // namespace optlm
