//===- CompletionStream.cpp - streaming with stop strings -----------------===//
#include "lm/generate/CompletionStream.h"

#include "lm/generate/Utf8.h"

#include <algorithm>

namespace optlm::lm {

CompletionStream::CompletionStream(std::vector<std::string> stops, PieceCallback onPiece)
    : onPiece_(onPiece) {
  for (std::string &stop : stops)
    if (!stop.empty())
      stops_.push_back(std::move(stop));
}

bool CompletionStream::append(llvm::StringRef bytes) {
  if (stopped_ || cancelled_)
    return false;
  pending_ += bytes;
  decodePending(/*atEnd=*/false);
  release(/*atEnd=*/false);
  return !stopped_ && !cancelled_;
}

void CompletionStream::finish() {
  if (stopped_ || cancelled_)
    return;
  decodePending(/*atEnd=*/true);
  release(/*atEnd=*/true);
}

void CompletionStream::decodePending(bool atEnd) {
  llvm::StringRef rest = pending_;
  while (!rest.empty()) {
    size_t length = validUtf8Length(rest);
    if (length > 0) {
      text_ += rest.take_front(length);
      rest = rest.drop_front(length);
    } else if (!atEnd && isIncompleteUtf8(rest)) {
      break;
    } else {
      text_ += kReplacementCharacter;
      rest = rest.drop_front(1);
    }
  }
  pending_ = rest.str();
}

void CompletionStream::release(bool atEnd) {
  // Text already streamed cannot hold the start of a stop: it was released
  // only once no stop could begin in it.
  size_t earliest = std::string::npos;
  for (const std::string &stop : stops_)
    earliest = std::min(earliest, text_.find(stop, emitted_));
  if (earliest != std::string::npos) {
    text_.resize(earliest);
    pending_.clear();
    stopped_ = true;
    emit(earliest);
    return;
  }
  size_t end = text_.size();
  if (!atEnd) {
    // Hold back the longest tail that some stop string begins with.
    size_t held = 0;
    llvm::StringRef unreleased = llvm::StringRef(text_).drop_front(emitted_);
    for (const std::string &stop : stops_)
      for (size_t length = std::min(stop.size() - 1, unreleased.size()); length > held;
           --length)
        if (unreleased.ends_with(llvm::StringRef(stop).take_front(length))) {
          held = length;
          break;
        }
    end -= held;
  }
  emit(end);
}

void CompletionStream::emit(size_t end) {
  if (end <= emitted_)
    return;
  llvm::StringRef piece = llvm::StringRef(text_).slice(emitted_, end);
  emitted_ = end;
  if (onPiece_ && !onPiece_(piece)) {
    // The caller has seen all it wants: the text ends with this piece.
    cancelled_ = true;
    text_.resize(end);
    pending_.clear();
  }
}

} // namespace optlm::lm
