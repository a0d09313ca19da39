//===- TuneBench.cpp - how far each strategy gets for a budget --------------===//
//
// For every program (the bundled examples, plus csmith programs generated
// from fixed seeds) and every strategy and budget: tune with a fixed seed,
// verify, and report the mean size reduction versus -Oz, the share of
// programs improved, evaluations per second and wall time, as a Markdown
// table.
//
// Budgets run in increasing order against one results store, so a larger
// budget replays the smaller one's evaluations from the store (the same seed
// proposes the same lists first) and pays only for the rest.
//
//===----------------------------------------------------------------------===//
#include "search/PoolEvaluator.h"
#include "search/Tuner.h"
#include "search/TuningInput.h"
#include "search/Verification.h"
#include "store/ResultsStore.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <map>
#include <tuple>

using namespace llvm;
using namespace optlm;
using namespace optlm::search;

static cl::OptionCategory BenchCategory("optlm-bench-tune options");
static cl::opt<std::string> ProgramsDir("programs", cl::desc("Folder of .c programs"),
                                        cl::init(OPTLM_SOURCE_DIR "/examples/programs"),
                                        cl::cat(BenchCategory));
static cl::opt<unsigned> CsmithCount("csmith",
                                     cl::desc("csmith programs to add (the first N seeds from 1 "
                                              "whose programs end within 2 s)"),
                                     cl::init(20), cl::cat(BenchCategory));
static cl::opt<std::string> WorkDir("work-dir", cl::desc("Where csmith programs and the store go"),
                                    cl::init("bench-tune-work"), cl::cat(BenchCategory));
static cl::opt<std::string> BudgetList("budgets", cl::desc("Comma-separated budgets"),
                                       cl::init("100,1000,10000"), cl::cat(BenchCategory));
static cl::opt<std::string> StrategyList("strategies", cl::desc("Comma-separated strategies"),
                                         cl::init("random,evolve"), cl::cat(BenchCategory));
static cl::opt<std::string> Only("only", cl::desc("Only programs whose name contains this"),
                                 cl::cat(BenchCategory));
static cl::opt<unsigned> MaxPrograms("max-programs", cl::desc("At most this many programs"),
                                     cl::init(0), cl::cat(BenchCategory));
static cl::opt<uint64_t> Seed("seed", cl::init(1), cl::desc("Search seed"), cl::cat(BenchCategory));
static cl::opt<unsigned> Jobs("jobs", cl::init(0), cl::desc("Parallel evaluations"),
                              cl::cat(BenchCategory));
static cl::opt<bool> NoVerify("no-verify", cl::desc("Skip PassListEval and the program check"),
                              cl::cat(BenchCategory));
static cl::opt<std::string> OutputPath("output", cl::desc("Write the Markdown table here"),
                                       cl::cat(BenchCategory));

namespace {

struct Cell {
  double reductionSum = 0;
  size_t programs = 0;
  size_t improved = 0;
  uint64_t newEvaluations = 0;
  uint64_t evaluations = 0;
  double seconds = 0;
};

/// csmith programs include csmith.h; preprocessing makes each a
/// self-contained C file that optlm loads like any other.
std::vector<std::string> makeCsmithPrograms(unsigned count) {
  std::vector<std::string> paths;
  auto csmith = sys::findProgramByName("csmith");
  if (!csmith) {
    errs() << "note: csmith not found; no csmith programs\n";
    return paths;
  }
  // coreutils' timeout runs each program: it kills a program that loops
  // even when this benchmark is itself killed meanwhile (ExecuteAndWait's
  // own timeout dies with its caller and would leave the program spinning).
  auto timeoutTool = sys::findProgramByName("timeout");
  if (!timeoutTool) {
    errs() << "note: coreutils' timeout not found; no csmith programs\n";
    return paths;
  }
  SmallString<256> dir(WorkDir);
  sys::path::append(dir, "csmith");
  sys::fs::create_directories(dir);
  // Some seeds make programs that loop for minutes; they are skipped, so
  // the seed list runs on until `count` programs are kept (within bounds).
  const unsigned lastSeed = 10 * count + 10;
  for (unsigned seed = 1; seed <= lastSeed && paths.size() < count; ++seed) {
    SmallString<256> raw(dir), source(dir);
    sys::path::append(raw, "raw" + std::to_string(seed) + ".c");
    sys::path::append(source, "csmith" + std::to_string(seed) + ".c");
    if (!sys::fs::exists(source)) {
      std::string seedText = std::to_string(seed);
      std::string rawText = raw.str().str(), sourceText = source.str().str();
      // Small programs: tuning cost grows with size, and csmith's defaults
      // make programs of thousands of lines.
      StringRef generate[] = {*csmith,       "--seed", seedText,
                              "--max-funcs", "6",      "--no-packed-struct",
                              "--output",    rawText};
      if (sys::ExecuteAndWait(*csmith, generate, std::nullopt, {}, 60) != 0)
        continue;
      StringRef preprocess[] = {
          OPTLM_CLANG_BINARY, "-E", "-P", "-I/usr/include/csmith", rawText, "-o", sourceText};
      if (sys::ExecuteAndWait(OPTLM_CLANG_BINARY, preprocess, std::nullopt, {}, 60) != 0)
        continue;
    }
    // Keep programs that end quickly unoptimized: the program check runs
    // each one for every verified candidate.
    SmallString<256> binary(dir);
    sys::path::append(binary, "csmith" + std::to_string(seed) + ".exe");
    std::string sourceText = source.str().str(), binaryText = binary.str().str();
    StringRef build[] = {OPTLM_CLANG_BINARY, "-O0", "-w", sourceText, "-o", binaryText};
    if (sys::ExecuteAndWait(OPTLM_CLANG_BINARY, build, std::nullopt, {}, 60) != 0)
      continue;
    std::optional<StringRef> quiet[] = {StringRef(""), StringRef(""), StringRef("")};
    StringRef run[] = {*timeoutTool, "-s", "KILL", "2", binaryText};
    if (sys::ExecuteAndWait(*timeoutTool, run, std::nullopt, quiet, 10) != 0) {
      errs() << "note: csmith seed " << seed << " skipped (does not end within 2 s)\n";
      continue;
    }
    paths.push_back(source.str().str());
  }
  return paths;
}

} // namespace

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(BenchCategory);
  cl::ParseCommandLineOptions(argc, argv, "optlm tuning benchmark\n");

  std::vector<uint64_t> budgets;
  for (StringRef text : split(BudgetList, ',')) {
    uint64_t budget;
    if (text.trim().getAsInteger(10, budget) || budget == 0) {
      errs() << "optlm-bench-tune: error: bad budget '" << text << "'\n";
      return 2;
    }
    budgets.push_back(budget);
  }
  std::sort(budgets.begin(), budgets.end());
  std::vector<std::string> strategies;
  for (StringRef text : split(StrategyList, ','))
    strategies.push_back(text.trim().str());

  std::vector<std::string> programs;
  std::error_code ec;
  for (sys::fs::directory_iterator it(ProgramsDir, ec), end; it != end && !ec; it.increment(ec))
    if (sys::path::extension(it->path()) == ".c")
      programs.push_back(it->path());
  std::sort(programs.begin(), programs.end());
  sys::fs::create_directories(WorkDir);
  for (const std::string &path : makeCsmithPrograms(CsmithCount))
    programs.push_back(path);
  if (!Only.empty())
    llvm::erase_if(programs, [](const std::string &p) {
      return sys::path::filename(p).find(Only) == StringRef::npos;
    });
  if (MaxPrograms && programs.size() > MaxPrograms)
    programs.resize(MaxPrograms);

  SmallString<256> storePath(WorkDir);
  sys::path::append(storePath, "store.sqlite");
  auto store = ResultsStore::open(storePath);
  if (!store) {
    errs() << "optlm-bench-tune: error: " << toString(store.takeError()) << "\n";
    return 1;
  }

  StrategyContext context = builtinContext(Seed);

  std::map<std::pair<std::string, uint64_t>, Cell> cells;
  struct Answer {
    double reduction = 0;
    uint64_t size = 0;
  };
  // Per program: -Oz's size and each (strategy, budget)'s verified answer.
  std::vector<std::pair<std::string, uint64_t>> programOzSizes;
  std::map<std::tuple<std::string, std::string, uint64_t>, Answer> answers;
  const auto benchStart = std::chrono::steady_clock::now();
  size_t measuredPrograms = 0;
  for (const std::string &path : programs) {
    auto input = loadTuningInput(path, Target::X86_64);
    if (!input) {
      errs() << "skip " << path << ": " << toString(input.takeError()) << "\n";
      continue;
    }
    ++measuredPrograms;
    VerifyFunction verify;
    if (!NoVerify) {
      VerificationSettings settings;
      settings.programCheck = true;
      settings.programPath = path;
      settings.jobs = Jobs;
      auto verifier = makeVerifier(settings, store->get());
      if (!verifier) {
        errs() << "skip " << path << ": " << toString(verifier.takeError()) << "\n";
        --measuredPrograms;
        continue;
      }
      verify = std::move(*verifier);
    }
    PoolEvaluator pool(*input->loaded.module, Target::X86_64, Jobs);
    for (const std::string &strategy : strategies)
      for (uint64_t budget : budgets) {
        RecordingEvaluator evaluator(pool, store->get(), input->moduleHash, Target::X86_64);
        TuneOptions options;
        options.strategy = strategy;
        options.budget = budget;
        options.seed = Seed;
        auto result = tune(evaluator, context, options, verify);
        if (!result) {
          errs() << "optlm-bench-tune: error: " << path << ": " << toString(result.takeError())
                 << "\n";
          return 1;
        }
        const std::string name = sys::path::stem(path).str();
        if (programOzSizes.empty() || programOzSizes.back().first != name)
          programOzSizes.push_back({name, result->ozSize});
        answers[{name, strategy, budget}] = {result->reductionVsOzPercent(), result->binarySize};
        Cell &cell = cells[{strategy, budget}];
        cell.reductionSum += result->reductionVsOzPercent();
        cell.programs += 1;
        cell.improved += !result->isOz;
        cell.newEvaluations += evaluator.counts().fresh;
        cell.evaluations += evaluator.counts().requested;
        cell.seconds += result->wallSeconds;
        errs() << sys::path::filename(path) << " " << strategy << " " << budget << ": "
               << format("%.2f", result->reductionVsOzPercent()) << "% (" << result->binarySize
               << " vs -Oz " << result->ozSize << "), " << evaluator.counts().fresh
               << " new evaluations, " << format("%.1f", result->wallSeconds) << " s\n";
      }
  }
  const double totalSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - benchStart).count();

  std::string table;
  raw_string_ostream out(table);
  out << "| strategy | budget | programs | mean reduction vs -Oz | improved | "
         "evaluations (new) | new evaluations/s | wall time |\n"
      << "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const std::string &strategy : strategies)
    for (uint64_t budget : budgets) {
      const Cell &cell = cells[{strategy, budget}];
      if (cell.programs == 0)
        continue;
      out << "| " << strategy << " | " << budget << " | " << cell.programs << " | "
          << format("%.2f%%", cell.reductionSum / cell.programs) << " | "
          << format("%.0f%%", 100.0 * cell.improved / cell.programs) << " | " << cell.evaluations
          << " (" << cell.newEvaluations << ") | "
          << format("%.1f", cell.seconds > 0 ? cell.newEvaluations / cell.seconds : 0) << " | "
          << format("%.0f s", cell.seconds) << " |\n";
    }
  out << "\n"
      << measuredPrograms << " programs, seed " << Seed << ", "
      << (NoVerify ? "verification off" : "every win verified (PassListEval + program check)")
      << ", total " << format("%.0f", totalSeconds) << " s\n";
  out << "\n| program | -Oz bytes |";
  for (const std::string &strategy : strategies)
    for (uint64_t budget : budgets)
      out << " " << strategy << " " << budget << " |";
  out << "\n|---|---:|";
  for (size_t i = 0; i < strategies.size() * budgets.size(); ++i)
    out << "---:|";
  out << "\n";
  for (const auto &[name, ozSize] : programOzSizes) {
    out << "| " << name << " | " << ozSize << " |";
    for (const std::string &strategy : strategies)
      for (uint64_t budget : budgets) {
        const Answer &answer = answers[{name, strategy, budget}];
        out << " " << format("%.2f%%", answer.reduction) << " (" << answer.size << ") |";
      }
    out << "\n";
  }
  outs() << table;
  if (!OutputPath.empty()) {
    std::error_code writeError;
    raw_fd_ostream file(OutputPath, writeError);
    if (writeError) {
      errs() << "optlm-bench-tune: error: cannot write " << OutputPath << "\n";
      return 1;
    }
    file << table;
  }
  return 0;
}
