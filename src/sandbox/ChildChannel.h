//===- ChildChannel.h - a job's line to the parent process -------*- C++ -*-===//
//
// What a job running in a child sees of the pool: it may ask the parent a
// question and wait for the answer (the evaluation pool asks "is this
// optimized IR already measured?" before it spends time on codegen).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace optlm::sandbox {

class ChildChannel {
public:
  ChildChannel(int socket, size_t maxPayload) : Socket(socket), MaxPayload(maxPayload) {}

  /// Sends a query and blocks until the parent replies. The child's
  /// wall-clock limit keeps running while it waits.
  llvm::Expected<std::string> ask(llvm::StringRef query);

private:
  int Socket;
  size_t MaxPayload;
};

} // namespace optlm::sandbox
