//===- RelocationTest.cpp - measuring code as a build generates it --------===//
//
// `optlm cc` measures candidates with the relocation model the module was
// compiled for (position-independent for clang's default PIE and -fPIC),
// in its passes and its code generator as clang does, while everything else
// measures as opt-19 and llc-19 do by default (static). The sizes must
// equal opt-19's and llc-19's with the same -relocation-model, and caches
// shared between the two ways must never hand one's size to the other.
//
//===----------------------------------------------------------------------===//
#include "codegen/Relocation.h"
#include "engine/EvaluationPool.h"
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"
#include "ir/SourceCompiler.h"
#include "testing/Testing.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <sstream>

using namespace llvm;
using namespace optlm;

namespace {

TEST(RelocationTest, FollowsTheModulesPicAndPieLevels) {
  LLVMContext context;
  Module plain("plain", context), pic("pic", context), pie("pie", context);
  pic.setPICLevel(PICLevel::BigPIC);
  pie.setPICLevel(PICLevel::BigPIC);
  pie.setPIELevel(PIELevel::Large);

  EXPECT_EQ(relocationModelFor(pic, Relocation::LlcDefault), std::nullopt);
  EXPECT_EQ(relocationModelFor(plain, Relocation::AsCompiled), Reloc::Static);
  EXPECT_EQ(relocationModelFor(pic, Relocation::AsCompiled), Reloc::PIC_);
  EXPECT_EQ(relocationModelFor(pie, Relocation::AsCompiled), Reloc::PIC_);

  // Static code is llc's default on both targets: the same key.
  EXPECT_EQ(hashWithRelocation(42, std::nullopt), 42u);
  EXPECT_EQ(hashWithRelocation(42, Reloc::Static), 42u);
  EXPECT_NE(hashWithRelocation(42, Reloc::PIC_), 42u);
  EXPECT_NE(hashWithRelocation(42, Reloc::PIC_), hashWithRelocation(43, Reloc::PIC_));
}

class RelocationMeasurementTest : public ::testing::Test {
protected:
  void SetUp() override {
    // Debian's clang-19 makes position-independent executables by default,
    // so its modules say "PIE Level" 2, as the packages' objects do.
    std::string source = std::string(OPTLM_SOURCE_DIR) + "/examples/programs/hashtable.c";
    Expected<std::unique_ptr<MemoryBuffer>> bitcode =
        sourceToBitcode(source, targetTriple(Target::X86_64));
    OPTLM_ASSERT_OK(bitcode);
    InputPath = Scratch.file("input.bc");
    std::error_code error;
    raw_fd_ostream stream(InputPath, error);
    ASSERT_FALSE(error);
    stream << (*bitcode)->getBuffer();
    stream.close();
    Expected<LoadedModule> loaded = loadModuleFor(InputPath, Target::X86_64);
    OPTLM_ASSERT_OK(loaded);
    Loaded = std::move(*loaded);
    ASSERT_EQ(relocationModelFor(*Loaded.module, Relocation::AsCompiled), Reloc::PIC_);
  }

  /// .text + .data of `opt-19 -relocation-model=MODEL -p Oz | llc-19
  /// -relocation-model=MODEL` (`opt` with the target's default relocation
  /// model when `optimizerToo` is false).
  uint64_t toolSize(StringRef model, bool optimizerToo = true) {
    return toolSizeOf(InputPath, model, optimizerToo);
  }

  uint64_t toolSizeOf(StringRef input, StringRef model, bool optimizerToo = true) {
    std::string optimized = Scratch.file("oz.bc"),
                object = Scratch.file(("oz-" + model + ".o").str()),
                sizes = Scratch.file("sizes.txt");
    auto run = [](StringRef program, std::vector<StringRef> argv, StringRef out) {
      argv.insert(argv.begin(), program);
      std::optional<StringRef> redirects[] = {StringRef(""), out, StringRef("")};
      return sys::ExecuteAndWait(program, argv, std::nullopt, redirects, 300);
    };
    std::string ozText = Pipeline::level(OptLevel::Oz).text();
    std::string relocation = ("-relocation-model=" + model).str();
    std::vector<StringRef> optArguments = {"-p", ozText, input, "-o", optimized};
    if (optimizerToo)
      optArguments.insert(optArguments.begin(), relocation);
    EXPECT_EQ(run(OPTLM_OPT_PATH, optArguments, ""), 0);
    EXPECT_EQ(run(OPTLM_LLC_PATH, {"-filetype=obj", relocation, optimized, "-o", object}, ""), 0);
    EXPECT_EQ(run(OPTLM_LLVM_SIZE_PATH, {"--format=berkeley", object}, sizes), 0);
    std::istringstream rows(optlm::testing::readFile(sizes));
    std::string header;
    std::getline(rows, header);
    uint64_t text = 0, data = 0;
    rows >> text >> data;
    return text + data;
  }

  uint64_t poolSize(Relocation relocation, EvaluationCache &cache) {
    EvaluationPoolOptions options;
    options.jobs = 1;
    options.relocation = relocation;
    EvaluationPool pool(*Loaded.module, options, &cache);
    std::vector<EvaluationResult> results =
        pool.evaluate({Pipeline::level(OptLevel::Oz)}, Target::X86_64);
    EXPECT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, Outcome::Ok) << results[0].message;
    return results[0].measurement ? results[0].measurement->binarySize : 0;
  }

  optlm::testing::TemporaryFolder Scratch;
  std::string InputPath;
  LoadedModule Loaded;
};

TEST_F(RelocationMeasurementTest, SizesEqualLlcsWithTheSameRelocationModel) {
  const uint64_t staticSize = toolSize("static"), picSize = toolSize("pic");
  // The program reaches globals, which position-independent code does
  // through other instructions: the two ways must differ to test anything.
  ASSERT_NE(staticSize, picSize);

  for (auto [relocation, expected] : {std::pair(Relocation::LlcDefault, staticSize),
                                      std::pair(Relocation::AsCompiled, picSize)}) {
    const std::optional<Reloc::Model> model = relocationModelFor(*Loaded.module, relocation);
    Expected<OptimizedModule> optimized =
        optimizeModule(*Loaded.module, Pipeline::level(OptLevel::Oz), Target::X86_64, model);
    OPTLM_ASSERT_OK(optimized);
    EvaluationResult result =
        measureOptimized(std::move(*optimized), Target::X86_64, "default<Oz>", model);
    ASSERT_EQ(result.outcome, Outcome::Ok) << result.message;
    EXPECT_EQ(result.measurement->binarySize, expected);
  }
}

// Callers that hashed the module already (optlm cc's unit) hand the hash to
// the pool instead of printing the module again: the two must agree, or
// the cache and the store would key one module two ways.
TEST_F(RelocationMeasurementTest, ThePoolsHashIsModuleHashWithRelocation) {
  for (Relocation relocation : {Relocation::LlcDefault, Relocation::AsCompiled}) {
    EvaluationPoolOptions options;
    options.jobs = 1;
    options.relocation = relocation;
    EvaluationPool hashing(*Loaded.module, options);
    EXPECT_EQ(hashing.moduleHash(), moduleHashWithRelocation(*Loaded.module, relocation));
    options.knownModuleHash = 1234;
    EvaluationPool told(*Loaded.module, options);
    EXPECT_EQ(told.moduleHash(), 1234u);
  }
  EXPECT_NE(moduleHashWithRelocation(*Loaded.module, Relocation::LlcDefault),
            moduleHashWithRelocation(*Loaded.module, Relocation::AsCompiled));
}

// Clang's passes see the relocation model its code generator will use, and
// some decide by it: for position-independent code a switch's table of
// string pointers becomes a table of offsets (rel-lookup-table-converter),
// smaller and without relocations. Measured with opt's static target
// machine instead, the table stays in .data.rel.ro and -Oz looks larger
// than the build's own -Oz object (an lz4 object came out larger than its
// -Oz build's that way).
TEST_F(RelocationMeasurementTest, ThePassesSeeTheRelocationModelAsClangsDo) {
  const std::string source = Scratch.file("names.c");
  {
    std::error_code error;
    raw_fd_ostream stream(source, error);
    ASSERT_FALSE(error);
    stream << "const char *name(int i) {\n"
              "  switch (i) {\n"
              "  case 0: return \"zero\"; case 1: return \"one\"; case 2: return \"two\";\n"
              "  case 3: return \"three\"; case 4: return \"four\"; case 5: return \"five\";\n"
              "  case 6: return \"six\"; default: return \"many\";\n"
              "  }\n"
              "}\n";
  }
  Expected<std::unique_ptr<MemoryBuffer>> bitcode =
      sourceToBitcode(source, targetTriple(Target::X86_64));
  OPTLM_ASSERT_OK(bitcode);
  const std::string input = Scratch.file("names.bc");
  {
    std::error_code error;
    raw_fd_ostream stream(input, error);
    ASSERT_FALSE(error);
    stream << (*bitcode)->getBuffer();
  }
  Expected<LoadedModule> names = loadModuleFor(input, Target::X86_64);
  OPTLM_ASSERT_OK(names);
  ASSERT_EQ(relocationModelFor(*names->module, Relocation::AsCompiled), Reloc::PIC_);
  const uint64_t asClang = toolSizeOf(input, "pic"),
                 staticPasses = toolSizeOf(input, "pic", /*optimizerToo=*/false);
  ASSERT_LT(asClang, staticPasses);

  // The build's own compiler agrees.
  const std::string object = Scratch.file("names.o"), sizes = Scratch.file("names.txt");
  std::optional<StringRef> redirects[] = {StringRef(""), StringRef(sizes), StringRef("")};
  ASSERT_EQ(
      sys::ExecuteAndWait(OPTLM_CLANG_PATH, {OPTLM_CLANG_PATH, "-c", "-Oz", source, "-o", object}),
      0);
  ASSERT_EQ(sys::ExecuteAndWait(OPTLM_LLVM_SIZE_PATH,
                                {OPTLM_LLVM_SIZE_PATH, "--format=berkeley", object}, std::nullopt,
                                redirects),
            0);
  std::istringstream rows(optlm::testing::readFile(sizes));
  std::string header;
  std::getline(rows, header);
  uint64_t text = 0, data = 0;
  rows >> text >> data;
  EXPECT_EQ(text + data, asClang);

  EvaluationPoolOptions options;
  options.jobs = 1;
  options.relocation = Relocation::AsCompiled;
  EvaluationPool pool(*names->module, options);
  std::vector<EvaluationResult> results =
      pool.evaluate({Pipeline::level(OptLevel::Oz)}, Target::X86_64);
  ASSERT_EQ(results[0].outcome, Outcome::Ok) << results[0].message;
  EXPECT_EQ(results[0].measurement->binarySize, asClang);
}

TEST_F(RelocationMeasurementTest, ASharedCacheKeepsTheTwoWaysApart) {
  EvaluationCache cache;
  const uint64_t staticSize = poolSize(Relocation::LlcDefault, cache);
  const uint64_t picSize = poolSize(Relocation::AsCompiled, cache);
  EXPECT_EQ(staticSize, toolSize("static"));
  EXPECT_EQ(picSize, toolSize("pic"));
  // Asked again, each way answers from the cache with its own size.
  EXPECT_EQ(poolSize(Relocation::LlcDefault, cache), staticSize);
  EXPECT_EQ(poolSize(Relocation::AsCompiled, cache), picSize);
  EXPECT_GE(cache.statistics().resultHits, 2u);
}

} // namespace
