//===- EvalThroughputBench.cpp - how fast pipelines are measured ----------===//
//
// For every bundled program (compiled to IR the way LLM Compiler's inputs
// were) and a fixed-seed sample of random pipelines from the search space
// (1 to --max-length passes, as in the paper's label generation), measures
// the binary size of every (program, pipeline) pair four ways:
//
//   pool, cache off   EvaluationPool, --jobs children (reused, the pool's
//                     default), no memo, no IR-hash shortcut: every
//                     evaluation optimizes and generates code
//   ... fork per eval the same with a fresh child per evaluation
//   pool, cache on    the default pool: reused children, the memo and the
//                     IR-hash shortcut, one cache for the whole run
//   subprocess        opt-19 -p P in.bc | llc-19 -filetype=obj, llvm-size-19,
//                     --jobs pipelines at a time (CompilerGym's way)
//   one core          evaluate() in a loop in this process against the pool
//                     with one child, fresh per evaluation and reused: the
//                     cost of isolation, in wall and CPU time
//
// and prints a Markdown report: evaluations per second per core, the ratio
// of the pool to the subprocess path, the isolation overhead, cache hit
// statistics and whether the subprocess path's sizes agree with the pool's.
//
//===----------------------------------------------------------------------===//
#include "engine/EvaluationPool.h"
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"
#include "pipeline/PassVocabulary.h"
#include "sandbox/ProcessPool.h"
#include "search/Random.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

using namespace llvm;
using namespace optlm;

static cl::OptionCategory BenchCategory("optlm-bench-eval-throughput options");
static cl::opt<std::string> ProgramsDir("programs", cl::desc("Folder of .c programs"),
                                        cl::init(OPTLM_SOURCE_DIR "/examples/programs"),
                                        cl::cat(BenchCategory));
static cl::opt<unsigned> PipelinesPerProgram("evaluations",
                                             cl::desc("Random pipelines per program (default 12)"),
                                             cl::init(12), cl::cat(BenchCategory));
static cl::opt<unsigned> Jobs("jobs", cl::desc("Concurrent evaluations (default: online cores)"),
                              cl::init(0), cl::cat(BenchCategory));
static cl::opt<uint64_t> Seed("seed", cl::desc("Pipeline sampling seed"), cl::init(1),
                              cl::cat(BenchCategory));
static cl::opt<unsigned> MaxLength("max-length", cl::desc("Longest random pipeline (passes)"),
                                   cl::init(50), cl::cat(BenchCategory));
static cl::opt<unsigned> ForkJobs("fork-jobs",
                                  cl::desc("Empty jobs for the bare fork cost (default 2000)"),
                                  cl::init(2000), cl::cat(BenchCategory));
static cl::opt<unsigned>
    ReusedPerChild("evaluations-per-child",
                   cl::desc("Evaluations a reused child runs in the one-core comparison "
                            "(default 16)"),
                   cl::init(16), cl::cat(BenchCategory));
static cl::opt<bool> SkipSubprocess("skip-subprocess", cl::desc("Leave out the subprocess path"),
                                    cl::cat(BenchCategory));
static cl::opt<bool> SkipInProcess("skip-in-process", cl::desc("Leave out the one-core comparison"),
                                   cl::cat(BenchCategory));

namespace {

using Clock = std::chrono::steady_clock;

/// Minor page faults so far of this process or of its reaped children.
uint64_t minorFaults(int who) {
  struct rusage usage = {};
  getrusage(who, &usage);
  return static_cast<uint64_t>(usage.ru_minflt);
}

/// User plus system CPU seconds of this process or of its reaped children.
double cpuSecondsOf(int who) {
  struct rusage usage = {};
  getrusage(who, &usage);
  auto seconds = [](const timeval &t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// CPU seconds of the calling thread alone (no children, no other threads).
double threadCpuSeconds() {
  timespec now = {};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

double totalCpuSeconds() { return cpuSecondsOf(RUSAGE_SELF) + cpuSecondsOf(RUSAGE_CHILDREN); }

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Program {
  std::string name;
  LoadedModule loaded;
  std::string bitcodePath;
  std::vector<Pipeline> pipelines;
};

struct ModeTiming {
  std::string name;
  unsigned jobs = 1;
  uint64_t evaluations = 0;
  double seconds = 0;
  /// CPU time of this process and every descendant it reaped (the pool's
  /// children, the shells and tools of the subprocess path).
  double cpuSeconds = 0;
  double cpuMsPerEvaluation() const { return evaluations ? 1e3 * cpuSeconds / evaluations : 0; }
  double perSecond() const { return seconds > 0 ? evaluations / seconds : 0; }
  double perSecondPerCore() const { return perSecond() / jobs; }
};

/// Runs one mode and records its wall time and the CPU time of this process
/// and its reaped descendants.
template <typename Body> void timeMode(ModeTiming &timing, Body body) {
  const double cpuStart = totalCpuSeconds();
  const Clock::time_point start = Clock::now();
  body();
  timing.seconds = secondsSince(start);
  timing.cpuSeconds = totalCpuSeconds() - cpuStart;
}

/// Wall time, CPU time (this process and its reaped children) and minor
/// page faults of a piece of work.
struct OneCoreMode {
  ModeTiming timing;
  double cpuSeconds = 0;
  uint64_t faults = 0;

  template <typename Work> void measure(Work work, size_t evaluations) {
    uint64_t faultsBefore = minorFaults(RUSAGE_SELF) + minorFaults(RUSAGE_CHILDREN);
    double cpuBefore = cpuSecondsOf(RUSAGE_SELF) + cpuSecondsOf(RUSAGE_CHILDREN);
    Clock::time_point start = Clock::now();
    work();
    timing.seconds += secondsSince(start);
    cpuSeconds += cpuSecondsOf(RUSAGE_SELF) + cpuSecondsOf(RUSAGE_CHILDREN) - cpuBefore;
    timing.cpuSeconds = cpuSeconds;
    faults += minorFaults(RUSAGE_SELF) + minorFaults(RUSAGE_CHILDREN) - faultsBefore;
    timing.evaluations += evaluations;
  }
  double msPerEvaluation(double seconds) const {
    return 1e3 * seconds / std::max<uint64_t>(1, timing.evaluations);
  }
};

std::vector<Pipeline> randomPipelines(uint64_t seed, unsigned count) {
  std::vector<const PassInfo *> space = PassVocabulary::builtin().searchSpace();
  search::Random random(seed);
  std::vector<Pipeline> pipelines;
  for (unsigned i = 0; i < count; ++i) {
    size_t length = 1 + random.below(std::max(1u, MaxLength.getValue()));
    std::vector<const PassInfo *> passes;
    for (size_t p = 0; p < length; ++p)
      passes.push_back(space[random.below(space.size())]);
    pipelines.push_back(Pipeline::fromPasses(passes));
  }
  return pipelines;
}

Expected<std::vector<Program>> loadPrograms(StringRef scratch) {
  std::error_code error;
  std::vector<std::string> paths;
  for (sys::fs::directory_iterator it(ProgramsDir, error), end; it != end && !error;
       it.increment(error))
    if (sys::path::extension(it->path()) == ".c")
      paths.push_back(it->path());
  if (error)
    return createStringError("%s: %s", ProgramsDir.c_str(), error.message().c_str());
  if (paths.empty())
    return createStringError("%s: no .c programs", ProgramsDir.c_str());
  llvm::sort(paths);

  std::vector<Program> programs;
  for (size_t i = 0; i < paths.size(); ++i) {
    Program program;
    program.name = sys::path::stem(paths[i]).str();
    Expected<LoadedModule> loaded = loadModuleFor(paths[i], Target::X86_64);
    if (!loaded)
      return loaded.takeError();
    program.loaded = std::move(*loaded);
    // The subprocess path reads exactly the module the pool sees.
    program.bitcodePath = (scratch + "/" + program.name + ".bc").str();
    raw_fd_ostream out(program.bitcodePath, error);
    if (error)
      return createStringError("%s: %s", program.bitcodePath.c_str(), error.message().c_str());
    WriteBitcodeToFile(*program.loaded.module, out);
    program.pipelines = randomPipelines(Seed + i, PipelinesPerProgram);
    programs.push_back(std::move(program));
  }
  return programs;
}

/// One evaluation the subprocess way: three processes and a file, as
/// CompilerGym measures object size. Returns text+data, or -1 on failure.
int64_t subprocessSize(const Program &program, const Pipeline &pipeline, StringRef objectPath) {
  std::string command =
      std::string(OPTLM_OPT_PATH) + " -p '" + pipeline.text() + "' '" + program.bitcodePath +
      "' -o - 2>/dev/null | " OPTLM_LLC_PATH " -filetype=obj -o '" + objectPath.str() +
      "' 2>/dev/null && " OPTLM_LLVM_SIZE_PATH " '" + objectPath.str() + "'";
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return -1;
  std::string output;
  char buffer[4096];
  while (size_t got = fread(buffer, 1, sizeof buffer, pipe))
    output.append(buffer, got);
  if (pclose(pipe) != 0)
    return -1;
  // Berkeley format: a header line, then "text data bss dec hex name".
  SmallVector<StringRef, 8> fields;
  StringRef(output).split('\n').second.split(fields, ' ', -1, false);
  uint64_t text = 0, data = 0;
  if (fields.size() < 2 || fields[0].trim().getAsInteger(10, text) ||
      fields[1].trim().getAsInteger(10, data))
    return -1;
  return static_cast<int64_t>(text + data);
}

void printRow(raw_ostream &out, const ModeTiming &mode) {
  out << "| " << mode.name << " | " << mode.jobs << " | " << mode.evaluations << " | "
      << format("%.2f", mode.seconds) << " | " << format("%.1f", mode.perSecond()) << " | "
      << format("%.1f", mode.perSecondPerCore()) << " | "
      << format("%.1f", mode.cpuMsPerEvaluation()) << " |\n";
}

} // namespace

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(BenchCategory);
  cl::ParseCommandLineOptions(argc, argv, "optlm evaluation throughput benchmark\n");
  unsigned jobs = Jobs ? Jobs : std::max(1u, std::thread::hardware_concurrency());
  raw_ostream &out = outs();

  SmallString<128> scratch;
  if (std::error_code error = sys::fs::createUniqueDirectory("optlm-bench-eval", scratch)) {
    errs() << "optlm-bench-eval-throughput: error: scratch folder: " << error.message() << "\n";
    return 1;
  }
  auto removeScratch = [&] { sys::fs::remove_directories(scratch); };

  Clock::time_point loadStart = Clock::now();
  Expected<std::vector<Program>> loadedPrograms = loadPrograms(scratch);
  if (!loadedPrograms) {
    errs() << "optlm-bench-eval-throughput: error: " << toString(loadedPrograms.takeError())
           << "\n";
    removeScratch();
    return 2;
  }
  std::vector<Program> &programs = *loadedPrograms;
  uint64_t total = programs.size() * uint64_t(PipelinesPerProgram);
  errs() << "loaded " << programs.size() << " programs in "
         << format("%.1f", secondsSince(loadStart)) << " s; " << total << " evaluations per mode, "
         << jobs << " jobs\n";

  // Pool, cache off: the reference results for everything below.
  std::vector<std::vector<EvaluationResult>> reference;
  ModeTiming poolCold{"optlm pool, cache off", jobs, total};
  timeMode(poolCold, [&] {
    for (Program &program : programs) {
      EvaluationPoolOptions options;
      options.jobs = jobs;
      options.useCache = false;
      EvaluationPool pool(*program.loaded.module, options);
      reference.push_back(pool.evaluate(program.pipelines, Target::X86_64));
    }
  });
  std::map<std::string, uint64_t> outcomes;
  for (const auto &results : reference)
    for (const EvaluationResult &result : results)
      ++outcomes[outcomeName(result.outcome).str()];
  errs() << "pool, cache off: " << format("%.1f", poolCold.seconds) << " s\n";

  // The same with a fresh child for every evaluation (strict isolation).
  ModeTiming poolForkEach{"optlm pool, cache off, fork per evaluation", jobs, total};
  timeMode(poolForkEach, [&] {
    for (Program &program : programs) {
      EvaluationPoolOptions options;
      options.jobs = jobs;
      options.useCache = false;
      options.evaluationsPerChild = 1;
      EvaluationPool pool(*program.loaded.module, options);
      (void)pool.evaluate(program.pipelines, Target::X86_64);
    }
  });
  errs() << "pool, fork per evaluation: " << format("%.1f", poolForkEach.seconds) << " s\n";

  // Pool, cache on: one cache for the whole run, as a tuning run keeps.
  ModeTiming poolWarm{"optlm pool, cache on", jobs, total};
  EvaluationCache cache;
  uint64_t codegenSkipped = 0, mismatchesWithCache = 0;
  timeMode(poolWarm, [&] {
    for (size_t p = 0; p < programs.size(); ++p) {
      EvaluationPoolOptions options;
      options.jobs = jobs;
      EvaluationPool pool(*programs[p].loaded.module, options, &cache);
      auto results = pool.evaluate(programs[p].pipelines, Target::X86_64);
      codegenSkipped += pool.statistics().codegenSkipped;
      for (size_t i = 0; i < results.size(); ++i) {
        const auto &a = results[i], &b = reference[p][i];
        if (a.outcome != b.outcome ||
            (a.measurement && a.measurement->binarySize != b.measurement->binarySize)) {
          ++mismatchesWithCache;
          errs() << "cache on/off differ: " << programs[p].name << " '"
                 << programs[p].pipelines[i].text() << "': " << outcomeName(a.outcome) << " "
                 << (a.measurement ? a.measurement->binarySize : 0) << " vs "
                 << outcomeName(b.outcome) << " " << (b.measurement ? b.measurement->binarySize : 0)
                 << "\n";
        }
      }
    }
  });
  errs() << "pool, cache on: " << format("%.1f", poolWarm.seconds) << " s\n";

  // The subprocess path, `jobs` pipelines at a time. The sandbox only
  // supplies the parallelism here: each job starts the three tools.
  ModeTiming subprocess{"subprocess: opt-19 | llc-19, llvm-size-19", jobs, total};
  uint64_t sizeAgreements = 0, sizeComparisons = 0, subprocessFailures = 0;
  if (!SkipSubprocess) {
    sandbox::Limits limits;
    limits.timeout = std::chrono::seconds(120);
    sandbox::ProcessPool runner(jobs, limits);
    timeMode(subprocess, [&] {
      for (size_t p = 0; p < programs.size(); ++p) {
        const Program &program = programs[p];
        auto sizes =
            runner.run(program.pipelines.size(), [&](size_t index, sandbox::ChildChannel &) {
              std::string object = (scratch + "/" + program.name + "." + Twine(index) + ".o").str();
              int64_t size = subprocessSize(program, program.pipelines[index], object);
              ::unlink(object.c_str());
              return std::to_string(size);
            });
        for (size_t i = 0; i < sizes.size(); ++i) {
          int64_t size = -1;
          if (sizes[i].end == sandbox::JobEnd::Finished)
            StringRef(sizes[i].result).getAsInteger(10, size);
          const EvaluationResult &pooled = reference[p][i];
          if (size < 0)
            ++subprocessFailures;
          if (size >= 0 && pooled.measurement) {
            ++sizeComparisons;
            if (uint64_t(size) == pooled.measurement->binarySize)
              ++sizeAgreements;
            else
              errs() << "subprocess size differs: " << program.name << " '"
                     << program.pipelines[i].text() << "': " << size << " vs pool "
                     << pooled.measurement->binarySize << "\n";
          }
        }
      }
    });
    errs() << "subprocess: " << format("%.1f", subprocess.seconds) << " s\n";
  }

  // One core: evaluate() in a loop against the pool with one child (a
  // fresh child per evaluation, and children reused for up to
  // --evaluations-per-child), on the pipelines that did not take the pool's
  // child down (in this process they would take the benchmark down). The
  // three take turns program by program, so that load from other work on
  // the machine hits them alike; CPU time (parent plus children) is less
  // sensitive to that load than wall time.
  OneCoreMode inProcess{{"in-process loop (no isolation)", 1, 0}};
  OneCoreMode poolFresh{{"optlm pool, 1 child, fork per evaluation", 1, 0}};
  OneCoreMode poolReused{{"optlm pool, 1 child, reused", 1, 0}};
  poolReused.timing.name += " (up to " + std::to_string(ReusedPerChild) + ")";
  double optimizationCpuSeconds = 0, codegenCpuSeconds = 0;
  uint64_t codegenEvaluations = 0;
  if (!SkipInProcess) {
    for (size_t p = 0; p < programs.size(); ++p) {
      std::vector<Pipeline> safe;
      for (size_t i = 0; i < programs[p].pipelines.size(); ++i) {
        Outcome outcome = reference[p][i].outcome;
        if (outcome == Outcome::Ok || outcome == Outcome::InvalidIR ||
            outcome == Outcome::InvalidPipeline)
          safe.push_back(programs[p].pipelines[i]);
      }
      const llvm::Module &module = *programs[p].loaded.module;
      // evaluate() is these two stages; timing them apart shows how much
      // of an evaluation is llc's own code generation, which no evaluator
      // that must match llc's object byte for byte can skip.
      inProcess.measure(
          [&] {
            for (const Pipeline &pipeline : safe) {
              std::string text = pipeline.text();
              double stageStart = threadCpuSeconds();
              Expected<OptimizedModule> optimized =
                  optimizeModuleWithText(module, text, Target::X86_64);
              double optimizedAt = threadCpuSeconds();
              optimizationCpuSeconds += optimizedAt - stageStart;
              if (!optimized) {
                consumeError(optimized.takeError());
                continue;
              }
              (void)measureOptimized(std::move(*optimized), Target::X86_64, text);
              codegenCpuSeconds += threadCpuSeconds() - optimizedAt;
              ++codegenEvaluations;
            }
          },
          safe.size());
      for (unsigned perChild : {1u, ReusedPerChild.getValue()}) {
        EvaluationPoolOptions options;
        options.jobs = 1;
        options.useCache = false;
        options.evaluationsPerChild = perChild;
        EvaluationPool pool(module, options);
        (perChild == 1 ? poolFresh : poolReused)
            .measure([&] { (void)pool.evaluate(safe, Target::X86_64); }, safe.size());
      }
    }
    errs() << "one core: in-process " << format("%.1f", inProcess.timing.seconds) << " s, pool "
           << format("%.1f", poolFresh.timing.seconds) << " s, reused "
           << format("%.1f", poolReused.timing.seconds) << " s\n";
  }

  // The bare cost of a sandboxed job: fork, limits, an empty result, reap,
  // from a process that holds every program's module.
  double forkMicroseconds = 0;
  if (ForkJobs) {
    sandbox::ProcessPool runner(1);
    Clock::time_point start = Clock::now();
    runner.run(ForkJobs, [](size_t, sandbox::ChildChannel &) { return std::string(); });
    forkMicroseconds = secondsSince(start) * 1e6 / ForkJobs;
  }

  out << "| mode | jobs | evaluations | wall s | eval/s | eval/s/core | CPU ms/eval |\n"
      << "|---|---|---|---|---|---|---|\n";
  printRow(out, poolCold);
  printRow(out, poolForkEach);
  printRow(out, poolWarm);
  if (!SkipSubprocess)
    printRow(out, subprocess);
  if (!SkipInProcess) {
    printRow(out, inProcess.timing);
    printRow(out, poolFresh.timing);
    printRow(out, poolReused.timing);
  }
  out << "\n";
  if (!SkipSubprocess && subprocess.perSecond() > 0) {
    out << "- pool vs subprocess, cache off: "
        << format("%.2fx", poolCold.perSecond() / subprocess.perSecond())
        << " (fork per evaluation: "
        << format("%.2fx", poolForkEach.perSecond() / subprocess.perSecond()) << ")"
        << "; cache on: " << format("%.2fx", poolWarm.perSecond() / subprocess.perSecond()) << "\n";
    out << "- subprocess sizes equal to the pool's: " << sizeAgreements << "/" << sizeComparisons
        << " (subprocess failures: " << subprocessFailures << ")\n";
  }
  if (!SkipInProcess && inProcess.cpuSeconds > 0) {
    auto overhead = [&](const OneCoreMode &mode) {
      out << "- isolation overhead of " << mode.timing.name << ": wall "
          << format("%+.1f%%", 100.0 * (mode.timing.seconds / inProcess.timing.seconds - 1))
          << format(" (%.1f vs %.1f ms per evaluation)", mode.msPerEvaluation(mode.timing.seconds),
                    inProcess.msPerEvaluation(inProcess.timing.seconds))
          << ", CPU " << format("%+.1f%%", 100.0 * (mode.cpuSeconds / inProcess.cpuSeconds - 1))
          << format(" (%.1f vs %.1f ms)", mode.msPerEvaluation(mode.cpuSeconds),
                    inProcess.msPerEvaluation(inProcess.cpuSeconds))
          << ", minor page faults " << mode.faults / std::max<uint64_t>(1, mode.timing.evaluations)
          << " vs " << inProcess.faults / std::max<uint64_t>(1, inProcess.timing.evaluations)
          << " per evaluation\n";
    };
    overhead(poolFresh);
    overhead(poolReused);
    const double optimizationMs =
        1e3 * optimizationCpuSeconds / std::max<uint64_t>(1, inProcess.timing.evaluations);
    const double codegenMs = 1e3 * codegenCpuSeconds / std::max<uint64_t>(1, codegenEvaluations);
    out << "- in-process CPU per evaluation: optimization (copy, passes, verifier, IR hash) "
        << format("%.1f ms", optimizationMs) << ", code generation and object sizes "
        << format("%.1f ms", codegenMs) << "\n";
    if (!SkipSubprocess && codegenMs > 0)
      out << "- ceiling with the cache off: subprocess CPU per evaluation / code generation "
             "alone = "
          << format("%.1f / %.1f = %.2fx", subprocess.cpuMsPerEvaluation(), codegenMs,
                    subprocess.cpuMsPerEvaluation() / codegenMs)
          << " (what any evaluator that runs llc's code generation could reach with "
             "optimization and isolation free)\n";
  }
  if (ForkJobs)
    out << "- bare sandboxed job (fork, limits, reap): " << format("%.0f us", forkMicroseconds)
        << "\n";
  out << "- cache on: " << cache.statisticsLine() << "; code generation skipped " << codegenSkipped
      << " times; results differing from the cache-off run "
         "(nondeterministic LLVM passes, see docs/isolation.md): "
      << mismatchesWithCache << "\n";
  out << "- outcomes:";
  for (const auto &[name, count] : outcomes)
    out << " " << name << " " << count;
  out << "\n";
  removeScratch();
  return 0;
}
