//===- TargetRunner.cpp - run a target's programs on this host ------------===//
#include "verify/TargetRunner.h"

#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

namespace optlm::verify {

llvm::Expected<TargetRunner> targetRunner(Target target) {
  llvm::Triple host(llvm::sys::getProcessTriple());
  llvm::Triple wanted(targetTriple(target));
  TargetRunner runner;
  if (host.getArch() == wanted.getArch())
    return runner;
  const std::string arch = wanted.getArchName().str();
  const std::string emulatorName = "qemu-" + arch;
  llvm::ErrorOr<std::string> emulator = llvm::sys::findProgramByName(emulatorName);
  if (!emulator)
    return llvm::createStringError(
        llvm::errc::not_supported,
        "cannot run " + arch + " programs on this " + host.getArchName() +
            " host: " + emulatorName +
            " is not installed (apt-get install qemu-user), or verify with "
            "--target " +
            host.getArchName());
  const std::string sysroot = "/usr/" + arch + "-linux-gnu";
  if (!llvm::sys::fs::is_directory(sysroot + "/lib"))
    return llvm::createStringError(
        llvm::errc::not_supported,
        "cannot run " + arch + " programs: no " + arch + " C library in " + sysroot +
            " (apt-get install libc6-dev-arm64-cross libgcc-12-dev-arm64-cross)");
  runner.emulator = *emulator;
  runner.emulatorArguments = {"-L", sysroot};
  runner.linkArguments = {"-fuse-ld=lld"};
  return runner;
}

} // namespace optlm::verify
