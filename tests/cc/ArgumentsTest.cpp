//===- ArgumentsTest.cpp - which command lines optlm cc takes over --------===//
#include "cc/Arguments.h"
#include "cc/BuildLog.h"
#include "cc/ClangProcess.h"
#include "cc/Settings.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

using namespace optlm::cc;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

Invocation cc(std::vector<std::string> arguments) { return classify(arguments, Personality::C); }

std::string joined(const std::vector<std::string> &arguments) {
  std::string text;
  for (const std::string &argument : arguments)
    text += (text.empty() ? "" : " ") + argument;
  return text;
}

TEST(CcArguments, ACompileOfCSourcesIsTakenOver) {
  Invocation invocation = cc({"-O2", "-Iinclude", "-DX=1", "-c", "src/a.c", "-o", "obj/a.o"});
  EXPECT_EQ(invocation.action, Action::Compile) << invocation.reason;
  ASSERT_EQ(invocation.sources.size(), 1u);
  EXPECT_EQ(invocation.sources[0].path, "src/a.c");
  EXPECT_FALSE(invocation.sources[0].cxx);
  EXPECT_EQ(objectPath(invocation, 0), "obj/a.o");
  EXPECT_EQ(*invocation.optLevel, "2");

  Invocation several = cc({"-c", "a.c", "dir/b.cpp", "-I", "inc.c"});
  EXPECT_EQ(several.action, Action::Compile) << several.reason;
  ASSERT_EQ(several.sources.size(), 2u); // inc.c is -I's value, not a source
  EXPECT_TRUE(several.sources[1].cxx);
  EXPECT_EQ(objectPath(several, 1), "b.o"); // in the working directory, as clang
}

TEST(CcArguments, TheCxxPersonalityCompilesCAsCxx) {
  Invocation invocation = classify({"-c", "a.c"}, Personality::Cxx);
  EXPECT_EQ(invocation.action, Action::Compile);
  EXPECT_TRUE(invocation.sources[0].cxx);
}

/// Everything that is not a plain compile to objects runs clang unchanged.
TEST(CcArguments, EverythingElsePassesThrough) {
  const std::map<std::string, std::vector<std::string>> cases = {
      {"link", {"a.o", "b.o", "-o", "prog"}},
      {"compile and link", {"a.c", "-o", "prog"}},
      {"preprocess", {"-E", "a.c"}},
      {"assembly", {"-S", "a.c"}},
      {"version", {"--version"}},
      {"dry run", {"-###", "-c", "a.c"}},
      {"verbose", {"-v", "-c", "a.c"}},
      {"assembler source", {"-c", "start.S"}},
      {"object input", {"-c", "a.c", "b.o"}},
      {"language", {"-x", "c", "-c", "a.txt"}},
      {"stdin", {"-c", "-", "-o", "a.o"}},
      {"lto", {"-flto=thin", "-c", "a.c"}},
      {"bitcode", {"-fembed-bitcode", "-c", "a.c"}},
      {"temps", {"-save-temps", "-c", "a.c"}},
      {"profile", {"-fprofile-instr-generate", "-c", "a.c"}},
      {"coverage", {"--coverage", "-c", "a.c"}},
      {"sanitizer", {"-fsanitize=address", "-c", "a.c"}},
      {"cc1 options", {"-Xclang", "-load", "-Xclang", "x.so", "-c", "a.c"}},
      {"llvm options", {"-mllvm", "-inline-threshold=0", "-c", "a.c"}},
      {"arch", {"-arch", "x86_64", "-arch", "arm64", "-c", "a.c"}},
      {"split dwarf", {"-gsplit-dwarf", "-c", "a.c"}},
      {"debug build", {"-g", "-O0", "-c", "a.c"}},
      {"several sources, one -o", {"-c", "a.c", "b.c", "-o", "x.o"}},
      {"object to stdout", {"-c", "a.c", "-o", "-"}},
      {"dependencies only", {"-M", "a.c"}},
      {"syntax only", {"-fsyntax-only", "a.c"}},
      {"unknown flag value", {"-c", "-frobnicate", "value", "a.c"}},
      {"depfile without its name", {"-c", "a.c", "-MF"}},
      {"depfile target without its name", {"-c", "a.c", "-MD", "-MT"}},
      {"include without its file", {"-c", "a.c", "-include"}},
      {"autoconf probe", {"-O2", "-c", "conftest.c"}},
      {"autoconf C++ probe", {"-O2", "-c", "conftest.cpp", "-o", "conftest.o"}},
      {"numbered autoconf probe", {"-O2", "-c", "conftest2.c"}},
      {"cmake compiler id", {"-c", "CMakeFiles/3.25.1/CompilerIdC/CMakeCCompilerId.c"}},
      {"cmake try_compile", {"-O2", "-c", "CMakeFiles/CMakeScratch/TryCompile-x/src.c"}},
      {"cmake old try_compile", {"-O2", "-c", "CMakeFiles/CMakeTmp/src.c"}},
      {"meson probe", {"-O2", "-c", "b/meson-private/tmpab12/testfile.c"}},
      {"meson check in /tmp",
       {"-c", "/tmp/tmpijkqknhn/testfile.cpp", "-o", "/tmp/tmpijkqknhn/output.obj"}}};
  for (const auto &[name, arguments] : cases) {
    Invocation invocation = cc(arguments);
    EXPECT_EQ(invocation.action, Action::PassThrough) << name << ": " << joined(arguments);
  }
  EXPECT_EQ(cc({"-flto", "-c", "a.c"}).reason, "-flto");
  // Its value would be the -Oz optlm appends to the frontend's arguments.
  EXPECT_EQ(cc({"-c", "a.c", "-MF"}).reason, "a flag without its value");
  EXPECT_TRUE(cc({"-c", "a.c", "-MF"}).compiles);
  EXPECT_EQ(cc({"-O0", "-c", "a.c"}).reason, "-O0");
  EXPECT_EQ(cc({"-O2", "-c", "conftest.c"}).reason, "a build system's probe");
  EXPECT_TRUE(cc({"-O2", "-c", "conftest.c"}).compiles);
  // A source of the project whose name only looks like one is the project's.
  EXPECT_EQ(cc({"-O2", "-c", "src/conftest_helpers.c"}).action, Action::Compile);
  EXPECT_EQ(cc({"-O2", "-c", "tests/testfile.c"}).action, Action::Compile);
  EXPECT_TRUE(cc({"-flto", "-c", "a.c"}).compiles);
  EXPECT_FALSE(cc({"a.o", "-o", "prog"}).compiles);
  EXPECT_EQ(cc({"a.o", "-o", "prog"}).reason, "");
}

/// The last -O level counts, as in clang: -O0 -O2 is an optimized build.
TEST(CcArguments, TheLastOptimizationLevelCounts) {
  EXPECT_EQ(cc({"-O0", "-O2", "-c", "a.c"}).action, Action::Compile);
  EXPECT_EQ(cc({"-O2", "-O0", "-c", "a.c"}).action, Action::PassThrough);
  Invocation none = cc({"-c", "a.c"});
  EXPECT_EQ(none.action, Action::Compile); // no level: tuned for size (docs/cc.md)
  EXPECT_FALSE(none.optLevel);
}

TEST(CcArguments, FlagsThatOnlyShapeTheProgramStay) {
  for (std::vector<std::string> arguments :
       {std::vector<std::string>{"-g", "-c", "a.c"},
        {"-fPIC", "-ffunction-sections", "-march=native", "-c", "a.c"},
        {"-std=c11", "-Wall", "-Werror", "-pedantic", "-c", "a.c"},
        {"-include", "config.h", "-isystem", "/opt/inc", "-c", "a.c"},
        {"-MD", "-MP", "-MF", "a.d", "-MT", "a.o", "-c", "a.c"},
        {"--target=x86_64-linux-gnu", "-c", "a.c"},
        {"-Wl,-z,now", "-c", "a.c"}}) {
    Invocation invocation = cc(arguments);
    EXPECT_EQ(invocation.action, Action::Compile) << joined(arguments) << ": " << invocation.reason;
  }
}

TEST(CcArguments, TheFrontendWritesBitcodeWhereTheDependencyFileExpectsTheObject) {
  Invocation invocation = cc({"-O2", "-MMD", "-c", "src/a.c", "-o", "obj/a.o"});
  EXPECT_EQ(joined(frontendArguments(invocation, 0, "/tmp/u.bc")),
            "-O2 -MMD -c src/a.c -o /tmp/u.bc -MF obj/a.d -MQ obj/a.o "
            "-Oz -Xclang -disable-llvm-passes -emit-llvm");
  // Without -o, clang names both after the source, in the working directory.
  Invocation several = cc({"-MD", "-c", "x/a.c", "y/b.c"});
  EXPECT_EQ(joined(frontendArguments(several, 1, "/tmp/u.bc")),
            "-MD -c y/b.c -o /tmp/u.bc -MF b.d -MQ b.o "
            "-Oz -Xclang -disable-llvm-passes -emit-llvm");
  // Names the build gave are the build's.
  Invocation named = cc({"-MD", "-MF", "deps/a.d", "-MT", "target", "-c", "a.c", "-o", "a.o"});
  EXPECT_EQ(joined(frontendArguments(named, 0, "u.bc")),
            "-MD -MF deps/a.d -MT target -c a.c -o u.bc "
            "-Oz -Xclang -disable-llvm-passes -emit-llvm");
}

// Capture for another target runs the frontend again with the same program
// flags; the build's depfile and machine options stay the build's.
TEST(CcArguments, CrossCaptureDropsDepfilesAndMachineOptions) {
  Invocation invocation =
      cc({"-O2", "-march=native", "-msse4.2", "-m64", "-Iinc", "-DX=1", "-MD", "-MF", "deps/a.d",
          "-MT", "t", "-Wp,-MD,x.d", "-target", "x86_64-linux-gnu", "-c", "a.c", "-o", "a.o"});
  EXPECT_EQ(joined(crossCaptureArguments(invocation, 0, "u.bc", "aarch64-unknown-linux-gnu")),
            "-O2 -Iinc -DX=1 -c a.c -o u.bc -Oz -Xclang -disable-llvm-passes -emit-llvm "
            "--target=aarch64-unknown-linux-gnu -w");
  // The dependency-file options frontendArguments adds go too.
  Invocation unnamed = cc({"-MMD", "--target=x86_64-linux-gnu", "-c", "src/b.c", "-o", "b.o"});
  EXPECT_EQ(joined(crossCaptureArguments(unnamed, 0, "v.bc", "aarch64-unknown-linux-gnu")),
            "-c src/b.c -o v.bc -Oz -Xclang -disable-llvm-passes -emit-llvm "
            "--target=aarch64-unknown-linux-gnu -w");
}

TEST(CcArguments, CodeGenerationKeepsTheProgramShapingFlags) {
  Invocation invocation =
      cc({"-O2", "-g", "-fPIC", "-Iinc", "-DX", "-MD", "-MF", "a.d", "-c", "a.c", "-o", "a.o"});
  EXPECT_EQ(joined(codegenArguments(invocation, "opt.bc", "a.o.tmp", "x86_64-pc-linux-gnu",
                                    /*runOz=*/false)),
            "-fPIC -Iinc -DX -target x86_64-pc-linux-gnu -Qunused-arguments "
            "-Wno-override-module -Oz -Xclang -disable-llvm-passes -c opt.bc -o a.o.tmp");
  EXPECT_EQ(joined(codegenArguments(invocation, "u.bc", "a.o.tmp", "x86_64-pc-linux-gnu",
                                    /*runOz=*/true)),
            "-fPIC -Iinc -DX -target x86_64-pc-linux-gnu -Qunused-arguments "
            "-Wno-override-module -Oz -c u.bc -o a.o.tmp");
}

TEST(CcArguments, ResponseFilesAreExpanded) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("optlm-cc-test", "rsp", path));
  {
    std::error_code error;
    llvm::raw_fd_ostream out(path, error);
    out << "-O2 -c \"src/a b.c\" -o obj/a.o\n";
  }
  Invocation invocation = cc({"@" + std::string(path)});
  llvm::sys::fs::remove(path);
  EXPECT_EQ(invocation.action, Action::Compile) << invocation.reason;
  ASSERT_EQ(invocation.sources.size(), 1u);
  EXPECT_EQ(invocation.sources[0].path, "src/a b.c");
  EXPECT_EQ(objectPath(invocation, 0), "obj/a.o");

  Invocation missing = cc({"@/nonexistent/optlm.rsp"});
  EXPECT_EQ(missing.action, Action::PassThrough);
}

// The build log names what went wrong, not the include stack before it.
TEST(CcClangProcess, TheLogKeepsTheFirstErrorLine) {
  EXPECT_EQ(firstErrorLine("In file included from socat.c:11:\n"
                           "In file included from ./xio.h:9:\n"
                           "./sysincludes.h:12:10: fatal error: 'sys/io.h' file not found\n"
                           "   12 | #include <sys/io.h>\n"),
            "./sysincludes.h:12:10: fatal error: 'sys/io.h' file not found");
  EXPECT_EQ(firstErrorLine("a.c:1:2: warning: unused\nb.c:3:4: error: expected ';'\n"),
            "b.c:3:4: error: expected ';'");
  EXPECT_EQ(firstErrorLine("clang-19: killed\nmore\n"), "clang-19: killed");
  EXPECT_EQ(firstErrorLine(""), "");
}

TEST(CcSettings, EnvironmentAndArgumentsArgumentsWin) {
  std::map<std::string, std::string> environment = {
      {"OPTLM_CC_MODE", "capture"}, {"OPTLM_CC_CORPUS", "/c"}, {"OPTLM_CC_BUDGET", "50"},
      {"OPTLM_CC_PACKAGE", "zlib"}, {"OPTLM_CC_LOG", "/l"},    {"OPTLM_CC_CHAINS", "known"},
      {"OPTLM_CC_PARTS", "off"}};
  auto lookup = [&](llvm::StringRef name) -> std::optional<std::string> {
    auto found = environment.find(name.str());
    if (found == environment.end())
      return std::nullopt;
    return found->second;
  };
  std::vector<std::string> arguments = {"-c", "--optlm-mode=tune", "a.c", "--optlm-store=s.db",
                                        "--optlm-chains=all"};
  Settings settings = readSettings(arguments, lookup);
  EXPECT_THAT(arguments, ElementsAre("-c", "a.c"));
  EXPECT_TRUE(settings.allChains);
  EXPECT_FALSE(settings.byParts);
  EXPECT_EQ(settings.mode, Mode::Tune);
  EXPECT_EQ(settings.storePath, "s.db");
  EXPECT_EQ(*settings.budget, 50u);
  EXPECT_EQ(settings.package, "zlib");
  EXPECT_EQ(settings.logPath, "/l");
  EXPECT_TRUE(settings.problems.empty());

  environment = {{"OPTLM_CC_MODE", "fast"},
                 {"OPTLM_CC_BUDGET", "many"},
                 {"OPTLM_CC_CHAINS", "some"},
                 {"OPTLM_CC_PARTS", "maybe"}};
  std::vector<std::string> none;
  Settings bad = readSettings(none, lookup);
  EXPECT_EQ(bad.mode, Mode::Tune);
  EXPECT_FALSE(bad.budget);
  EXPECT_FALSE(bad.allChains);
  EXPECT_TRUE(bad.byParts);
  EXPECT_EQ(bad.problems.size(), 4u);
  // Whole units or parts choose differently: a remembered decision holds
  // only for the same.
  Settings parts, whole;
  whole.byParts = false;
  EXPECT_NE(tuneFingerprint(parts), tuneFingerprint(whole));
}

TEST(CcBuildLog, RecordsAppendAndSummarise) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("optlm-cc-test", "log", path));
  UnitRecord tuned;
  tuned.source = "a.c";
  tuned.how = "store";
  tuned.pipeline = "module(function(sroa))";
  tuned.size = 90;
  tuned.ozSize = 100;
  UnitRecord oz;
  oz.source = "b.c";
  oz.how = "fallback";
  oz.reason = "optimization failed: crashed: SIGSEGV";
  oz.size = oz.ozSize = 50;
  UnitRecord failed;
  failed.how = "error";
  for (const UnitRecord &record : {tuned, oz, failed})
    ASSERT_FALSE(bool(appendRecord(path, record)));
  size_t skipped = 0;
  auto records = readLog(path, skipped);
  llvm::sys::fs::remove(path);
  ASSERT_TRUE(bool(records));
  ASSERT_EQ(records->size(), 3u);
  BuildSummary summary = summarize(*records);
  EXPECT_EQ(summary.units, 2u);
  EXPECT_EQ(summary.errors, 1u);
  EXPECT_EQ(summary.size, 140u);
  EXPECT_EQ(summary.ozSize, 150u);
  const std::string text = summaryText(summary);
  EXPECT_THAT(text, HasSubstr("140 bytes against 150 with -Oz (-6.67%)"));
  EXPECT_THAT(text, HasSubstr("fallback: optimization failed: crashed: SIGSEGV: 1"));
}

} // namespace
