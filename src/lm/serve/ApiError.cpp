//===- ApiError.cpp - errors with an HTTP status --------------------------===//
#include "lm/serve/ApiError.h"

#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace optlm::lm {

char ApiError::ID = 0;

void ApiError::log(raw_ostream &os) const { os << Message; }

std::error_code ApiError::convertToErrorCode() const {
  if (Status >= 400 && Status < 500)
    return std::make_error_code(std::errc::invalid_argument);
  return std::make_error_code(std::errc::io_error);
}

Error invalidRequest(const Twine &message, StringRef param) {
  return make_error<ApiError>(400, "invalid_request_error", message.str(), param.str());
}

std::string oneLineExcerpt(StringRef text, size_t limit) {
  std::string shown = text.take_front(limit).str();
  for (char &c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = ' ';
  return text.size() > limit ? shown + "..." : shown;
}

} // namespace optlm::lm
