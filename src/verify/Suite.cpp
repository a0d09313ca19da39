//===- Suite.cpp - the self-checking programs PassListEval runs ------------===//
#include "verify/Suite.h"

#include "support/DataFolders.h"
#include "support/FolderListing.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <map>

namespace optlm::verify {

/// Bumped whenever what a verdict compares changes, so that verdicts
/// cached under the old rules are not reused.
static constexpr llvm::StringLiteral ComparisonRules = "passlisteval-1: unoptimized-ir reference, "
                                                       "stdout and exit code, llc -O2, no-pie link";

std::string bundledSuiteDirectory() {
  return dataFolder("suite/bundled", OPTLM_SOURCE_DIR "/examples/programs");
}

std::string generatedSuiteDirectory() {
  return dataFolder("suite/csmith", OPTLM_GENERATED_SUITE_DIR);
}

std::vector<std::string> defaultSuiteDirectories() {
  std::vector<std::string> directories = {bundledSuiteDirectory()};
  std::string generated = generatedSuiteDirectory();
  if (!generated.empty() && llvm::sys::fs::is_directory(generated))
    directories.push_back(generated);
  return directories;
}

static llvm::Expected<std::string> readFile(const std::string &path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot read '" + path + "': " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

llvm::Expected<Suite> loadSuite(llvm::ArrayRef<std::string> directories) {
  if (directories.empty())
    return llvm::createStringError(llvm::errc::invalid_argument, "no suite folder given");
  Suite suite;
  // Everything hashed, by a key that does not depend on where the folder
  // is: a suite copied elsewhere keeps its id.
  std::map<std::string, std::string> hashedFiles;
  std::map<std::string, std::string> programFolder;
  for (const std::string &given : directories) {
    llvm::SmallString<256> directory(given);
    if (std::error_code error = llvm::sys::fs::make_absolute(directory))
      return llvm::createStringError(error, "suite folder '" + given + "': " + error.message());
    if (!llvm::sys::fs::is_directory(directory))
      return llvm::createStringError(llvm::errc::no_such_file_or_directory,
                                     "suite folder '" + given + "' is not a directory");
    llvm::Expected<std::vector<std::string>> files =
        listFolder(directory, [](llvm::StringRef) { return true; });
    if (!files)
      return llvm::createStringError("suite folder '" + given +
                                     "': " + llvm::toString(files.takeError()));
    unsigned programsHere = 0;
    for (const std::string &path : *files) {
      llvm::StringRef extension = llvm::sys::path::extension(path);
      llvm::StringRef fileName = llvm::sys::path::filename(path);
      if (extension != ".c" && extension != ".h" && extension != ".expected")
        continue;
      if (!llvm::sys::fs::is_regular_file(path))
        continue;
      llvm::Expected<std::string> contents = readFile(path);
      if (!contents)
        return contents.takeError();
      if (extension == ".h") {
        hashedFiles["header:" + fileName.str() + ":" + given] = *contents;
        continue;
      }
      if (extension != ".c")
        continue;
      std::string name = llvm::sys::path::stem(path).str();
      auto [it, inserted] = programFolder.try_emplace(name, given);
      if (!inserted)
        return llvm::createStringError(llvm::errc::invalid_argument,
                                       "two suite programs are named '" + name + "' (in '" +
                                           it->second + "' and '" + given + "')");
      SuiteProgram program;
      program.name = name;
      program.sourcePath = path;
      std::string expectedPath =
          (llvm::sys::path::parent_path(path) + "/" + name + ".expected").str();
      if (llvm::sys::fs::exists(expectedPath)) {
        llvm::Expected<std::string> expected = readFile(expectedPath);
        if (!expected)
          return expected.takeError();
        program.expectedOutput = std::move(*expected);
        hashedFiles["expected:" + name] = *program.expectedOutput;
      }
      hashedFiles["source:" + name] = std::move(*contents);
      suite.programs.push_back(std::move(program));
      ++programsHere;
    }
    if (programsHere == 0)
      return llvm::createStringError(llvm::errc::invalid_argument,
                                     "suite folder '" + given + "' holds no .c program");
    suite.directories.push_back(directory.str().str());
  }
  std::sort(suite.programs.begin(), suite.programs.end(),
            [](const SuiteProgram &a, const SuiteProgram &b) { return a.name < b.name; });

  // Headers are keyed by their folder as given only to keep two folders'
  // same-named headers apart; fold that out of the hash.
  std::string material(ComparisonRules);
  for (const auto &[key, contents] : hashedFiles) {
    llvm::StringRef stableKey = key;
    if (stableKey.starts_with("header:"))
      stableKey = stableKey.rsplit(':').first;
    material += "\n" + stableKey.str() + "\n" + std::to_string(contents.size()) + "\n";
    material += contents;
  }
  suite.id = llvm::utohexstr(llvm::xxh3_64bits(llvm::StringRef(material)), /*LowerCase=*/true, 16);
  return suite;
}

} // namespace optlm::verify
