//===- CliTest.cpp - optlm size and optlm opt, end to end -----------------===//
//
// Runs the built optlm binary: good input gives the documented output, and
// every kind of bad input gives one line on stderr and exit status 2.
//
//===----------------------------------------------------------------------===//
#include "codegen/ObjectSizes.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>

using namespace llvm;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

struct ToolRun {
  int status = -1;
  std::string out, err;
};

std::string readFile(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : std::string();
}

class CliTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(sys::fs::createUniqueDirectory("optlm-cli-test", Scratch));
  }
  void TearDown() override { sys::fs::remove_directories(Scratch); }

  std::string file(StringRef name) const {
    SmallString<128> path(Scratch);
    sys::path::append(path, name);
    return std::string(path);
  }
  std::string write(StringRef name, StringRef contents) const {
    std::string path = file(name);
    std::error_code error;
    raw_fd_ostream stream(path, error);
    stream << contents;
    return path;
  }
  static std::string input(StringRef name) {
    return (Twine(OPTLM_TEST_INPUTS) + "/ir/" + name).str();
  }

  ToolRun optlm(std::vector<std::string> arguments) const {
    std::string outPath = file("stdout.txt"), errPath = file("stderr.txt");
    // The redirections do not truncate: a shorter output would keep the
    // tail of the previous one.
    sys::fs::remove(outPath);
    sys::fs::remove(errPath);
    std::vector<StringRef> argv = {OPTLM_TOOL_PATH};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    std::optional<StringRef> redirects[] = {StringRef(""), StringRef(outPath),
                                            StringRef(errPath)};
    ToolRun run;
    run.status = sys::ExecuteAndWait(OPTLM_TOOL_PATH, argv, std::nullopt, redirects,
                                     /*SecondsToWait=*/120);
    run.out = readFile(outPath);
    run.err = readFile(errPath);
    return run;
  }

  /// Exit status 2 and exactly one line, prefixed with the subcommand.
  void expectUsageError(std::vector<std::string> arguments, StringRef expected) const {
    ToolRun run = optlm(arguments);
    std::string command = "optlm";
    for (const std::string &argument : arguments)
      command += " " + argument;
    EXPECT_EQ(run.status, 2) << command << "\n" << run.err;
    EXPECT_THAT(run.err, StartsWith("optlm " + arguments.front() + ": error: ")) << command;
    EXPECT_THAT(run.err, HasSubstr(expected.str())) << command;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << command << "\n" << run.err;
    EXPECT_TRUE(run.out.empty()) << command;
  }

  std::string garbage(StringRef name) const {
    std::mt19937 generator(11);
    std::string bytes(600, '\0');
    for (char &byte : bytes)
      byte = static_cast<char>(generator() & 0xff);
    return write(name, bytes);
  }

  SmallString<128> Scratch;
};

TEST_F(CliTest, SizeJson) {
  ToolRun run = optlm({"size", input("tiny.c"), "-Oz", "--json"});
  ASSERT_EQ(run.status, 0) << run.err;
  nlohmann::json result = nlohmann::json::parse(run.out);
  EXPECT_EQ(result["outcome"], "ok");
  EXPECT_EQ(result["pipeline"], "module(default<Oz>)");
  EXPECT_EQ(result["target"], "x86_64-unknown-linux-gnu");
  uint64_t text = result["text_size"], data = result["data_size"];
  EXPECT_EQ(result["binary_size"], text + data);
  EXPECT_GT(result["sections"][".text"].get<uint64_t>(), 0u);
  EXPECT_EQ(result["function_count"], 1);
  EXPECT_GT(result["instruction_count"].get<uint64_t>(), 0u);
  EXPECT_GT(result["basic_block_count"].get<uint64_t>(), 0u);
  EXPECT_EQ(result["ir_hash"].get<std::string>().size(), 16u);
  EXPECT_TRUE(result.contains("bss_size"));
}

TEST_F(CliTest, SizeWithoutPipelineMeasuresTheInput) {
  ToolRun none = optlm({"size", input("sum.ll"), "--json"});
  ToolRun o0 = optlm({"size", input("sum.ll"), "-p", "-O0", "--json", "--target", "x86_64"});
  ASSERT_EQ(none.status, 0) << none.err;
  ASSERT_EQ(o0.status, 0) << o0.err;
  nlohmann::json a = nlohmann::json::parse(none.out), b = nlohmann::json::parse(o0.out);
  EXPECT_EQ(a["pipeline"], "module()");
  EXPECT_EQ(a["instruction_count"], 12);
  EXPECT_EQ(b["pipeline"], "module(default<O0>)");
}

/// A pipeline that crashes LLVM is a typed outcome and exit status 1: the
/// evaluation runs in a sandboxed child, so the tool itself lives on.
TEST_F(CliTest, SizeReportsACrashingPipelineAsAnOutcome) {
  ToolRun run = optlm({"size", OPTLM_SOURCE_DIR "/examples/programs/checksum.c", "-p",
                       "codegenprepare", "--json"});
  EXPECT_EQ(run.status, 1) << run.err;
  nlohmann::json result = nlohmann::json::parse(run.out);
  EXPECT_EQ(result["outcome"], "crash");
  EXPECT_FALSE(result.contains("binary_size"));
  EXPECT_THAT(run.err, HasSubstr("evaluation failed (crash)"));
}

TEST_F(CliTest, SizeHumanReadable) {
  ToolRun run = optlm({"size", input("sum.ll"), "-p", "sroa,instcombine", "--target", "aarch64"});
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("aarch64-unknown-linux-gnu"));
  EXPECT_THAT(run.out, HasSubstr("binary size"));
  EXPECT_THAT(run.out, HasSubstr(".text"));
  EXPECT_THAT(run.out, HasSubstr("instructions"));
}

TEST_F(CliTest, OptWritesEveryForm) {
  std::map<std::string, std::string> outputs;
  for (const char *extension : {".ll", ".bc", ".o", ".s"}) {
    std::string out = file(std::string("out") + extension);
    ToolRun run = optlm({"opt", input("sum.ll"), "-p", "default<Oz>", "-o", out});
    ASSERT_EQ(run.status, 0) << extension << ": " << run.err;
    outputs[extension] = readFile(out);
    EXPECT_FALSE(outputs[extension].empty()) << extension;
  }
  EXPECT_THAT(outputs[".ll"], HasSubstr("define dso_local i32 @sum"));
  EXPECT_THAT(outputs[".bc"], StartsWith("BC"));
  EXPECT_THAT(outputs[".s"], HasSubstr("sum:"));

  // The object is the one optlm size measures.
  Expected<optlm::ObjectSizes> sizes = optlm::measureObjectSizes(outputs[".o"]);
  ASSERT_TRUE(bool(sizes)) << toString(sizes.takeError());
  ToolRun size = optlm({"size", input("sum.ll"), "-Oz", "--json"});
  ASSERT_EQ(size.status, 0) << size.err;
  EXPECT_EQ(nlohmann::json::parse(size.out)["binary_size"], sizes->binarySize());

  // .ll output loads back and measures the same.
  ToolRun again = optlm({"size", file("out.ll"), "--json"});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["binary_size"], sizes->binarySize());
}

TEST_F(CliTest, BadInputIsAOneLineUsageError) {
  std::string garbageLl = garbage("garbage.ll");
  std::string garbageBc = garbage("garbage.bc");
  std::string textBc = write("text.bc", "define void @f() { ret void }\n");
  std::string emptyBc = write("empty.bc", "");
  std::string out = file("out.ll");
  for (const char *command : {"size", "opt"}) {
    auto args = [&](std::vector<std::string> rest) {
      std::vector<std::string> all = {command};
      all.insert(all.end(), rest.begin(), rest.end());
      if (StringRef(command) == "opt") {
        if (std::find(all.begin(), all.end(), "-p") == all.end())
          all.insert(all.end(), {"-p", "sroa"});
        all.insert(all.end(), {"-o", out});
      }
      return all;
    };
    expectUsageError(args({input("malformed.ll")}), "malformed.ll:3:3: malformed IR");
    expectUsageError(args({input("unverifiable.ll")}), "invalid IR");
    expectUsageError(args({garbageBc}), "malformed bitcode");
    expectUsageError(args({textBc}), "malformed bitcode");
    expectUsageError(args({garbageLl}), "malformed IR");
    expectUsageError(args({input("empty.ll")}), "empty file");
    expectUsageError(args({emptyBc}), "empty file");
    expectUsageError(args({input("no-such-file.ll")}), "cannot open");
    expectUsageError(args({OPTLM_TEST_INPUTS}), "is a directory");
    expectUsageError(args({input("broken.c")}), "clang failed");
    expectUsageError(args({write("notes.txt", "hello")}), "unsupported input kind");
    expectUsageError(args({input("sum.ll"), "-p", "no-such-pass"}), "no-such-pass");
    expectUsageError(args({input("sum.ll"), "-p", "function(sroa"}), "(");
    expectUsageError(args({input("sum.ll"), "-p", "sroa)"}), ")");
    expectUsageError(args({input("sum.ll"), "--target", "riscv64"}), "unknown target 'riscv64'");
    expectUsageError(args({input("sum.ll"), "--target", ""}), "unknown target");
    expectUsageError(args({input("sum.ll"), "-Ox"}), "");
  }
  expectUsageError({"size"}, "no input file");
  expectUsageError({"size", input("sum.ll"), "-p", "sroa", "-Oz"}, "not both");
  expectUsageError({"opt", input("sum.ll"), "-p", "sroa"}, "no output file");
  expectUsageError({"opt", input("sum.ll"), "-p", "sroa", "-o", file("out.exe")},
                   "cannot tell what to write to");
  expectUsageError({"opt", input("sum.ll"), "-o", out}, "give a pipeline");
}

TEST_F(CliTest, UnknownOptionIsAUsageError) {
  ToolRun run = optlm({"size", input("sum.ll"), "--no-such-option"});
  EXPECT_EQ(run.status, 2);
}

} // namespace
