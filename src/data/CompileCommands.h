//===- CompileCommands.h - IR from a real build's compile_commands.json -*- C++ -*-===//
//
// The way ComPile and MLGO take IR out of real builds: every entry of a
// compilation database is compiled again, in its own directory, with the
// flags that shape the program (include paths, defines, language standard,
// -f options that change semantics) kept and the flags that shape the output
// replaced: -o, -c/-S/-E, -O levels, -g and the dependency-file flags go,
// and the LLM Compiler recipe comes instead:
//   -Oz -Xclang -disable-llvm-passes -emit-llvm -c -o TEMP.bc
// The compiler of the entry is replaced by optlm's clang-19 (a C++ entry
// gets clang++ mode through --driver-mode=g++).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace optlm::data {

struct CompileCommand {
  std::string directory;
  std::string file; ///< as the entry names it (may be relative to directory)
  /// argv of the original command, compiler first.
  std::vector<std::string> arguments;

  /// The source's path, absolute when the entry's directory is.
  std::string sourcePath() const;
};

/// Parses a compilation database. Entries may give "arguments" or a shell
/// "command"; an entry with neither, or without "directory" and "file", is
/// an error naming its index.
llvm::Expected<std::vector<CompileCommand>> parseCompileCommands(llvm::StringRef json);

/// The flags of a compiler command line (after the program name) that shape
/// the program, in order: the filter irExtractionArguments applies before it
/// adds the LLM Compiler recipe. `optlm cc` uses it for the flags of its
/// code generation step.
std::vector<std::string> programShapingArguments(llvm::ArrayRef<std::string> arguments);

/// The arguments after the program name that extract the entry's IR for
/// the triple into outputPath.
std::vector<std::string> irExtractionArguments(const CompileCommand &command,
                                               llvm::StringRef triple, llvm::StringRef outputPath);

} // namespace optlm::data
