//===- Arguments.cpp - what a clang command line asks for -----------------===//
#include "cc/Arguments.h"

#include "data/CompileCommands.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"

using namespace llvm;

namespace optlm::cc {

std::optional<DriverCall> driverCall(int argc, char **argv) {
  if (argc >= 1) {
    StringRef name = sys::path::filename(argv[0]);
    if (name == "optlm-cc")
      return DriverCall{Personality::C, 1};
    if (name == "optlm-c++")
      return DriverCall{Personality::Cxx, 1};
  }
  if (argc >= 2) {
    StringRef word = argv[1];
    if (word == "cc")
      return DriverCall{Personality::C, 2};
    if (word == "c++")
      return DriverCall{Personality::Cxx, 2};
  }
  return std::nullopt;
}

namespace {

/// clang options that take their value as the next argument when written
/// alone. A flag missing here that takes a value makes its value look like
/// an input without a source extension, and so PassThrough: safe.
const StringSet<> &separateValueFlags() {
  static const StringSet<> flags = {"-o",
                                    "-I",
                                    "-D",
                                    "-U",
                                    "-L",
                                    "-l",
                                    "-F",
                                    "-B",
                                    "-x",
                                    "-MF",
                                    "-MT",
                                    "-MQ",
                                    "-MJ",
                                    "-include",
                                    "-imacros",
                                    "-isystem",
                                    "-idirafter",
                                    "-iquote",
                                    "-iprefix",
                                    "-iwithprefix",
                                    "-iwithprefixbefore",
                                    "-isysroot",
                                    "-isystem-after",
                                    "-iframework",
                                    "-iframeworkwithsysroot",
                                    "-ivfsoverlay",
                                    "-iwithsysroot",
                                    "-cxx-isystem",
                                    "-include-pch",
                                    "-Xclang",
                                    "-Xlinker",
                                    "-Xassembler",
                                    "-Xpreprocessor",
                                    "-Xanalyzer",
                                    "-Xopenmp-target",
                                    "-mllvm",
                                    "-target",
                                    "-arch",
                                    "-u",
                                    "-e",
                                    "-T",
                                    "-z",
                                    "-A",
                                    "-b",
                                    "-V",
                                    "-G",
                                    "-aux-triple",
                                    "-serialize-diagnostics",
                                    "-dependency-file",
                                    "-dependency-dot",
                                    "-working-directory",
                                    "--param",
                                    "-framework",
                                    "-install_name",
                                    "-exported_symbols_list",
                                    "-current_version",
                                    "-compatibility_version",
                                    "-rpath",
                                    "--sysroot",
                                    "--include-directory",
                                    "--define-macro",
                                    "--undefine-macro",
                                    "--output",
                                    "--language",
                                    "--for-linker",
                                    "--library-directory",
                                    "--prefix",
                                    "--gcc-toolchain",
                                    "-filelist",
                                    "-bundle_loader",
                                    "-dylib_file",
                                    "-seg1addr",
                                    "-Xarch_host",
                                    "-Xarch_device",
                                    "-Xcuda-ptxas",
                                    "-Xcuda-fatbinary",
                                    "-Xoffload-linker"};
  return flags;
}

/// Flags (by prefix) whose effect optlm cannot reproduce on the IR it takes
/// over, or that ask for something other than an object: the command line
/// goes to clang as it is.
constexpr StringRef PassThroughPrefixes[] = {
    // Other outputs than an object, or information instead of output.
    "-E", "-S", "-M", "-fsyntax-only", "-emit-", "-###", "-v", "--version", "-help", "--help",
    "-print-", "--print-", "-dump", "-cc1", "-ccc-", "-fdriver-only", "-save-temps", "--save-temps",
    "-ftime-trace", "-fstack-usage", "-fsave-optimization-record", "-foptimization-record",
    "-Rpass", "-gsplit-dwarf", "-MJ",
    // The language is not the file's own: clang decides.
    "-x", "--language",
    // Whole-program and bitcode-in-object schemes.
    "-flto", "-ffat-lto-objects", "-fthinlto", "-fembed-bitcode", "-fsplit-lto-unit",
    "-fwhole-program-vtables", "-fvirtual-function-elimination",
    // Instrumentation that clang's pipeline inserts (skipped by
    // -disable-llvm-passes) and profiles that steer it.
    "-fprofile-", "-fno-profile-", "-fcs-profile-", "-fcoverage-", "--coverage", "-ftest-coverage",
    "-fsanitize", "-fxray", "-pg", "-finstrument-function", "-fpseudo-probe",
    "-fdebug-info-for-profiling", "-fauto-profile",
    // Options for cc1 or LLVM itself, plugins, modules and offloading.
    "-Xclang", "-mllvm", "-fpass-plugin", "-fplugin", "-fmodules", "-fcxx-modules", "-fmodule-",
    "-include-pch", "-fopenmp", "-fcuda", "-cuda", "--cuda", "-fsycl", "-fgpu", "--offload",
    "-fopenacc", "-Xarch_", "-Xopenmp-target", "-arch"};

bool isSourceExtension(StringRef extension, bool &cxx) {
  static const StringSet<> cxxExtensions = {".cc", ".cpp", ".cxx", ".c++", ".C",
                                            ".CC", ".CPP", ".cp",  ".CXX"};
  if (extension == ".c") {
    cxx = false;
    return true;
  }
  if (cxxExtensions.contains(extension)) {
    cxx = true;
    return true;
  }
  return false;
}

bool isJoinedOutput(StringRef argument) {
  return argument.starts_with("-o") && argument.size() > 2 && !argument.starts_with("-objc") &&
         argument != "-object";
}

/// `path` with its extension replaced.
std::string withExtension(StringRef path, StringRef extension) {
  SmallString<256> result(path);
  sys::path::replace_extension(result, extension);
  return std::string(result);
}

} // namespace

std::optional<std::string> Invocation::output() const {
  if (!outputPosition)
    return std::nullopt;
  return arguments[*outputPosition];
}

bool isBuildSystemProbe(StringRef sourcePath) {
  const StringRef name = sys::path::filename(sourcePath);
  // Meson writes its checks as testfile.EXT into a fresh Python temporary
  // folder (tmpXXXXXXXX), under meson-private/ or the system's temporary
  // folder.
  const StringRef stem = sys::path::stem(name);
  const bool mesonCheck =
      stem == "testfile" &&
      sys::path::filename(sys::path::parent_path(sourcePath)).starts_with("tmp");
  // autoconf's conftest.c, and the numbered ones of some macros (conftest2.c).
  const bool autoconfProbe =
      stem.starts_with("conftest") && all_of(stem.drop_front(8), [](char c) { return isDigit(c); });
  return autoconfProbe || name.starts_with("CMakeCCompilerId") ||
         name.starts_with("CMakeCXXCompilerId") || sourcePath.contains("CMakeScratch/") ||
         sourcePath.contains("CMakeTmp/") || sourcePath.contains("meson-private/") || mesonCheck;
}

/// Expands response files in `arguments` as clang expands them (GNU
/// quoting, nested files allowed). False, with `arguments` unchanged, when
/// one cannot be read, which is clang's to report.
static bool expandResponseFiles(std::vector<std::string> &arguments) {
  if (none_of(arguments,
              [](const std::string &argument) { return StringRef(argument).starts_with("@"); }))
    return true;
  BumpPtrAllocator allocator;
  StringSaver saver(allocator);
  SmallVector<const char *, 64> expanded;
  for (const std::string &argument : arguments)
    expanded.push_back(saver.save(argument).data());
  cl::ExpansionContext context(allocator, cl::TokenizeGNUCommandLine);
  if (Error error = context.expandResponseFiles(expanded)) {
    consumeError(std::move(error));
    return false;
  }
  arguments.assign(expanded.begin(), expanded.end());
  return true;
}

Invocation classify(ArrayRef<std::string> arguments, Personality personality) {
  Invocation invocation;
  invocation.personality = personality;
  invocation.arguments.assign(arguments.begin(), arguments.end());

  auto passThrough = [&](StringRef reason) -> Invocation & {
    invocation.action = Action::PassThrough;
    if (invocation.reason.empty())
      invocation.reason = reason.str();
    return invocation;
  };

  if (!expandResponseFiles(invocation.arguments))
    return passThrough("unreadable response file");

  const std::vector<std::string> &args = invocation.arguments;
  bool compileOnly = false;
  size_t otherInputs = 0;
  for (size_t index = 0; index < args.size(); ++index) {
    StringRef argument = args[index];
    if (argument == "-c") {
      compileOnly = true;
      continue;
    }
    if (argument == "-o") {
      if (index + 1 == args.size())
        return passThrough("-o without a file");
      invocation.outputPosition = ++index;
      continue;
    }
    // A flag whose value should be the next argument but is the last one
    // is clang's error to report; compiled here, the arguments optlm appends
    // would become its value.
    if (separateValueFlags().contains(argument) && index + 1 == args.size()) {
      passThrough("a flag without its value");
      break;
    }
    if (isJoinedOutput(argument)) {
      // -oFILE: the value is the rest of this argument. Recorded as a
      // position one past the flag would be wrong; keep it apart.
      return passThrough("-oFILE");
    }
    if (argument == "-MD" || argument == "-MMD") {
      invocation.dependencyFile = true;
      continue;
    }
    if (argument == "-MF" || argument.starts_with("-MF")) {
      invocation.dependencyFileNamed = true;
      if (argument == "-MF")
        ++index;
      continue;
    }
    if (argument == "-MT" || argument == "-MQ" || argument.starts_with("-MT") ||
        argument.starts_with("-MQ")) {
      invocation.dependencyTargetNamed = true;
      if (argument.size() == 3)
        ++index;
      continue;
    }
    if (argument == "-MP" || argument == "-MG" || argument == "-MV")
      continue;
    if (argument.starts_with("-O")) {
      invocation.optLevel = argument.drop_front(2).str();
      continue;
    }
    if (argument == "-" || argument == "--") {
      passThrough(argument == "-" ? "standard input" : "--");
      continue;
    }
    if (argument.starts_with("-")) {
      for (StringRef prefix : PassThroughPrefixes)
        if (argument.starts_with(prefix)) {
          passThrough(prefix);
          break;
        }
      if (separateValueFlags().contains(argument))
        ++index;
      continue;
    }
    // An input: a C or C++ source, or anything else (an object, an archive,
    // assembly, a value of a flag this file does not know).
    bool cxx = false;
    if (isSourceExtension(sys::path::extension(argument), cxx))
      invocation.sources.push_back({argument.str(), index, cxx || personality == Personality::Cxx});
    else
      ++otherInputs;
  }

  invocation.compiles = compileOnly;
  if (!compileOnly) {
    // Linking, preprocessing, --version: nothing to count or explain.
    invocation.action = Action::PassThrough;
    invocation.reason.clear();
    return invocation;
  }
  if (!invocation.reason.empty())
    return invocation;
  if (otherInputs)
    return passThrough("inputs that are not C or C++ sources");
  if (invocation.sources.empty())
    return passThrough("no source");
  if (invocation.outputPosition && invocation.sources.size() > 1)
    return passThrough("-o with several sources");
  if (invocation.output() == "-")
    return passThrough("object to standard output");
  if (invocation.optLevel && *invocation.optLevel == "0")
    return passThrough("-O0");
  if (any_of(invocation.sources,
             [](const SourceInput &source) { return isBuildSystemProbe(source.path); }))
    return passThrough("a build system's probe");
  invocation.action = Action::Compile;
  invocation.reason.clear();
  return invocation;
}

std::string objectPath(const Invocation &invocation, size_t index) {
  if (std::optional<std::string> output = invocation.output())
    return *output;
  return withExtension(sys::path::filename(invocation.sources[index].path), "o");
}

/// The build's arguments for source `index` alone: the other sources left
/// out, the object replaced by `bitcodePath`.
static std::vector<std::string> argumentsForSource(const Invocation &invocation, size_t index,
                                                   StringRef bitcodePath) {
  std::vector<std::string> arguments;
  for (size_t position = 0; position < invocation.arguments.size(); ++position) {
    bool otherSource = false;
    for (size_t source = 0; source < invocation.sources.size(); ++source)
      otherSource |= source != index && invocation.sources[source].position == position;
    if (otherSource)
      continue;
    if (invocation.outputPosition && position == *invocation.outputPosition) {
      arguments.push_back(bitcodePath.str());
      continue;
    }
    arguments.push_back(invocation.arguments[position]);
  }
  if (!invocation.outputPosition) {
    arguments.push_back("-o");
    arguments.push_back(bitcodePath.str());
  }
  return arguments;
}

/// LLM Compiler's recipe for unoptimized IR (the last -O wins).
static void appendUnoptimizedIrRecipe(std::vector<std::string> &arguments) {
  for (const char *flag : {"-Oz", "-Xclang", "-disable-llvm-passes", "-emit-llvm"})
    arguments.push_back(flag);
}

std::vector<std::string> frontendArguments(const Invocation &invocation, size_t index,
                                           StringRef bitcodePath) {
  std::vector<std::string> arguments = argumentsForSource(invocation, index, bitcodePath);
  // clang names the dependency file and its target after the object (see
  // Clang::getDependencyFileName and the default -MT in clang's driver);
  // with the object replaced, both are given explicitly.
  const std::string object = objectPath(invocation, index);
  if (invocation.dependencyFile && !invocation.dependencyFileNamed) {
    arguments.push_back("-MF");
    arguments.push_back(invocation.outputPosition
                            ? withExtension(object, "d")
                            : sys::path::stem(invocation.sources[index].path).str() + ".d");
  }
  if (invocation.dependencyFile && !invocation.dependencyTargetNamed) {
    arguments.push_back("-MQ");
    arguments.push_back(object);
  }
  appendUnoptimizedIrRecipe(arguments);
  return arguments;
}

std::vector<std::string> crossCaptureArguments(const Invocation &invocation, size_t index,
                                               StringRef bitcodePath, StringRef triple) {
  std::vector<std::string> arguments;
  const std::vector<std::string> build = argumentsForSource(invocation, index, bitcodePath);
  for (size_t position = 0; position < build.size(); ++position) {
    StringRef argument = build[position];
    if (is_contained({"-MF", "-MT", "-MQ", "-MJ", "-target"}, argument)) {
      ++position; // and its value
      continue;
    }
    if (is_contained({"-MD", "-MMD", "-MP", "-MG", "-M", "-MM"}, argument) ||
        argument.starts_with("-MF") || argument.starts_with("-MT") || argument.starts_with("-MQ") ||
        argument.starts_with("-Wp,-M") || argument.starts_with("--target=") ||
        argument.starts_with("-m"))
      continue;
    arguments.push_back(argument.str());
  }
  appendUnoptimizedIrRecipe(arguments);
  arguments.push_back(("--target=" + triple).str());
  arguments.push_back("-w");
  return arguments;
}

std::vector<std::string> codegenArguments(const Invocation &invocation, StringRef bitcodePath,
                                          StringRef objectPath, StringRef triple, bool runOz) {
  std::vector<std::string> withoutSources;
  for (size_t position = 0; position < invocation.arguments.size(); ++position)
    if (none_of(invocation.sources,
                [&](const SourceInput &source) { return source.position == position; }))
      withoutSources.push_back(invocation.arguments[position]);
  std::vector<std::string> arguments = data::programShapingArguments(withoutSources);
  // The bitcode's own triple (a module optimized by optlm's engine carries
  // optlm's spelling of it), and the flags the frontend took are unused.
  for (StringRef flag :
       {"-target", triple.data(), "-Qunused-arguments", "-Wno-override-module", "-Oz"})
    arguments.push_back(flag.str());
  if (!runOz)
    for (const char *flag : {"-Xclang", "-disable-llvm-passes"})
      arguments.push_back(flag);
  for (StringRef flag : {StringRef("-c"), bitcodePath, StringRef("-o"), objectPath})
    arguments.push_back(flag.str());
  return arguments;
}

std::vector<std::string> ozArguments(const Invocation &invocation) {
  std::vector<std::string> arguments = invocation.arguments;
  arguments.push_back("-Oz");
  return arguments;
}

} // namespace optlm::cc
