//===- EventStreamParser.cpp - read server-sent events incrementally ------===//
#include "lm/serve/EventStreamParser.h"

using namespace llvm;

namespace optlm::lm {

Error EventStreamParser::feed(StringRef chunk, EventHandler onEvent) {
  for (char c : chunk) {
    if (PendingCarriageReturn) {
      PendingCarriageReturn = false;
      if (c == '\n')
        continue;
    }
    if (c == '\r' || c == '\n') {
      PendingCarriageReturn = c == '\r';
      std::string line = std::move(Line);
      Line.clear();
      if (Error error = processLine(line, onEvent))
        return error;
      continue;
    }
    Line.push_back(c);
    if (Line.size() + Data.size() > MaxEventBytes)
      return createStringError(std::errc::message_size, "server-sent event larger than %zu bytes",
                               MaxEventBytes);
  }
  return Error::success();
}

Error EventStreamParser::processLine(StringRef line, EventHandler onEvent) {
  if (line.empty()) {
    if (!HasData)
      return Error::success();
    std::string data = std::move(Data);
    Data.clear();
    HasData = false;
    return onEvent(data);
  }
  if (line.starts_with(":"))
    return Error::success();
  auto [name, value] = line.split(':');
  // One optional space after the colon belongs to the syntax, not the value.
  value.consume_front(" ");
  if (name != "data")
    return Error::success();
  if (HasData)
    Data.push_back('\n');
  Data.append(value.begin(), value.end());
  HasData = true;
  if (Data.size() > MaxEventBytes)
    return createStringError(std::errc::message_size, "server-sent event larger than %zu bytes",
                             MaxEventBytes);
  return Error::success();
}

} // namespace optlm::lm
