//===- DatagenBench.cpp - records per hour per core, bytes per record -----===//
//
// optlm-bench-datagen [--csmith N] [--programs N] [--tune-budget N]
//                     [--emulate-samples N] [--no-verify]
//
// Builds two corpora in a temporary folder (csmith seeds 1..N, and the
// bundled examples/programs), then makes each task's records for every
// module with one evaluation job, timing CPU (this process and every child
// it forked: the sandbox and PassListEval work in children) and wall time.
// "Per core" is records per CPU hour: what one core of a cluster yields.
//
//===----------------------------------------------------------------------===//
#include "data/Corpus.h"
#include "data/CorpusSources.h"
#include "data/RecordMaker.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <sys/resource.h>

using namespace llvm;
using namespace optlm;
using namespace optlm::data;

static cl::opt<unsigned> CsmithPrograms("csmith", cl::desc("csmith seeds 1..N (default 4)"),
                                        cl::init(4));
static cl::opt<unsigned>
    BundledPrograms("programs", cl::desc("First N bundled programs (default all)"), cl::init(1000));
static cl::opt<uint64_t> TuneBudget("tune-budget", cl::desc("default 200"), cl::init(200));
static cl::opt<unsigned> EmulateSamples("emulate-samples", cl::desc("default 2"), cl::init(2));
static cl::opt<bool> NoVerify("no-verify", cl::desc("Flag tuning without PassListEval"));

namespace {

double cpuSeconds() {
  double total = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage usage{};
    getrusage(who, &usage);
    total += usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
             usage.ru_stime.tv_usec / 1e6;
  }
  return total;
}

struct Measured {
  uint64_t records = 0;
  uint64_t bytes = 0;
  uint64_t failures = 0;
  double cpu = 0;
  double wall = 0;
};

Expected<Measured> measureTask(const Corpus &corpus, Task task) {
  RecordOptions options;
  options.tasks = {task};
  options.seed = 1;
  options.tuneBudget = TuneBudget;
  options.emulateSamples = EmulateSamples;
  options.verify = !NoVerify;
  options.jobs = 1;
  auto maker = RecordMaker::create(options);
  if (!maker)
    return maker.takeError();
  Measured measured;
  const double cpuStart = cpuSeconds();
  const auto wallStart = std::chrono::steady_clock::now();
  for (const CorpusEntry &entry : corpus.entries()) {
    auto records = (*maker)->make(corpus, entry);
    if (!records)
      return records.takeError();
    measured.records += records->lines.size();
    for (const std::string &line : records->lines)
      measured.bytes += line.size() + 1;
    for (const auto &[reason, count] : records->failures)
      measured.failures += count;
  }
  measured.cpu = cpuSeconds() - cpuStart;
  measured.wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
  return measured;
}

} // namespace

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "optlm datagen throughput\n");
  SmallString<128> work;
  if (sys::fs::createUniqueDirectory("optlm-bench-datagen", work)) {
    errs() << "cannot create a temporary folder\n";
    return 1;
  }
  std::vector<std::string> bundled;
  std::error_code error;
  for (sys::fs::directory_iterator it(OPTLM_SOURCE_DIR "/examples/programs", error), end;
       it != end && !error; it.increment(error))
    if (sys::path::extension(it->path()) == ".c")
      bundled.push_back(it->path());
  std::sort(bundled.begin(), bundled.end());
  if (bundled.size() > BundledPrograms)
    bundled.resize(BundledPrograms);

  struct Set {
    const char *name;
    std::string directory;
  } sets[] = {{"csmith", (work + "/csmith").str()}, {"bundled", (work + "/bundled").str()}};
  int exitCode = 0;
  outs() << "tune budget " << TuneBudget << ", emulate samples " << EmulateSamples
         << ", PassListEval " << (NoVerify ? "off" : "on") << ", 1 evaluation job\n";
  outs() << "| corpus | modules | task | records | records/h/core | wall s | CPU s | "
            "bytes/record | failures |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const Set &set : sets) {
    auto corpus = Corpus::open(set.directory, /*create=*/true);
    if (!corpus) {
      errs() << toString(corpus.takeError()) << "\n";
      return 1;
    }
    AddOptions addOptions;
    AddSummary summary;
    Error added = StringRef(set.name) == "csmith"
                      ? addCsmith(*corpus, 1, CsmithPrograms, addOptions, summary)
                      : addPaths(*corpus, bundled, addOptions, summary);
    if (added) {
      errs() << toString(std::move(added)) << "\n";
      return 1;
    }
    for (Task task : {Task::FlagTune, Task::Emulate, Task::Disasm}) {
      auto measured = measureTask(*corpus, task);
      if (!measured) {
        errs() << toString(measured.takeError()) << "\n";
        exitCode = 1;
        continue;
      }
      const double perHourPerCore =
          measured->cpu > 0 ? measured->records / measured->cpu * 3600 : 0;
      outs() << "| " << set.name << " | " << corpus->entries().size() << " | " << taskName(task)
             << " | " << measured->records << " | " << format("%.0f", perHourPerCore) << " | "
             << format("%.1f", measured->wall) << " | " << format("%.1f", measured->cpu) << " | "
             << (measured->records ? measured->bytes / measured->records : 0) << " | "
             << measured->failures << " |\n";
      outs().flush();
    }
  }
  sys::fs::remove_directories(work);
  return exitCode;
}
