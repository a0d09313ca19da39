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
    if (!stdoutPath_.empty())
      llvm::sys::fs::remove(stdoutPath_);
    if (!stderrPath_.empty())
      llvm::sys::fs::remove(stderrPath_);
  }

  /// Starts `optlm serve` with args and waits for "listening on URL".
  /// Returns false (with a test failure) when it exits or stays silent.
  bool start(const std::vector<std::string> &args) {
    llvm::SmallString<128> out, err;
    llvm::sys::fs::createTemporaryFile("optlm-serve-stdout", "txt", out);
    llvm::sys::fs::createTemporaryFile("optlm-serve-stderr", "txt", err);
    stdoutPath_ = out.str().str();
    stderrPath_ = err.str().str();
    std::vector<llvm::StringRef> argv = {OPTLM_TOOL_PATH, "serve"};
    for (const std::string &arg : args)
      argv.push_back(arg);
    std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(stdoutPath_),
                                                  llvm::StringRef(stderrPath_)};
    std::string error;
    process_ = llvm::sys::ExecuteNoWait(OPTLM_TOOL_PATH, argv, std::nullopt, redirects, 0,
                                        &error);
    if (process_.Pid <= 0) {
      ADD_FAILURE() << "cannot start optlm serve: " << error;
      return false;
    }
    running_ = true;
    // Model loading is quick for the tiny model; 60 s is a generous bound
    // for a loaded machine.
    for (int i = 0; i < 3000; ++i) {
      std::string printed = readFile(stdoutPath_);
      size_t at = printed.find("listening on ");
      size_t end = printed.find(' ', at + 13);
      if (at != std::string::npos && end != std::string::npos) {
        url_ = printed.substr(at + 13, end - at - 13);
        return true;
      }
      llvm::sys::ProcessInfo state = llvm::sys::Wait(process_, 0);
      if (state.Pid != 0) {
        running_ = false;
        exitCode_ = state.ReturnCode;
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
    if (!running_)
      return exitCode_;
    running_ = false;
    ::kill(process_.Pid, SIGTERM);
    llvm::sys::ProcessInfo state = llvm::sys::Wait(process_, 30);
    exitCode_ = state.ReturnCode;
    return exitCode_;
  }

  const std::string &url() const { return url_; }
  int port() const { return std::stoi(url_.substr(url_.rfind(':') + 1)); }
  std::string errors() const { return readFile(stderrPath_); }

private:
  static std::string readFile(const std::string &path) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false,
                                              /*IsVolatile=*/true);
    return buffer ? (*buffer)->getBuffer().str() : std::string();
  }

  llvm::sys::ProcessInfo process_;
  bool running_ = false;
  int exitCode_ = -1;
  std::string url_;
  std::string stdoutPath_;
  std::string stderrPath_;
};

} // namespace optlm::lm::test
