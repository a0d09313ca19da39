//===- Suite.h - the self-checking programs PassListEval runs ----*- C++ -*-===//
//
// A suite is one or more folders of C programs. Each NAME.c defines main
// and is run with no arguments and an empty stdin; NAME.expected, when
// present, is the stdout it must print (with exit code 0). Headers (*.h)
// next to the programs belong to the suite too: the csmith programs include
// csmith's runtime headers, which scripts/gen-csmith copies beside them.
//
// The suite id is a hash of everything that decides a verdict's meaning:
// every program's name, source and expected output, the headers, and the
// version of the comparison rules. Verdicts are cached under it, so editing
// or adding a program invalidates them and nothing else does.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace optlm::verify {

struct SuiteProgram {
  std::string name;       ///< file name without .c; unique within a suite
  std::string sourcePath; ///< absolute path of NAME.c
  /// The contents of NAME.expected, if the program has one.
  std::optional<std::string> expectedOutput;
};

struct Suite {
  std::vector<SuiteProgram> programs; ///< sorted by name
  std::vector<std::string> directories;
  std::string id; ///< 16 hex digits
};

/// Reads the programs of the given folders. Errors: a folder that does not
/// exist or holds no .c file, two programs with the same name, unreadable
/// files.
llvm::Expected<Suite> loadSuite(llvm::ArrayRef<std::string> directories);

/// The bundled programs: examples/programs in the source tree.
std::string bundledSuiteDirectory();

/// Where scripts/gen-csmith puts the generated programs in this build
/// (BUILD/suites/csmith); it may not exist.
std::string generatedSuiteDirectory();

/// What PassListEval uses when no folder is given: the bundled programs,
/// and the generated ones if they exist.
std::vector<std::string> defaultSuiteDirectories();

} // namespace optlm::verify
