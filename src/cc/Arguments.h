//===- Arguments.h - what a clang command line asks for ----------*- C++ -*-===//
//
// `optlm cc` stands in for clang-19 in builds, so it must tell the command
// lines it can improve from everything else without a clang library to
// parse them (Debian ships no clang development headers). A command line is
// a Compile, which optlm takes over, only when it is clearly one: `-c`, one
// or more C or C++ sources named by their extension, an object as the
// output, and no flag whose effect optlm cannot reproduce (LTO, bitcode
// embedding, instrumentation, sanitizers, -save-temps, -x, several -arch,
// cc1 or LLVM options, stdin input). Anything else, from `-E` through
// linking and configure's odd test programs to a flag this file has never
// seen take a value, is PassThrough: clang-19 runs with the very same
// arguments. Misclassifying a compile as PassThrough costs only the tuning;
// the reverse could cost the build, so the lists err on that side.
//
// For a Compile, this file also writes the command lines the driver runs:
// the frontend (the build's arguments for one source, its object path
// replaced by a bitcode file, dependency-file names kept as clang would
// derive them) and the code generator (the program-shaping flags the
// compile_commands IR extraction keeps, see data/CompileCommands.h, applied
// to the optimized bitcode).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace optlm::cc {

/// Which clang the command line was meant for: `optlm cc` stands for
/// clang-19, `optlm c++` for clang++-19.
enum class Personality { C, Cxx };

enum class Action {
  /// A compile to objects that optlm runs itself.
  Compile,
  /// Anything else: clang-19 with the same arguments.
  PassThrough,
};

/// How main() was asked to be a compiler: `optlm cc ...`, `optlm c++ ...`, or
/// a program named optlm-cc / optlm-c++ (optlm-cc's launcher and its link, for
/// build systems that want one executable path). `skip` is how many leading argv entries
/// are optlm's (the program name and the word cc).
struct DriverCall {
  Personality personality;
  int skip;
};
std::optional<DriverCall> driverCall(int argc, char **argv);

struct SourceInput {
  std::string path; ///< as the command line names it
  size_t position;  ///< index in Invocation::arguments
  bool cxx = false; ///< C++ by extension (or by the c++ personality)
};

struct Invocation {
  Personality personality = Personality::C;
  /// The command line after the program name, response files expanded.
  std::vector<std::string> arguments;
  Action action = Action::PassThrough;
  /// For PassThrough: why, in a few words ("no -c", "-flto", ...). Empty for
  /// command lines that do not compile anything (linking, -E, --version).
  std::string reason;
  /// Set when the command line compiles (-c) even if it passes through,
  /// so that the build log can count it.
  bool compiles = false;
  std::vector<SourceInput> sources;
  /// Position of the value of the last -o (or of the joined -oFILE), if any.
  std::optional<size_t> outputPosition;
  /// The last -O level's text after "-O" ("2", "z", "" for -O), if any.
  std::optional<std::string> optLevel;
  bool dependencyFile = false;        ///< -MD or -MMD
  bool dependencyFileNamed = false;   ///< -MF
  bool dependencyTargetNamed = false; ///< -MT or -MQ

  /// The output's path as given by -o, if any.
  std::optional<std::string> output() const;
};

/// Whether a source is a build system's test program, compiled to see what
/// the compiler does and then thrown away: autoconf's conftest.c, CMake's
/// compiler identification and try_compile sources, Meson's probes. Such
/// compiles pass through to clang unchanged: tuning them costs a first
/// build minutes (gzip's configure compiles hundreds) and ships nothing,
/// and the probe sees exactly what clang does.
bool isBuildSystemProbe(llvm::StringRef sourcePath);

/// Classifies a command line (without the program name). Response files
/// (@FILE) are expanded the way clang expands them; one that cannot be read
/// makes the invocation PassThrough, so that clang reports it.
Invocation classify(llvm::ArrayRef<std::string> arguments, Personality personality);

/// Where clang writes the object of source `index`: -o's value, else the
/// source's base name with the extension replaced by ".o", in the working
/// directory.
std::string objectPath(const Invocation &invocation, size_t index);

/// The arguments of the frontend run for source `index`: the build's own
/// arguments with the other sources left out and the object replaced by
/// `bitcodePath`, then `-Oz -Xclang -disable-llvm-passes -emit-llvm` (LLM
/// Compiler's recipe; the last -O wins). A dependency file keeps the name
/// and the target clang would have given it for the object.
std::vector<std::string> frontendArguments(const Invocation &invocation, size_t index,
                                           llvm::StringRef bitcodePath);

/// The frontend's arguments for the same source compiled for another
/// target, whose IR capture mode also records: the same source and recipe
/// without the build's dependency-file options (its depfile is its own
/// target's) and machine options (-m..., which name the build's target),
/// with --target=`triple` and warnings off (the build has shown them).
std::vector<std::string> crossCaptureArguments(const Invocation &invocation, size_t index,
                                               llvm::StringRef bitcodePath, llvm::StringRef triple);

/// The arguments that turn `bitcodePath` into `objectPath` for `triple`:
/// the build's program-shaping flags (data/CompileCommands.h's filter), the
/// target, and `-Oz` with clang's IR passes on (`runOz`) or off (the
/// bitcode is already optimized).
std::vector<std::string> codegenArguments(const Invocation &invocation, llvm::StringRef bitcodePath,
                                          llvm::StringRef objectPath, llvm::StringRef triple,
                                          bool runOz);

/// The build's arguments with `-Oz` appended (the last -O wins): what oz
/// mode and every last-resort fallback run.
std::vector<std::string> ozArguments(const Invocation &invocation);

} // namespace optlm::cc
