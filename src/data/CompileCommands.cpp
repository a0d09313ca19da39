//===- CompileCommands.cpp - IR from a real build's compile_commands.json ===//
#include "data/CompileCommands.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"

#include <nlohmann/json.hpp>

using namespace llvm;

namespace optlm::data {

std::string CompileCommand::sourcePath() const {
  if (sys::path::is_absolute(file))
    return file;
  SmallString<256> path(directory);
  sys::path::append(path, file);
  return std::string(path);
}

Expected<std::vector<CompileCommand>> parseCompileCommands(StringRef json) {
  nlohmann::json database = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (database.is_discarded())
    return createStringError("not valid JSON");
  if (!database.is_array())
    return createStringError("a compilation database is a JSON array of entries");
  std::vector<CompileCommand> commands;
  for (size_t index = 0; index < database.size(); ++index) {
    const nlohmann::json &entry = database[index];
    auto bad = [&](const char *what) { return createStringError("entry %zu: %s", index, what); };
    if (!entry.is_object())
      return bad("not an object");
    CompileCommand command;
    if (!entry.contains("directory") || !entry["directory"].is_string())
      return bad("no \"directory\" string");
    if (!entry.contains("file") || !entry["file"].is_string())
      return bad("no \"file\" string");
    command.directory = entry["directory"].get<std::string>();
    command.file = entry["file"].get<std::string>();
    if (entry.contains("arguments")) {
      if (!entry["arguments"].is_array())
        return bad("\"arguments\" is not an array");
      for (const nlohmann::json &argument : entry["arguments"]) {
        if (!argument.is_string())
          return bad("\"arguments\" holds a non-string");
        command.arguments.push_back(argument.get<std::string>());
      }
    } else if (entry.contains("command") && entry["command"].is_string()) {
      BumpPtrAllocator allocator;
      StringSaver saver(allocator);
      SmallVector<const char *, 64> tokens;
      cl::TokenizeGNUCommandLine(entry["command"].get<std::string>(), saver, tokens);
      for (const char *token : tokens)
        if (token)
          command.arguments.emplace_back(token);
    } else {
      return bad("neither \"arguments\" nor \"command\"");
    }
    if (command.arguments.empty())
      return bad("empty command");
    commands.push_back(std::move(command));
  }
  return commands;
}

namespace {

/// Flags that take the next argument and shape only the output (or the
/// target, which optlm sets itself).
const StringSet<> &droppedWithValue() {
  static const StringSet<> flags = {"-o",      "-MF",      "-MT",   "-MQ",
                                    "-target", "--target", "-arch", "-Xlinker"};
  return flags;
}

bool droppedAlone(StringRef argument) {
  static const StringSet<> exact = {
      "-c",  "-S",  "-E",    "-emit-llvm", "-M",   "-MM",  "-MD",     "-MMD",
      "-MP", "-MG", "-pipe", "--coverage", "-m32", "-m64", "-Werror", "-pedantic-errors"};
  if (exact.contains(argument))
    return true;
  // -O levels, debug info, LTO and bitcode embedding, profiling and
  // coverage instrumentation, sanitizers, CPU selection: all change the
  // IR away from what LLM Compiler's inputs were, or the output's form.
  for (StringRef prefix :
       {"-O",         "-g",          "-flto",           "-fembed-bitcode", "-save-temps",
        "-fprofile-", "-fcoverage-", "-ftest-coverage", "-fsanitize",      "-march=",
        "-mcpu=",     "-mtune=",     "-Werror=",        "--target=",       "-MF",
        "-MT",        "-MQ",         "-fdebug-",        "-gsplit",         "-gdwarf"})
    if (argument.starts_with(prefix))
      return true;
  // -ofile (joined), but not the -objc... family.
  return argument.starts_with("-o") && argument.size() > 2 && !argument.starts_with("-objc");
}

} // namespace

std::vector<std::string> programShapingArguments(ArrayRef<std::string> arguments) {
  std::vector<std::string> kept;
  for (size_t index = 0; index < arguments.size(); ++index) {
    StringRef argument = arguments[index];
    if (droppedWithValue().contains(argument)) {
      ++index;
      continue;
    }
    if (droppedAlone(argument))
      continue;
    kept.push_back(argument.str());
  }
  return kept;
}

std::vector<std::string> irExtractionArguments(const CompileCommand &command, StringRef triple,
                                               StringRef outputPath) {
  std::vector<std::string> arguments = programShapingArguments(
      ArrayRef(command.arguments).drop_front(command.arguments.empty() ? 0 : 1));
  arguments.push_back("-target");
  arguments.push_back(triple.str());
  if (StringRef(triple).starts_with("aarch64")) {
    // As ir/SourceCompiler.h explains: Debian's cross sysroot, and the
    // outline-atomics default a native AArch64 clang would infer.
    arguments.push_back("--sysroot=/usr/aarch64-linux-gnu");
    arguments.push_back("-moutline-atomics");
  }
  for (const char *flag : {"-Oz", "-Xclang", "-disable-llvm-passes", "-emit-llvm", "-c", "-o"})
    arguments.push_back(flag);
  arguments.push_back(outputPath.str());
  return arguments;
}

} // namespace optlm::data
