//===- Corpus.cpp - a content-addressed folder of normalized modules ------===//
#include "data/Corpus.h"

#include "data/IRNormalizer.h"
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"
#include "support/AppendFile.h"
#include "support/AtomicFile.h"

#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "llvm/TargetParser/Triple.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

using namespace llvm;

namespace optlm::data {

namespace {

std::string joinPath(StringRef a, StringRef b) {
  SmallString<256> path(a);
  sys::path::append(path, b);
  return std::string(path);
}

Error appendLine(StringRef path, const nlohmann::json &object) {
  return appendToFile(path,
                      object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

nlohmann::json entryToJson(const CorpusEntry &entry) {
  return {{"name", entry.name},
          {"file", entry.file},
          {"target", entry.triple},
          {"source", entry.source},
          {"package", entry.package},
          {"license", entry.license},
          {"origin", entry.origin},
          {"instructions", entry.instructionCount},
          {"functions", entry.functionCount}};
}

Expected<CorpusEntry> entryFromJson(const nlohmann::json &line) {
  if (!line.is_object())
    return createStringError("not a JSON object");
  CorpusEntry entry;
  try {
    entry.name = line.at("name").get<std::string>();
    entry.file = line.at("file").get<std::string>();
    entry.triple = line.at("target").get<std::string>();
    entry.source = line.value("source", "");
    entry.package = line.value("package", "");
    entry.license = line.value("license", "");
    entry.origin = line.value("origin", "");
    entry.instructionCount = line.value("instructions", uint64_t(0));
    entry.functionCount = line.value("functions", uint64_t(0));
  } catch (const nlohmann::json::exception &exception) {
    return createStringError("%s", exception.what());
  }
  // The file name is ours to build; an index naming anything else (an
  // absolute path, "..") is not one of ours.
  if (entry.name.size() != 16 || entry.file != "modules/" + entry.name + ".bc")
    return createStringError("entry '%s' does not name a module of this corpus",
                             entry.name.c_str());
  return entry;
}

} // namespace

std::string indexLine(const CorpusEntry &entry) {
  return entryToJson(entry).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Expected<Target> targetOfTriple(StringRef triple) {
  // Only the architecture, the OS and the environment name a target here.
  const Triple parsed(triple);
  for (Target target : {Target::X86_64, Target::AArch64}) {
    const Triple known(targetTriple(target));
    if (parsed.getArch() == known.getArch() && parsed.getOS() == known.getOS() &&
        parsed.getEnvironment() == known.getEnvironment())
      return target;
  }
  return createStringError("unsupported target triple '%s' (x86_64 and aarch64 Linux only)",
                           triple.str().c_str());
}

namespace {

/// An exclusive flock on the corpus's index.lock for as long as it lives.
class IndexLock {
public:
  static Expected<IndexLock> acquire(StringRef directory) {
    const std::string path = joinPath(directory, "index.lock");
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return createStringError(std::error_code(errno, std::generic_category()), "cannot open '%s'",
                               path.c_str());
    while (::flock(fd, LOCK_EX) != 0) {
      if (errno == EINTR)
        continue;
      const int error = errno;
      ::close(fd);
      return createStringError(std::error_code(error, std::generic_category()), "cannot lock '%s'",
                               path.c_str());
    }
    return IndexLock(fd);
  }
  IndexLock(IndexLock &&other) : Fd(std::exchange(other.Fd, -1)) {}
  IndexLock &operator=(IndexLock &&) = delete;
  ~IndexLock() {
    if (Fd >= 0)
      ::close(Fd); // closing the descriptor releases the lock
  }

private:
  explicit IndexLock(int fd) : Fd(fd) {}
  int Fd;
};

} // namespace

Error Corpus::readIndex() {
  const std::string indexPath = joinPath(Directory, "index.jsonl");
  auto buffer = MemoryBuffer::getFile(indexPath, /*IsText=*/true);
  if (!buffer)
    return createStringError(buffer.getError(), "cannot read '%s'", indexPath.c_str());
  StringRef text = (*buffer)->getBuffer();
  if (IndexBytesRead > text.size())
    return createStringError("'%s' shrank while it was open", indexPath.c_str());
  text = text.drop_front(IndexBytesRead);
  // Only whole lines: a writer that does not take the lock (an older optlm)
  // may be in the middle of one.
  text = text.take_front(text.rfind('\n') == StringRef::npos ? 0 : text.rfind('\n') + 1);
  IndexBytesRead += text.size();
  SmallVector<StringRef, 0> lines;
  text.split(lines, '\n', -1, /*KeepEmpty=*/true);
  if (!lines.empty() && lines.back().empty())
    lines.pop_back();
  for (StringRef line : lines) {
    const size_t lineNumber = ++IndexLinesRead;
    if (line.trim().empty())
      continue;
    nlohmann::json object = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
    auto entry = entryFromJson(object);
    if (object.is_discarded() || !entry) {
      std::string why = entry ? "malformed JSON" : toString(entry.takeError());
      return createStringError("%s:%zu: %s", indexPath.c_str(), lineNumber, why.c_str());
    }
    if (Names.insert(entry->name).second)
      Entries.push_back(std::move(*entry));
  }
  return Error::success();
}

Expected<Corpus> Corpus::open(StringRef directory, bool create) {
  if (directory.empty())
    return createStringError("no corpus folder given");
  if (create) {
    if (std::error_code error = sys::fs::create_directories(joinPath(directory, "modules")))
      return createStringError(error, "cannot create corpus '%s': %s", directory.str().c_str(),
                               error.message().c_str());
  } else if (!sys::fs::is_directory(directory)) {
    return createStringError("corpus '%s' is not a folder", directory.str().c_str());
  }
  Corpus corpus;
  corpus.Directory = directory.str();
  const std::string indexPath = joinPath(directory, "index.jsonl");
  if (!sys::fs::exists(indexPath)) {
    if (!create)
      return createStringError("'%s' is not a corpus (no index.jsonl)", directory.str().c_str());
    // An empty index makes an empty corpus a corpus (every input may fail).
    // Opening it for appending creates it, or leaves what a concurrent
    // creator wrote.
    std::error_code error;
    raw_fd_ostream index(indexPath, error, sys::fs::OF_Append);
    if (error)
      return createStringError(error, "cannot create '%s': %s", indexPath.c_str(),
                               error.message().c_str());
  }
  if (Error error = corpus.readIndex())
    return std::move(error);
  return corpus;
}

Expected<bool> Corpus::add(Module &module, const Provenance &provenance, AddSummary &summary) {
  normalizeModule(module);
  CorpusEntry entry;
  entry.name = contentName(module);
  if (Names.contains(entry.name)) {
    ++summary.duplicates;
    return false;
  }
  // From here on, other processes adding to this corpus wait.
  auto lock = IndexLock::acquire(Directory);
  if (!lock)
    return lock.takeError();
  if (Error error = readIndex())
    return std::move(error);
  if (Names.contains(entry.name)) {
    ++summary.duplicates;
    return false;
  }
  entry.file = "modules/" + entry.name + ".bc";
  entry.triple = module.getTargetTriple();
  entry.source = provenance.source;
  entry.package = provenance.package;
  entry.license = provenance.license;
  entry.origin = provenance.origin;
  const ModuleFacts facts = moduleFacts(module);
  entry.instructionCount = facts.instructionCount;
  entry.functionCount = facts.functionCount;

  // The module file first, under a temporary name: an index line never
  // names a file that is not complete.
  if (Error error = writeFileAtomically(pathOf(entry), [&](raw_ostream &stream) {
        WriteBitcodeToFile(module, stream, /*ShouldPreserveUseListOrder=*/true);
        return Error::success();
      }))
    return std::move(error);

  nlohmann::json line = entryToJson(entry);
  const std::string indexPath = joinPath(Directory, "index.jsonl");
  if (Error error = appendLine(indexPath, line))
    return std::move(error);
  // Under the lock, the line just written ends the index.
  uint64_t indexSize = 0;
  if (!sys::fs::file_size(indexPath, indexSize))
    IndexBytesRead = indexSize;
  ++IndexLinesRead;
  Names.insert(entry.name);
  Entries.push_back(std::move(entry));
  ++summary.added;
  return true;
}

Error Corpus::skip(StringRef source, StringRef reason, StringRef detail, AddSummary &summary) {
  ++summary.skipped;
  ++summary.skippedByReason[reason.str()];
  auto lock = IndexLock::acquire(Directory);
  if (!lock)
    return lock.takeError();
  return appendLine(joinPath(Directory, "skipped.jsonl"),
                    {{"source", source.str()}, {"reason", reason.str()}, {"detail", detail.str()}});
}

std::string Corpus::pathOf(const CorpusEntry &entry) const {
  return joinPath(Directory, entry.file);
}

/// The triple and layout an entry's module is loaded with.
static Expected<ModuleTarget> entryTarget(const CorpusEntry &entry) {
  auto target = targetOfTriple(entry.triple);
  if (!target)
    return target.takeError();
  return moduleTargetFor(*target);
}

Expected<LoadedModule> Corpus::load(const CorpusEntry &entry) const {
  auto moduleTarget = entryTarget(entry);
  if (!moduleTarget)
    return moduleTarget.takeError();
  return loadModule(pathOf(entry), *moduleTarget);
}

Expected<Corpus::PromptedModule> Corpus::loadAsPrompted(const CorpusEntry &entry) const {
  auto moduleTarget = entryTarget(entry);
  if (!moduleTarget)
    return moduleTarget.takeError();
  auto stored = load(entry);
  if (!stored)
    return stored.takeError();
  normalizeModule(*stored->module);
  PromptedModule result;
  result.promptIR = moduleText(*stored->module);
  auto buffer = MemoryBuffer::getMemBuffer(result.promptIR, entry.name, false);
  auto reparsed = parseModule(buffer->getMemBufferRef(), InputKind::IRText, *moduleTarget);
  if (!reparsed)
    return reparsed.takeError();
  result.module = std::move(*reparsed);
  return result;
}

} // namespace optlm::data
