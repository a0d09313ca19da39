//===- CcBench.cpp - a project built with optlm cc against clang-19 -Oz --===//
//
// optlm-bench-cc [--project DIR] [--jobs N] [--repeat R] [--mode tune|oz|capture]
//
// Copies a small make project (default: the bundled examples/programs, one
// unit each, with a generated Makefile; or DIR, whose Makefile honours CC and
// CFLAGS) into a temporary folder and times, R times over, in turn:
//   clang     make -jN CC=clang-19 CFLAGS="-O2 -Oz"
//   first     make -jN CC="optlm cc" CFLAGS=-O2, with a fresh store and object cache
//   rebuild   make clean; the same again, with the store and cache of "first"
//   launcher  make clean; the same with CC=optlm-cc, the launcher that
//             replays the rebuild without loading LLVM (cc/QuickDriver.h)
// and prints the median wall time of each and the ratios to clang, and the
// .text + .data of the objects each made (the last run's). The issue
// asks a rebuild to cost at most 1.3x clang. Run it on a quiet machine:
// other processes move the numbers.
//
//===----------------------------------------------------------------------===//
#include "codegen/ObjectSizes.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <vector>

using namespace llvm;

static cl::opt<std::string> ProjectDir("project",
                                       cl::desc("A make project (default: examples/programs)"),
                                       cl::value_desc("DIR"));
static cl::opt<unsigned> Jobs("jobs", cl::desc("make -j (default 2)"), cl::init(2));
static cl::opt<unsigned> Repeat("repeat", cl::desc("Runs of each build (default 3)"), cl::init(3));
static cl::opt<std::string> Mode("mode", cl::desc("OPTLM_CC_MODE (default tune)"),
                                 cl::init("tune"));

namespace {

int shell(const std::string &command) {
  std::vector<StringRef> argv = {"/bin/sh", "-c", command};
  return sys::ExecuteAndWait("/bin/sh", argv);
}

double timed(const std::string &command) {
  const auto start = std::chrono::steady_clock::now();
  if (int status = shell(command); status != 0) {
    errs() << "optlm-bench-cc: '" << command << "' failed with status " << status << "\n";
    std::exit(1);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// .text + .data of every object file under `directory`, as llvm-size
/// counts them: what a build made.
uint64_t objectBytes(const std::string &directory) {
  uint64_t total = 0;
  std::error_code error;
  for (sys::fs::recursive_directory_iterator it(directory, error), end; it != end && !error;
       it.increment(error)) {
    if (sys::path::extension(it->path()) != ".o")
      continue;
    ErrorOr<std::unique_ptr<MemoryBuffer>> bytes = MemoryBuffer::getFile(it->path());
    if (!bytes)
      continue;
    if (Expected<optlm::ObjectSizes> sizes = optlm::measureObjectSizes((*bytes)->getBuffer()))
      total += sizes->binarySize();
    else
      consumeError(sizes.takeError());
  }
  return total;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

/// The bundled programs as a make project: one object per program, linked
/// into nothing (their mains would clash); compiling is what is measured.
void writeBundledProject(StringRef directory) {
  std::error_code error;
  for (sys::fs::directory_iterator it(OPTLM_SOURCE_DIR "/examples/programs", error), end;
       it != end && !error; it.increment(error))
    if (sys::path::extension(it->path()) == ".c")
      sys::fs::copy_file(it->path(), (directory + "/" + sys::path::filename(it->path())).str());
  raw_fd_ostream makefile((directory + "/Makefile").str(), error);
  makefile << "SOURCES = $(wildcard *.c)\nOBJECTS = $(SOURCES:.c=.o)\n"
              "all: $(OBJECTS)\n%.o: %.c\n\t$(CC) $(CFLAGS) -MMD -c $< -o $@\n"
              "clean:\n\trm -f *.o *.d\n";
}

} // namespace

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "optlm cc against clang-19 -Oz on a make project\n");
  SmallString<128> work;
  if (sys::fs::createUniqueDirectory("optlm-bench-cc", work)) {
    errs() << "optlm-bench-cc: cannot create a temporary folder\n";
    return 1;
  }
  const std::string root(work);
  const std::string project = root + "/project";
  sys::fs::create_directories(project);
  if (ProjectDir.empty())
    writeBundledProject(project);
  else if (shell("cp -r '" + ProjectDir + "'/. '" + project + "'") != 0) {
    errs() << "optlm-bench-cc: cannot copy " << ProjectDir << "\n";
    return 1;
  }
  const std::string make =
      std::string(OPTLM_MAKE_PATH) + " -s -C '" + project + "' -j" + std::to_string(Jobs);
  const std::string clean = make + " clean >/dev/null";
  const std::string settings = "OPTLM_CC_MODE=" + Mode + " OPTLM_CC_STORE='" + root +
                               "/store.sqlite' OPTLM_CC_LOG='" + root + "/build.log' " +
                               "OPTLM_CC_CORPUS='" + root + "/corpus' ";
  const std::string optlm = make + " CC='" OPTLM_TOOL_PATH " cc' CFLAGS=-O2";
  const std::string launcher = make + " CC='" OPTLM_TOOL_PATH "-cc' CFLAGS=-O2";
  std::map<std::string, std::vector<double>> seconds;
  // The objects' bytes of each build (the last run's): the rebuilds must
  // make the first build's objects, and all are set against clang's.
  std::map<std::string, uint64_t> bytes;
  auto build = [&](const char *name, const std::string &command) {
    seconds[name].push_back(timed(command));
    bytes[name] = objectBytes(project);
  };
  for (unsigned run = 0; run < Repeat; ++run) {
    timed(clean);
    build("clang", make + " CC=clang-19 CFLAGS='-O2 -Oz'");
    timed(clean + "; rm -rf '" + root + "'/store.sqlite* '" + root + "'/corpus");
    build("first", settings + optlm);
    timed(clean);
    build("rebuild", settings + optlm);
    timed(clean);
    build("launcher", settings + launcher);
  }
  const double clang = median(seconds["clang"]);
  outs() << "project " << (ProjectDir.empty() ? "examples/programs" : ProjectDir.getValue())
         << ", make -j" << Jobs << ", mode " << Mode << ", median of " << Repeat << "\n";
  for (const char *name : {"clang", "first", "rebuild", "launcher"})
    outs() << format("  %-8s %7.2f s  %5.2fx  %9llu bytes (%+.2f%%)\n", name, median(seconds[name]),
                     median(seconds[name]) / clang, (unsigned long long)bytes[name],
                     bytes["clang"] ? 100.0 * (double(bytes[name]) - double(bytes["clang"])) /
                                          double(bytes["clang"])
                                    : 0.0);
  shell("rm -rf '" + root + "'");
  return 0;
}
