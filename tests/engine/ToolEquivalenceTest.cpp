//===- ToolEquivalenceTest.cpp - optlm's sizes equal the real tools' ------===//
//
// For every bundled program, both targets, -O0, -Oz and 20 random flat
// pipelines from the default search space: the in-process evaluation must
// report exactly what
//     opt-19 -no-ir-sim-branch-matching -p '<canonical text>' | llc-19 -filetype=obj | llvm-size-19
// reports (Berkeley text/data/bss and every allocatable section), and the
// instruction, block and function counts of opt's own output.
//
// One test per (program, target), so ctest can spread them over cores; in a
// test the real tools run on worker threads while the main thread evaluates
// in-process, and llvm-size reads all objects of the test in one call.
//
//===----------------------------------------------------------------------===//
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"
#include "ir/SourceCompiler.h"
#include "pipeline/PassVocabulary.h"
#include "pipeline/Pipeline.h"
#include "testing/Testing.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <sstream>
#include <thread>

using namespace llvm;
using namespace optlm;

namespace {

constexpr unsigned RandomPipelinesPerCase = 20;
constexpr uint64_t PipelineSeed = 20240702;
constexpr unsigned LongestRandomPipeline = 16;
constexpr unsigned ToolThreads = 2;

std::vector<std::string> bundledPrograms() {
  std::vector<std::string> names;
  std::error_code error;
  std::string folder = std::string(OPTLM_SOURCE_DIR) + "/examples/programs";
  for (sys::fs::directory_iterator it(folder, error), end; it != end && !error; it.increment(error))
    if (sys::path::extension(it->path()) == ".c")
      names.push_back(sys::path::stem(it->path()).str());
  std::sort(names.begin(), names.end());
  return names;
}

/// Passes whose output in LLVM 19.1 depends on heap addresses: GVNSink
/// orders candidates by pointer value (llvm/llvm-project#77852), so in a
/// long-lived process it can sink differently than a fresh opt-19 does (seen
/// on tokenizer.c for AArch64 after loop-versioning-licm: 1265 instructions
/// from opt, 1265/1268/1275 from repeated in-process runs). No in-process
/// evaluator can match such a pass run for run, so the test leaves it out.
constexpr StringRef AddressDependentPasses[] = {"gvn-sink"};

/// Random flat pipelines, a different sequence per program and target but
/// the same on every run.
std::vector<Pipeline> randomPipelines(StringRef program, Target target) {
  std::vector<const PassInfo *> space;
  for (const PassInfo *pass : PassVocabulary::builtin().searchSpace())
    if (!is_contained(AddressDependentPasses, StringRef(pass->name)))
      space.push_back(pass);
  std::seed_seq seed{PipelineSeed, uint64_t(std::hash<std::string>()(program.str())),
                     uint64_t(target)};
  std::mt19937_64 generator(seed);
  std::vector<Pipeline> pipelines;
  for (unsigned i = 0; i < RandomPipelinesPerCase; ++i) {
    size_t length = 1 + generator() % LongestRandomPipeline;
    std::vector<const PassInfo *> passes;
    for (size_t j = 0; j < length; ++j)
      passes.push_back(space[generator() % space.size()]);
    pipelines.push_back(Pipeline::fromPasses(passes));
  }
  return pipelines;
}

int run(StringRef program, ArrayRef<std::string> arguments, StringRef stdoutPath,
        StringRef stderrPath) {
  std::vector<StringRef> argv = {program};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::optional<StringRef> redirects[] = {StringRef(""), stdoutPath, stderrPath};
  return sys::ExecuteAndWait(program, argv, std::nullopt, redirects,
                             /*SecondsToWait=*/300);
}

std::string readFile(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

struct ToolSizes {
  uint64_t text = 0, data = 0, bss = 0;
  std::map<std::string, uint64_t> sections; ///< every section, summed by name
};

/// llvm-size over many objects: Berkeley rows name their file last; sysv
/// blocks start with "<file>  :".
std::map<std::string, ToolSizes> parseLlvmSize(StringRef berkeley, StringRef sysv) {
  std::map<std::string, ToolSizes> sizes;
  std::istringstream rows(berkeley.str());
  std::string line;
  std::getline(rows, line); // header
  while (std::getline(rows, line)) {
    std::istringstream row(line);
    ToolSizes entry;
    std::string dec, hex, file;
    if (row >> entry.text >> entry.data >> entry.bss >> dec >> hex >> file)
      sizes[file] = entry;
  }
  std::istringstream blocks(sysv.str());
  std::string current;
  while (std::getline(blocks, line)) {
    StringRef text(line);
    if (text.ends_with(":") && !text.starts_with(".")) {
      current = text.drop_back().rtrim().str();
      continue;
    }
    std::istringstream row(line);
    std::string name;
    uint64_t size;
    if (text.starts_with(".") && (row >> name >> size))
      sizes[current].sections[name] += size;
  }
  return sizes;
}

struct Case {
  std::string label;
  Pipeline pipeline;
  std::string optOutput, object, optErrors;
  int optStatus = -1, llcStatus = -1;
};

class ToolEquivalenceTest : public ::testing::TestWithParam<std::tuple<std::string, Target>> {};

TEST_P(ToolEquivalenceTest, MatchesOptLlcLlvmSize) {
  auto [program, target] = GetParam();
  optlm::testing::TemporaryFolder scratch;

  // The input both sides start from: clang's bitcode, written once.
  std::string source = std::string(OPTLM_SOURCE_DIR) + "/examples/programs/" + program + ".c";
  Expected<std::unique_ptr<MemoryBuffer>> bitcode = sourceToBitcode(source, targetTriple(target));
  OPTLM_ASSERT_OK(bitcode);
  std::string inputPath = scratch.file("input.bc");
  {
    std::error_code error;
    raw_fd_ostream stream(inputPath, error);
    ASSERT_FALSE(error);
    stream << (*bitcode)->getBuffer();
  }
  Expected<LoadedModule> loaded = loadModuleFor(inputPath, target);
  OPTLM_ASSERT_OK(loaded);

  std::vector<Case> cases;
  cases.push_back({"O0", Pipeline::level(OptLevel::O0)});
  cases.push_back({"Oz", Pipeline::level(OptLevel::Oz)});
  for (Pipeline &pipeline : randomPipelines(program, target))
    cases.push_back({"random" + std::to_string(cases.size() - 1), std::move(pipeline)});
  for (Case &c : cases) {
    c.optOutput = scratch.file(c.label + ".bc");
    c.object = scratch.file(c.label + ".o");
  }

  // The real tools, on worker threads.
  std::atomic<size_t> next{0};
  auto runTools = [&] {
    for (size_t i = next++; i < cases.size(); i = next++) {
      Case &c = cases[i];
      std::string errors = scratch.file(c.label + ".err");
      // With the one option the engine sets (engine/PassOptions.h).
      c.optStatus =
          run(OPTLM_OPT_PATH,
              {"-no-ir-sim-branch-matching", "-p", c.pipeline.text(), inputPath, "-o", c.optOutput},
              "", errors);
      c.optErrors = readFile(errors);
      if (c.optStatus == 0)
        c.llcStatus =
            run(OPTLM_LLC_PATH, {"-filetype=obj", c.optOutput, "-o", c.object}, "", errors);
    }
  };
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < ToolThreads; ++i)
    workers.emplace_back(runTools);

  // optlm, on this thread meanwhile.
  std::vector<EvaluationResult> results;
  for (const Case &c : cases)
    results.push_back(evaluate(*loaded->module, c.pipeline, target));
  for (std::thread &worker : workers)
    worker.join();

  std::vector<std::string> sizeArguments = {"--format=berkeley"};
  for (const Case &c : cases)
    if (c.llcStatus == 0)
      sizeArguments.push_back(c.object);
  std::string berkeleyPath = scratch.file("berkeley.txt"), sysvPath = scratch.file("sysv.txt");
  ASSERT_EQ(run(OPTLM_LLVM_SIZE_PATH, sizeArguments, berkeleyPath, ""), 0);
  sizeArguments[0] = "--format=sysv";
  ASSERT_EQ(run(OPTLM_LLVM_SIZE_PATH, sizeArguments, sysvPath, ""), 0);
  std::map<std::string, ToolSizes> toolSizes =
      parseLlvmSize(readFile(berkeleyPath), readFile(sysvPath));

  for (size_t i = 0; i < cases.size(); ++i) {
    const Case &c = cases[i];
    const EvaluationResult &result = results[i];
    SCOPED_TRACE(program + " " + targetTriple(target).str() + " " + c.label + " " +
                 c.pipeline.text());
    EXPECT_EQ(result.pipeline, c.pipeline.text());
    ASSERT_EQ(c.optStatus, 0) << "opt-19 failed: " << c.optErrors;
    ASSERT_EQ(c.llcStatus, 0) << "llc-19 failed";
    ASSERT_EQ(result.outcome, Outcome::Ok) << result.message;
    const Measurement &m = *result.measurement;
    ASSERT_TRUE(toolSizes.count(c.object)) << "llvm-size did not list " << c.object;
    const ToolSizes &expected = toolSizes[c.object];
    EXPECT_EQ(m.textSize, expected.text);
    EXPECT_EQ(m.dataSize, expected.data);
    EXPECT_EQ(m.bssSize, expected.bss);
    EXPECT_EQ(m.binarySize, expected.text + expected.data);
    for (const auto &[name, size] : m.sections) {
      auto found = expected.sections.find(name);
      ASSERT_NE(found, expected.sections.end()) << name;
      EXPECT_EQ(size, found->second) << name;
    }

    // opt's output parsed back: the same IR counts.
    LLVMContext context;
    ErrorOr<std::unique_ptr<MemoryBuffer>> optBitcode = MemoryBuffer::getFile(c.optOutput);
    ASSERT_TRUE(bool(optBitcode));
    Expected<std::unique_ptr<Module>> optModule =
        parseBitcodeFile((*optBitcode)->getMemBufferRef(), context);
    OPTLM_ASSERT_OK(optModule);
    ModuleFacts facts = moduleFacts(**optModule);
    EXPECT_EQ(m.instructionCount, facts.instructionCount);
    EXPECT_EQ(m.basicBlockCount, facts.basicBlockCount);
    EXPECT_EQ(m.functionCount, facts.functionCount);
  }
}

std::string caseName(const ::testing::TestParamInfo<std::tuple<std::string, Target>> &info) {
  std::string name = std::get<0>(info.param) +
                     (std::get<1>(info.param) == Target::X86_64 ? "_x86_64" : "_aarch64");
  for (char &c : name)
    if (!isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(BundledPrograms, ToolEquivalenceTest,
                         ::testing::Combine(::testing::ValuesIn(bundledPrograms()),
                                            ::testing::Values(Target::X86_64, Target::AArch64)),
                         caseName);

} // namespace
