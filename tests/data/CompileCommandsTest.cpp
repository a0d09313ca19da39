//===- CompileCommandsTest.cpp - what survives from a build's command -----===//
#include "data/CompileCommands.h"

#include "TestSupport.h"
#include "testing/Testing.h"

#include <algorithm>

using namespace optlm::data;
using optlm::data::testing::succeeded;

namespace {

bool contains(const std::vector<std::string> &arguments, llvm::StringRef argument) {
  return std::find(arguments.begin(), arguments.end(), argument) != arguments.end();
}

} // namespace

TEST(DataCompileCommands, ParsesArgumentsAndCommandForms) {
  auto commands = parseCompileCommands(R"([
    {"directory": "/build", "file": "a.c", "arguments": ["gcc", "-Iinc", "-c", "a.c"]},
    {"directory": "/build", "file": "/src/b.c",
     "command": "cc -DNAME=\"two words\" -o b.o -c /src/b.c"}])");
  OPTLM_ASSERT_OK(commands);
  ASSERT_EQ(commands->size(), 2u);
  EXPECT_EQ((*commands)[0].sourcePath(), "/build/a.c");
  EXPECT_EQ((*commands)[1].sourcePath(), "/src/b.c");
  EXPECT_EQ((*commands)[1].arguments[1], "-DNAME=two words");
}

TEST(DataCompileCommands, MalformedDatabasesAreErrors) {
  for (const char *json :
       {"", "{}", "[1]", R"([{"directory": "/d"}])", R"([{"directory": "/d", "file": "a.c"}])",
        R"([{"directory": "/d", "file": "a.c", "arguments": [1]}])",
        R"([{"directory": "/d", "file": "a.c", "arguments": []}])"})
    EXPECT_FALSE(succeeded(parseCompileCommands(json))) << json;
}

TEST(DataCompileCommands, KeepsProgramFlagsAndReplacesOutputFlags) {
  CompileCommand command;
  command.directory = "/build";
  command.file = "a.c";
  command.arguments = {"/usr/bin/gcc",
                       "-DX=1",
                       "-Iinclude",
                       "-isystem",
                       "/opt/inc",
                       "-std=c11",
                       "-O2",
                       "-g",
                       "-gdwarf-4",
                       "-MD",
                       "-MT",
                       "a.o",
                       "-MF",
                       "a.d",
                       "-march=native",
                       "-flto=thin",
                       "-fsanitize=address",
                       "-Werror",
                       "-o",
                       "a.o",
                       "-c",
                       "a.c"};
  auto arguments = irExtractionArguments(command, "x86_64-unknown-linux-gnu", "/tmp/out.bc");
  for (const char *kept : {"-DX=1", "-Iinclude", "-isystem", "/opt/inc", "-std=c11", "a.c"})
    EXPECT_TRUE(contains(arguments, kept)) << kept;
  for (const char *dropped :
       {"/usr/bin/gcc", "-O2", "-g", "-gdwarf-4", "-MD", "a.d", "-march=native", "-flto=thin",
        "-fsanitize=address", "-Werror", "a.o"})
    EXPECT_FALSE(contains(arguments, dropped)) << dropped;
  // The recipe comes last, exactly once.
  const std::vector<std::string> recipe = {"-Oz", "-Xclang", "-disable-llvm-passes", "-emit-llvm",
                                           "-c",  "-o",      "/tmp/out.bc"};
  ASSERT_GE(arguments.size(), recipe.size());
  EXPECT_EQ(std::vector<std::string>(arguments.end() - recipe.size(), arguments.end()), recipe);
  EXPECT_EQ(std::count(arguments.begin(), arguments.end(), "-c"), 1);
  EXPECT_EQ(std::count(arguments.begin(), arguments.end(), "-o"), 1);
  EXPECT_TRUE(contains(arguments, "x86_64-unknown-linux-gnu"));
}

TEST(DataCompileCommands, AArch64UsesTheCrossSysroot) {
  CompileCommand command{"/build", "a.c", {"cc", "-c", "a.c"}};
  auto arguments = irExtractionArguments(command, "aarch64-unknown-linux-gnu", "out.bc");
  EXPECT_TRUE(contains(arguments, "--sysroot=/usr/aarch64-linux-gnu"));
  EXPECT_TRUE(contains(arguments, "aarch64-unknown-linux-gnu"));
}
