//===- ServeProcess.h - run the real `optlm serve` in a test -------*- C++ -*-===//
//
// Starts the built optlm tool as `optlm serve --port 0 ...`, waits (bounded)
// for the address it prints on stdout, and stops it with SIGTERM on
// destruction, killing it only if it does not exit in time.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace optlm::lm::test {

class ServeProcess {
public:
  ~ServeProcess() {
    stop();
    if (!StdoutPath.empty())
      llvm::sys::fs::remove(StdoutPath);
    if (!StderrPath.empty())
      llvm::sys::fs::remove(StderrPath);
  }

  /// Starts `optlm serve` with args and waits for "listening on URL".
  /// Returns false (with a test failure) when it exits or stays silent.
  bool start(const std::vector<std::string> &args) {
    llvm::SmallString<128> out, err;
    llvm::sys::fs::createTemporaryFile("optlm-serve-stdout", "txt", out);
    llvm::sys::fs::createTemporaryFile("optlm-serve-stderr", "txt", err);
    StdoutPath = out.str().str();
    StderrPath = err.str().str();
    std::vector<llvm::StringRef> argv = {OPTLM_TOOL_PATH, "serve"};
    for (const std::string &arg : args)
      argv.push_back(arg);
    std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(StdoutPath),
                                                  llvm::StringRef(StderrPath)};
    std::string error;
    Process = llvm::sys::ExecuteNoWait(OPTLM_TOOL_PATH, argv, std::nullopt, redirects, 0, &error);
    if (Process.Pid <= 0) {
      ADD_FAILURE() << "cannot start optlm serve: " << error;
      return false;
    }
    Running = true;
    // Model loading is quick for the tiny model; 60 s is a generous bound
    // for a loaded machine.
    for (int i = 0; i < 3000; ++i) {
      std::string printed = readFile(StdoutPath);
      size_t at = printed.find("listening on ");
      size_t end = printed.find(' ', at + 13);
      if (at != std::string::npos && end != std::string::npos) {
        TheUrl = printed.substr(at + 13, end - at - 13);
        return true;
      }
      llvm::sys::ProcessInfo state = llvm::sys::Wait(Process, 0);
      if (state.Pid != 0) {
        Running = false;
        ExitCode = state.ReturnCode;
        ADD_FAILURE() << "optlm serve exited with " << state.ReturnCode << ": " << errors();
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "optlm serve printed no address: " << errors();
    return false;
  }

  /// SIGTERM, then up to 30 s for a clean exit (then SIGKILL). Returns the
  /// exit code.
  int stop() {
    if (!Running)
      return ExitCode;
    Running = false;
    ::kill(Process.Pid, SIGTERM);
    llvm::sys::ProcessInfo state = llvm::sys::Wait(Process, 30);
    ExitCode = state.ReturnCode;
    return ExitCode;
  }

  const std::string &url() const { return TheUrl; }
  int port() const { return std::stoi(TheUrl.substr(TheUrl.rfind(':') + 1)); }
  std::string errors() const { return readFile(StderrPath); }

private:
  static std::string readFile(const std::string &path) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false,
                                              /*IsVolatile=*/true);
    return buffer ? (*buffer)->getBuffer().str() : std::string();
  }

  llvm::sys::ProcessInfo Process;
  bool Running = false;
  int ExitCode = -1;
  std::string TheUrl;
  std::string StdoutPath;
  std::string StderrPath;
};

} // namespace optlm::lm::test
