//===- EventStreamParser.h - read server-sent events incrementally -*- C++ -*-===//
//
// Streamed completions arrive as server-sent events ("data: {...}" lines, an
// empty line ending each event) cut into arbitrary network chunks. This
// parser takes the chunks as they come and hands over each event's data once
// the event is complete. Only the "data" field matters to the completion
// API; comments (": ping") and other fields are skipped, as the format says.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace optlm::lm {

class EventStreamParser {
public:
  /// Receives the data of one complete event (its data lines joined with
  /// '\n'). Returning an error stops parsing and is passed on by feed().
  using EventHandler = llvm::function_ref<llvm::Error(llvm::StringRef data)>;

  /// An event or line longer than this is an error rather than a reason to
  /// buffer without bound.
  explicit EventStreamParser(size_t maxEventBytes = 16u << 20) : MaxEventBytes(maxEventBytes) {}

  llvm::Error feed(llvm::StringRef chunk, EventHandler onEvent);

  /// Bytes that did not form a whole event yet (a stream that ends here was
  /// cut short).
  bool hasPartialEvent() const { return !Line.empty() || HasData; }

private:
  llvm::Error processLine(llvm::StringRef line, EventHandler onEvent);

  size_t MaxEventBytes;
  std::string Line;
  std::string Data;
  bool HasData = false;
  /// A '\r' ended the last chunk: a '\n' starting the next one belongs to it.
  bool PendingCarriageReturn = false;
};

} // namespace optlm::lm
