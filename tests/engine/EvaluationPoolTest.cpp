//===- EvaluationPoolTest.cpp - sandboxed evaluation, for real ------------===//
//
// Every outcome is produced by real LLVM work in a child: a pass that
// segfaults Debian's LLVM 19, code generation that calls
// report_fatal_error, a pass that breaks the IR, limits too small for the
// job. After each, the parent goes on evaluating.
//
//===----------------------------------------------------------------------===//
#include "engine/EvaluationPool.h"
#include "engine/Evaluator.h"
#include "testing/Testing.h"

#include "gtest/gtest.h"

#include <cerrno>
#include <sys/wait.h>

using namespace optlm;
using namespace std::chrono_literals;

namespace {

std::string inputPath(llvm::StringRef name) {
  return std::string(OPTLM_TEST_INPUTS) + "/crash/" + name.str();
}

LoadedModule load(const std::string &path) {
  llvm::Expected<LoadedModule> loaded = loadModuleFor(path, Target::X86_64);
  if (!loaded) {
    ADD_FAILURE() << llvm::toString(loaded.takeError());
    return {};
  }
  return std::move(*loaded);
}

Pipeline parse(llvm::StringRef text) {
  llvm::Expected<Pipeline> pipeline = Pipeline::parse(text);
  if (!pipeline) {
    ADD_FAILURE() << text.str() << ": " << llvm::toString(pipeline.takeError());
    return Pipeline();
  }
  return std::move(*pipeline);
}

std::vector<Pipeline> samplePipelines() {
  std::vector<Pipeline> pipelines;
  for (const char *text : {"default<Oz>", "default<O2>", "module()", "sroa,instcombine,simplifycfg",
                           "mem2reg,licm,loop-rotate,gvn", "inline,globaldce", "mem2reg",
                           "sroa,early-cse,reassociate,instcombine,dse,adce"})
    pipelines.push_back(parse(text));
  return pipelines;
}

/// Everything but fromCache, which says where a result came from.
void expectSameResult(const EvaluationResult &a, const EvaluationResult &b,
                      const std::string &context) {
  EXPECT_EQ(outcomeName(a.outcome), outcomeName(b.outcome)) << context;
  EXPECT_EQ(a.pipeline, b.pipeline) << context;
  EXPECT_EQ(a.message, b.message) << context;
  ASSERT_EQ(a.measurement.has_value(), b.measurement.has_value()) << context;
  if (!a.measurement)
    return;
  const Measurement &x = *a.measurement, &y = *b.measurement;
  EXPECT_EQ(x.binarySize, y.binarySize) << context;
  EXPECT_EQ(x.textSize, y.textSize) << context;
  EXPECT_EQ(x.dataSize, y.dataSize) << context;
  EXPECT_EQ(x.bssSize, y.bssSize) << context;
  EXPECT_EQ(x.sections, y.sections) << context;
  EXPECT_EQ(x.instructionCount, y.instructionCount) << context;
  EXPECT_EQ(x.basicBlockCount, y.basicBlockCount) << context;
  EXPECT_EQ(x.functionCount, y.functionCount) << context;
  EXPECT_EQ(x.irHash, y.irHash) << context;
}

EvaluationPoolOptions options(bool useCache, unsigned jobs = 2) {
  EvaluationPoolOptions result;
  result.jobs = jobs;
  result.useCache = useCache;
  result.limits.timeout = 30s;
  return result;
}

void expectNoChildrenLeft() {
  int status = 0;
  errno = 0;
  EXPECT_EQ(waitpid(-1, &status, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

} // namespace

TEST(EvaluationPool, MatchesInProcessEvaluation) {
  LoadedModule input = load(std::string(OPTLM_SOURCE_DIR) + "/examples/programs/checksum.c");
  ASSERT_TRUE(input.module);
  std::vector<Pipeline> pipelines = samplePipelines();
  EvaluationPool pool(*input.module, options(/*useCache=*/false));
  std::vector<EvaluationResult> pooled = pool.evaluate(pipelines, Target::X86_64);
  ASSERT_EQ(pooled.size(), pipelines.size());
  for (size_t i = 0; i < pipelines.size(); ++i) {
    EvaluationResult direct = evaluate(*input.module, pipelines[i], Target::X86_64);
    ASSERT_EQ(direct.outcome, Outcome::Ok) << direct.message;
    expectSameResult(pooled[i], direct, pipelines[i].text());
    EXPECT_FALSE(pooled[i].fromCache);
    EXPECT_GT(pooled[i].measurement->binarySize, 0u);
  }
  EXPECT_EQ(pool.cache(), nullptr);
  expectNoChildrenLeft();
}

TEST(EvaluationPool, ReusedChildrenGiveTheSameResults) {
  LoadedModule input = load(std::string(OPTLM_SOURCE_DIR) + "/examples/programs/checksum.c");
  ASSERT_TRUE(input.module);
  std::vector<Pipeline> pipelines = samplePipelines();
  EvaluationPoolOptions reusing = options(/*useCache=*/false);
  reusing.evaluationsPerChild = 4;
  EvaluationPoolOptions forkEach = options(/*useCache=*/false);
  forkEach.evaluationsPerChild = 1;
  EvaluationPool fresh(*input.module, forkEach);
  EvaluationPool reused(*input.module, reusing);
  auto expected = fresh.evaluate(pipelines, Target::X86_64);
  auto results = reused.evaluate(pipelines, Target::X86_64);
  for (size_t i = 0; i < pipelines.size(); ++i)
    expectSameResult(results[i], expected[i], pipelines[i].text());
  EXPECT_EQ(fresh.sandboxStatistics().forks, pipelines.size());
  EXPECT_LT(reused.sandboxStatistics().forks, pipelines.size());
  expectNoChildrenLeft();
}

TEST(EvaluationPool, CachedResultsEqualUncachedOnes) {
  LoadedModule input = load(std::string(OPTLM_SOURCE_DIR) + "/examples/programs/checksum.c");
  ASSERT_TRUE(input.module);
  std::vector<Pipeline> pipelines = samplePipelines();
  // Duplicates within the batch are evaluated once.
  pipelines.push_back(pipelines[0]);
  pipelines.push_back(pipelines[3]);

  EvaluationPool uncached(*input.module, options(false));
  EvaluationPool cached(*input.module, options(true));
  auto reference = uncached.evaluate(pipelines, Target::X86_64);
  auto first = cached.evaluate(pipelines, Target::X86_64);
  auto second = cached.evaluate(pipelines, Target::X86_64);
  for (size_t i = 0; i < pipelines.size(); ++i) {
    expectSameResult(first[i], reference[i], "first " + pipelines[i].text());
    expectSameResult(second[i], reference[i], "second " + pipelines[i].text());
    EXPECT_TRUE(second[i].fromCache);
  }
  EXPECT_FALSE(first[0].fromCache);
  EXPECT_TRUE(first[pipelines.size() - 2].fromCache);
  EXPECT_EQ(cached.statistics().batchDuplicates, 2u);
  EXPECT_EQ(cached.statistics().evaluated, pipelines.size() - 2);
  EXPECT_EQ(cached.cache()->statistics().resultHits, pipelines.size());
  EXPECT_EQ(uncached.statistics().evaluated, pipelines.size());
}

TEST(EvaluationPool, IdenticalOptimizedIRIsMeasuredOnce) {
  LoadedModule input = load(inputPath("loops.ll"));
  ASSERT_TRUE(input.module);
  // globaldce finds nothing dead here, so both leave the IR as it was.
  std::vector<Pipeline> pipelines = {parse("module()"), parse("globaldce")};
  EvaluationPool pool(*input.module, options(true));
  auto results = pool.evaluate(pipelines, Target::X86_64);
  ASSERT_EQ(results[0].outcome, Outcome::Ok) << results[0].message;
  ASSERT_EQ(results[1].outcome, Outcome::Ok) << results[1].message;
  ASSERT_EQ(results[0].measurement->irHash, results[1].measurement->irHash);
  EXPECT_EQ(pool.statistics().codegenSkipped, 1u);
  EXPECT_EQ(pool.cache()->statistics().objectHits, 1u);
  expectSameResult(results[1], evaluate(*input.module, pipelines[1], Target::X86_64), "globaldce");
  EXPECT_FALSE(results[1].fromCache); // a new result, an old object size
}

TEST(EvaluationPool, SegfaultingPassIsACrashAndThePoolGoesOn) {
  LoadedModule input = load(inputPath("loops.ll"));
  ASSERT_TRUE(input.module);
  EvaluationPool pool(*input.module, options(true));
  auto results = pool.evaluate({parse("default<Oz>"), parse("codegenprepare"), parse("mem2reg")},
                               Target::X86_64);
  EXPECT_EQ(results[0].outcome, Outcome::Ok) << results[0].message;
  EXPECT_EQ(results[1].outcome, Outcome::Crash);
  EXPECT_EQ(results[1].message, "SIGSEGV");
  EXPECT_EQ(results[1].pipeline, "module(function(codegenprepare))");
  EXPECT_FALSE(results[1].measurement);
  EXPECT_EQ(results[2].outcome, Outcome::Ok) << results[2].message;
  // A crash is reproducible, so it is remembered.
  auto again = pool.evaluate({parse("codegenprepare")}, Target::X86_64);
  EXPECT_EQ(again[0].outcome, Outcome::Crash);
  EXPECT_TRUE(again[0].fromCache);
  expectNoChildrenLeft();
}

TEST(EvaluationPool, CodegenFatalErrorIsFatalWithLLVMsMessage) {
  LoadedModule input = load(inputPath("cannot-select.ll"));
  ASSERT_TRUE(input.module);
  EvaluationPool pool(*input.module, options(false));
  auto results = pool.evaluate({parse("default<Oz>")}, Target::X86_64);
  EXPECT_EQ(results[0].outcome, Outcome::Fatal);
  EXPECT_NE(results[0].message.find("Cannot select"), std::string::npos) << results[0].message;
}

TEST(EvaluationPool, PassThatBreaksTheIRIsInvalidIR) {
  LoadedModule input = load(inputPath("loops.ll"));
  ASSERT_TRUE(input.module);
  EvaluationPool pool(*input.module, options(false));
  // LLVM's own test pass, outside optlm's vocabulary: it adds an alias
  // without an aliasee.
  auto results =
      pool.evaluate({EvaluationRequest::unchecked("trigger-verifier-error", Target::X86_64)});
  EXPECT_EQ(results[0].outcome, Outcome::InvalidIR);
  EXPECT_EQ(results[0].message, "Aliasee cannot be NULL!");
  EXPECT_EQ(results[0].pipeline, "trigger-verifier-error");
}

TEST(EvaluationPool, UnknownPassesAreInvalidPipelines) {
  LoadedModule input = load(inputPath("loops.ll"));
  ASSERT_TRUE(input.module);
  EvaluationPool pool(*input.module, options(true));
  // Rejected by optlm's vocabulary before any child is forked ...
  EvaluationResult checked = pool.evaluateText("sroa,no-such-pass", Target::X86_64);
  EXPECT_EQ(checked.outcome, Outcome::InvalidPipeline);
  EXPECT_FALSE(checked.message.empty());
  EXPECT_EQ(pool.statistics().evaluated, 0u);
  // ... and by PassBuilder in the child.
  auto unchecked =
      pool.evaluate({EvaluationRequest::unchecked("module(no-such-pass)", Target::X86_64)});
  EXPECT_EQ(unchecked[0].outcome, Outcome::InvalidPipeline);
  EXPECT_NE(unchecked[0].message.find("no-such-pass"), std::string::npos);
}

TEST(EvaluationPool, EvaluationBeyondTheTimeLimitTimesOut) {
  LoadedModule input = load(std::string(OPTLM_SOURCE_DIR) + "/examples/programs/checksum.c");
  ASSERT_TRUE(input.module);
  EvaluationPoolOptions limited = options(true, 1);
  limited.limits.timeout = 2ms; // -O3 and code generation take far longer
  EvaluationPool pool(*input.module, limited);
  auto results = pool.evaluate({parse("default<O3>")}, Target::X86_64);
  EXPECT_EQ(results[0].outcome, Outcome::Timeout);
  EXPECT_NE(results[0].message.find("2 ms"), std::string::npos);
  // Not remembered: with more time it may well succeed.
  auto again = pool.evaluate({parse("default<O3>")}, Target::X86_64);
  EXPECT_FALSE(again[0].fromCache);
  expectNoChildrenLeft();
}

TEST(EvaluationPool, EvaluationBeyondTheMemoryLimitIsOutOfMemory) {
  // A module large enough that -O3 and code generation need far more memory
  // than this test process may have freed and kept mapped (which a child
  // can reuse without growing its address space): 400 copies of a small
  // function with a loop.
  std::string text = "target triple = \"x86_64-unknown-linux-gnu\"\n";
  for (int i = 0; i < 400; ++i) {
    std::string n = std::to_string(i);
    text += "define i32 @f" + n +
            "(i32 %n, ptr %p) {\nentry:\n  br label %loop\n"
            "loop:\n  %i = phi i32 [ 0, %entry ], [ %next, %loop ]\n"
            "  %acc = phi i32 [ " +
            n +
            ", %entry ], [ %sum, %loop ]\n"
            "  %slot = getelementptr inbounds i32, ptr %p, i32 %i\n"
            "  %v = load i32, ptr %slot\n  %m = mul i32 %v, %i\n"
            "  %sum = add i32 %acc, %m\n  store i32 %sum, ptr %slot\n"
            "  %next = add i32 %i, 1\n  %done = icmp sge i32 %next, %n\n"
            "  br i1 %done, label %exit, label %loop\nexit:\n  ret i32 %sum\n}\n";
  }
  llvm::Expected<ModuleTarget> target = moduleTargetFor(Target::X86_64);
  OPTLM_ASSERT_OK(target);
  llvm::Expected<LoadedModule> input =
      parseModule(llvm::MemoryBufferRef(text, "many-loops.ll"), InputKind::IRText, *target);
  OPTLM_ASSERT_OK(input);
  EvaluationPoolOptions limited = options(false, 1);
  // Nothing beyond what the child inherits: the first mapping or heap
  // growth the evaluation needs fails.
  limited.limits.memoryHeadroomBytes = 1;
  EvaluationPool pool(*input->module, limited);
  auto results = pool.evaluate({parse("default<O3>")}, Target::X86_64);
  EXPECT_EQ(results[0].outcome, Outcome::OutOfMemory)
      << outcomeName(results[0].outcome).str() << ": " << results[0].message << "\n"
      << results[0].capturedStderr;
  // With room to work the same evaluation succeeds.
  limited.limits.memoryHeadroomBytes = uint64_t(2) << 30;
  EvaluationPool roomy(*input->module, limited);
  EXPECT_EQ(roomy.evaluate({parse("default<O3>")}, Target::X86_64)[0].outcome, Outcome::Ok);
}

TEST(EvaluationPool, MixedBatchKeepsRequestOrder) {
  LoadedModule input = load(inputPath("loops.ll"));
  ASSERT_TRUE(input.module);
  EvaluationPool pool(*input.module, options(true));
  std::vector<EvaluationRequest> requests = {
      {parse("codegenprepare"), Target::X86_64, ""},
      {parse("default<Oz>"), Target::X86_64, ""},
      EvaluationRequest::unchecked("trigger-verifier-error", Target::X86_64),
      {parse("default<Oz>"), Target::AArch64, ""},
      {parse("mem2reg"), Target::X86_64, ""},
  };
  auto results = pool.evaluate(requests);
  ASSERT_EQ(results.size(), requests.size());
  EXPECT_EQ(results[0].outcome, Outcome::Crash);
  EXPECT_EQ(results[1].outcome, Outcome::Ok);
  EXPECT_EQ(results[2].outcome, Outcome::InvalidIR);
  EXPECT_EQ(results[3].outcome, Outcome::Ok) << results[3].message;
  EXPECT_EQ(results[4].outcome, Outcome::Ok);
  // The same pipeline for another target is another object.
  EXPECT_NE(results[1].measurement->sections, results[3].measurement->sections);
  for (size_t i = 0; i < requests.size(); ++i)
    EXPECT_EQ(results[i].pipeline, requests[i].text());
}
