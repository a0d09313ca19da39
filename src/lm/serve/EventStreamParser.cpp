//===- EventStreamParser.cpp - read server-sent events incrementally ------===//
#include "lm/serve/EventStreamParser.h"

using namespace llvm;

namespace optlm::lm {

Error EventStreamParser::feed(StringRef chunk, EventHandler onEvent) {
  for (char c : chunk) {
    if (pendingCarriageReturn_) {
      pendingCarriageReturn_ = false;
      if (c == '\n')
        continue;
    }
    if (c == '\r' || c == '\n') {
      pendingCarriageReturn_ = c == '\r';
      std::string line = std::move(line_);
      line_.clear();
      if (Error error = processLine(line, onEvent))
        return error;
      continue;
    }
    line_.push_back(c);
    if (line_.size() + data_.size() > maxEventBytes_)
      return createStringError(std::errc::message_size,
                               "server-sent event larger than %zu bytes", maxEventBytes_);
  }
  return Error::success();
}

Error EventStreamParser::processLine(StringRef line, EventHandler onEvent) {
  if (line.empty()) {
    if (!hasData_)
      return Error::success();
    std::string data = std::move(data_);
    data_.clear();
    hasData_ = false;
    return onEvent(data);
  }
  if (line.starts_with(":"))
    return Error::success();
  auto [name, value] = line.split(':');
  // One optional space after the colon belongs to the syntax, not the value.
  value.consume_front(" ");
  if (name != "data")
    return Error::success();
  if (hasData_)
    data_.push_back('\n');
  data_.append(value.begin(), value.end());
  hasData_ = true;
  if (data_.size() > maxEventBytes_)
    return createStringError(std::errc::message_size,
                             "server-sent event larger than %zu bytes", maxEventBytes_);
  return Error::success();
}

} // namespace optlm::lm
