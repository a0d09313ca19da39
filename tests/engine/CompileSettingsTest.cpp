//===- CompileSettingsTest.cpp - measuring code as a build's clang makes it ===//
//
// `optlm cc` measures candidates as clang compiles the module: the
// relocation model the module was compiled for (position-independent for
// clang's default PIE and -fPIC) in its passes and its code generator, and
// clang's pass builder tuning (SLP vectorization), while everything else
// measures as opt-19 and llc-19 do by default (static, no SLP). -Oz sizes
// must equal opt-19's and llc-19's, or clang's own -Oz object's, and caches
// shared between the two ways must never hand one's size to the other.
//
//===----------------------------------------------------------------------===//
#include "codegen/CompileSettings.h"
#include "engine/EvaluationPool.h"
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"
#include "ir/SourceCompiler.h"
#include "testing/Testing.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

using namespace llvm;
using namespace optlm;

namespace {

TEST(CompileSettingsTest, ClangFollowsTheModulesPicAndPieLevels) {
  LLVMContext context;
  Module plain("plain", context), pic("pic", context), pie("pie", context);
  pic.setPICLevel(PICLevel::BigPIC);
  pie.setPICLevel(PICLevel::BigPIC);
  pie.setPIELevel(PIELevel::Large);

  EXPECT_EQ(compileSettingsFor(pic, CompileAs::OptAndLlc), CompileSettings());
  EXPECT_EQ(compileSettingsFor(plain, CompileAs::Clang).relocation, Reloc::Static);
  EXPECT_EQ(compileSettingsFor(pic, CompileAs::Clang).relocation, Reloc::PIC_);
  EXPECT_EQ(compileSettingsFor(pie, CompileAs::Clang).relocation, Reloc::PIC_);
  EXPECT_TRUE(compileSettingsFor(plain, CompileAs::Clang).clangOzPipeline);
}

TEST(CompileSettingsTest, OnlyOptsAndLlcsDefaultsKeepTheHash) {
  // Static code is llc's default on both targets: the same key.
  EXPECT_EQ(hashWithSettings(42, {}), 42u);
  EXPECT_EQ(hashWithSettings(42, {Reloc::Static, false}), 42u);
  const CompileSettings others[] = {
      {Reloc::PIC_, false}, {Reloc::Static, true}, {Reloc::PIC_, true}};
  std::set<uint64_t> keys = {42};
  for (const CompileSettings &settings : others) {
    EXPECT_TRUE(keys.insert(hashWithSettings(42, settings)).second);
    EXPECT_NE(hashWithSettings(42, settings), hashWithSettings(43, settings));
  }
}

class CompileSettingsMeasurementTest : public ::testing::Test {
protected:
  void SetUp() override {
    // Debian's clang-19 makes position-independent executables by default,
    // so its modules say "PIE Level" 2, as the packages' objects do.
    SourcePath = std::string(OPTLM_SOURCE_DIR) + "/examples/programs/hashtable.c";
    Expected<std::unique_ptr<MemoryBuffer>> bitcode =
        sourceToBitcode(SourcePath, targetTriple(Target::X86_64));
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
    ASSERT_EQ(compileSettingsFor(*Loaded.module, CompileAs::Clang).relocation, Reloc::PIC_);
  }

  /// .text + .data of `opt-19 -relocation-model=MODEL -p Oz | llc-19
  /// -relocation-model=MODEL` (`opt` with the target's default relocation
  /// model when `optimizerToo` is false).
  uint64_t toolSize(StringRef model, bool optimizerToo = true) {
    return toolSizeOf(InputPath, model, optimizerToo);
  }

  uint64_t toolSizeOf(StringRef input, StringRef model, bool optimizerToo = true) {
    std::string optimized = Scratch.file("oz.bc"),
                object = Scratch.file(("oz-" + model + ".o").str());
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
    return objectSize(object);
  }

  /// .text + .data of `clang-19 -c -Oz SOURCE`: the build's own object.
  uint64_t clangOzSize(StringRef source) {
    const std::string object = Scratch.file("clang.o");
    EXPECT_EQ(sys::ExecuteAndWait(OPTLM_CLANG_PATH,
                                  {OPTLM_CLANG_PATH, "-c", "-Oz", source, "-o", object}),
              0);
    return objectSize(object);
  }

  /// .text + .data of an object, as `llvm-size --format=berkeley` counts.
  uint64_t objectSize(StringRef object) {
    const std::string sizes = Scratch.file("sizes.txt");
    std::optional<StringRef> redirects[] = {StringRef(""), StringRef(sizes), StringRef("")};
    EXPECT_EQ(sys::ExecuteAndWait(OPTLM_LLVM_SIZE_PATH,
                                  {OPTLM_LLVM_SIZE_PATH, "--format=berkeley", object}, std::nullopt,
                                  redirects),
              0);
    std::istringstream rows(optlm::testing::readFile(sizes));
    std::string header;
    std::getline(rows, header);
    uint64_t text = 0, data = 0;
    rows >> text >> data;
    return text + data;
  }

  /// -Oz's size for `module`, measured in a pool as `compileAs` compiles.
  uint64_t poolOzSize(const Module &module, CompileAs compileAs, EvaluationCache *cache = nullptr) {
    EvaluationPoolOptions options;
    options.jobs = 1;
    options.compileAs = compileAs;
    EvaluationPool pool(module, options, cache);
    std::vector<EvaluationResult> results =
        pool.evaluate({Pipeline::level(OptLevel::Oz)}, Target::X86_64);
    EXPECT_EQ(results[0].outcome, Outcome::Ok) << results[0].message;
    return results[0].measurement ? results[0].measurement->binarySize : 0;
  }

  /// A C file with `text` at NAME (its path in `source`), compiled to
  /// bitcode as optlm cc sees it (its path in `input`), and loaded.
  LoadedModule compiledSource(StringRef name, StringRef text, std::string &source,
                              std::string &input) {
    source = Scratch.file(name);
    {
      std::error_code error;
      raw_fd_ostream stream(source, error);
      EXPECT_FALSE(error);
      stream << text;
    }
    Expected<std::unique_ptr<MemoryBuffer>> bitcode =
        sourceToBitcode(source, targetTriple(Target::X86_64));
    if (!bitcode) {
      ADD_FAILURE() << toString(bitcode.takeError());
      return {};
    }
    input = Scratch.file((name + ".bc").str());
    {
      std::error_code error;
      raw_fd_ostream stream(input, error);
      EXPECT_FALSE(error);
      stream << (*bitcode)->getBuffer();
    }
    Expected<LoadedModule> loaded = loadModuleFor(input, Target::X86_64);
    if (!loaded) {
      ADD_FAILURE() << toString(loaded.takeError());
      return {};
    }
    return std::move(*loaded);
  }

  optlm::testing::TemporaryFolder Scratch;
  std::string SourcePath;
  std::string InputPath;
  LoadedModule Loaded;
};

TEST_F(CompileSettingsMeasurementTest, OzSizesEqualLlcsOrClangs) {
  const uint64_t staticSize = toolSize("static"), picSize = toolSize("pic");
  // The program reaches globals, which position-independent code does
  // through other instructions: the two ways must differ to test anything.
  ASSERT_NE(staticSize, picSize);

  for (auto [compileAs, expected] : {std::pair(CompileAs::OptAndLlc, staticSize),
                                     std::pair(CompileAs::Clang, clangOzSize(SourcePath))}) {
    const CompileSettings settings = compileSettingsFor(*Loaded.module, compileAs);
    Expected<OptimizedModule> optimized =
        optimizeModule(*Loaded.module, Pipeline::level(OptLevel::Oz), Target::X86_64, settings);
    OPTLM_ASSERT_OK(optimized);
    EvaluationResult result =
        measureOptimized(std::move(*optimized), Target::X86_64, "default<Oz>", settings.relocation);
    ASSERT_EQ(result.outcome, Outcome::Ok) << result.message;
    EXPECT_EQ(result.measurement->binarySize, expected);
  }
}

// Callers that hashed the module already (optlm cc's unit) hand the hash to
// the pool instead of printing the module again: the two must agree, or
// the cache and the store would key one module two ways.
TEST_F(CompileSettingsMeasurementTest, ThePoolsHashIsModuleHashCompiledAs) {
  for (CompileAs compileAs : {CompileAs::OptAndLlc, CompileAs::Clang}) {
    EvaluationPoolOptions options;
    options.jobs = 1;
    options.compileAs = compileAs;
    EvaluationPool hashing(*Loaded.module, options);
    EXPECT_EQ(hashing.moduleHash(), moduleHashCompiledAs(*Loaded.module, compileAs));
    options.knownModuleHash = 1234;
    EvaluationPool told(*Loaded.module, options);
    EXPECT_EQ(told.moduleHash(), 1234u);
  }
  EXPECT_NE(moduleHashCompiledAs(*Loaded.module, CompileAs::OptAndLlc),
            moduleHashCompiledAs(*Loaded.module, CompileAs::Clang));
}

// Clang's passes see the relocation model its code generator will use, and
// some decide by it: for position-independent code a switch's table of
// string pointers becomes a table of offsets (rel-lookup-table-converter),
// smaller and without relocations. Measured with opt's static target
// machine instead, the table stays in .data.rel.ro and -Oz looks larger
// than the build's own -Oz object (an lz4 object came out larger than its
// -Oz build's that way).
TEST_F(CompileSettingsMeasurementTest, ThePassesSeeTheRelocationModelAsClangsDo) {
  std::string source, input;
  LoadedModule names = compiledSource(
      "names.c",
      "const char *name(int i) {\n"
      "  switch (i) {\n"
      "  case 0: return \"zero\"; case 1: return \"one\"; case 2: return \"two\";\n"
      "  case 3: return \"three\"; case 4: return \"four\"; case 5: return \"five\";\n"
      "  case 6: return \"six\"; default: return \"many\";\n"
      "  }\n"
      "}\n",
      source, input);
  ASSERT_TRUE(names.module);
  ASSERT_EQ(compileSettingsFor(*names.module, CompileAs::Clang).relocation, Reloc::PIC_);
  const uint64_t asClang = toolSizeOf(input, "pic"),
                 staticPasses = toolSizeOf(input, "pic", /*optimizerToo=*/false);
  ASSERT_LT(asClang, staticPasses);
  // The build's own compiler agrees.
  EXPECT_EQ(clangOzSize(source), asClang);

  EXPECT_EQ(poolOzSize(*names.module, CompileAs::Clang), asClang);
}

// Clang turns the SLP vectorizer on at -Oz, opt's default<Oz> leaves it
// off: four adjacent additions become one vector addition in clang's -Oz
// object only. Measured as opt's default<Oz>, -Oz looked larger than the
// build's own -Oz object (an expat object came out 337 B larger than its
// -Oz build's that way).
TEST_F(CompileSettingsMeasurementTest, TheOzPipelineVectorizesAsClangsDoes) {
  std::string source, input;
  LoadedModule adds = compiledSource("add4.c",
                                     "void add4(int *restrict a, const int *restrict b) {\n"
                                     "  a[0] += b[0]; a[1] += b[1]; a[2] += b[2]; a[3] += b[3];\n"
                                     "}\n",
                                     source, input);
  ASSERT_TRUE(adds.module);
  const uint64_t clangs = clangOzSize(source), opts = toolSizeOf(input, "pic");
  // Without the vectorizer the code differs, or this tests nothing.
  ASSERT_NE(clangs, opts);
  EXPECT_EQ(poolOzSize(*adds.module, CompileAs::Clang), clangs);
  // -Oz as one element of a longer pipeline, or nested as a part's plan
  // names it (pipeline/PartPipelines.h), is clang's too.
  EvaluationPoolOptions options;
  options.jobs = 1;
  options.compileAs = CompileAs::Clang;
  EvaluationPool pool(*adds.module, options);
  for (StringRef text : {"default<Oz>,globaldce", "module(default<Oz>)"}) {
    EvaluationResult result = pool.evaluateText(text, Target::X86_64);
    ASSERT_EQ(result.outcome, Outcome::Ok) << text.str() << ": " << result.message;
    EXPECT_EQ(result.measurement->binarySize, clangs) << text.str();
  }
  EXPECT_EQ(poolOzSize(*adds.module, CompileAs::OptAndLlc), toolSizeOf(input, "static"));
}

TEST_F(CompileSettingsMeasurementTest, ASharedCacheKeepsTheTwoWaysApart) {
  EvaluationCache cache;
  const uint64_t staticSize = poolOzSize(*Loaded.module, CompileAs::OptAndLlc, &cache);
  const uint64_t picSize = poolOzSize(*Loaded.module, CompileAs::Clang, &cache);
  EXPECT_EQ(staticSize, toolSize("static"));
  EXPECT_EQ(picSize, clangOzSize(SourcePath));
  // Asked again, each way answers from the cache with its own size.
  EXPECT_EQ(poolOzSize(*Loaded.module, CompileAs::OptAndLlc, &cache), staticSize);
  EXPECT_EQ(poolOzSize(*Loaded.module, CompileAs::Clang, &cache), picSize);
  EXPECT_GE(cache.statistics().resultHits, 2u);
}

} // namespace
