//===- CompletionStream.cpp - streaming with stop strings -----------------===//
#include "lm/generate/CompletionStream.h"

#include "lm/generate/Utf8.h"

#include <algorithm>

namespace optlm::lm {

CompletionStream::CompletionStream(std::vector<std::string> stops, PieceCallback onPiece)
    : OnPiece(onPiece) {
  for (std::string &stop : stops)
    if (!stop.empty())
      Stops.push_back(std::move(stop));
}

bool CompletionStream::append(llvm::StringRef bytes) {
  if (Stopped || TheCancelled)
    return false;
  Pending += bytes;
  decodePending(/*atEnd=*/false);
  release(/*atEnd=*/false);
  return !Stopped && !TheCancelled;
}

void CompletionStream::finish() {
  if (Stopped || TheCancelled)
    return;
  decodePending(/*atEnd=*/true);
  release(/*atEnd=*/true);
}

void CompletionStream::decodePending(bool atEnd) {
  llvm::StringRef rest = Pending;
  while (!rest.empty()) {
    size_t length = validUtf8Length(rest);
    if (length > 0) {
      TheText += rest.take_front(length);
      rest = rest.drop_front(length);
    } else if (!atEnd && isIncompleteUtf8(rest)) {
      break;
    } else {
      TheText += kReplacementCharacter;
      rest = rest.drop_front(1);
    }
  }
  Pending = rest.str();
}

void CompletionStream::release(bool atEnd) {
  // Text already streamed cannot hold the start of a stop: it was released
  // only once no stop could begin in it.
  size_t earliest = std::string::npos;
  for (const std::string &stop : Stops)
    earliest = std::min(earliest, TheText.find(stop, Emitted));
  if (earliest != std::string::npos) {
    TheText.resize(earliest);
    Pending.clear();
    Stopped = true;
    emit(earliest);
    return;
  }
  size_t end = TheText.size();
  if (!atEnd) {
    // Hold back the longest tail that some stop string begins with.
    size_t held = 0;
    llvm::StringRef unreleased = llvm::StringRef(TheText).drop_front(Emitted);
    for (const std::string &stop : Stops)
      for (size_t length = std::min(stop.size() - 1, unreleased.size()); length > held; --length)
        if (unreleased.ends_with(llvm::StringRef(stop).take_front(length))) {
          held = length;
          break;
        }
    end -= held;
  }
  emit(end);
}

void CompletionStream::emit(size_t end) {
  if (end <= Emitted)
    return;
  llvm::StringRef piece = llvm::StringRef(TheText).slice(Emitted, end);
  Emitted = end;
  if (OnPiece && !OnPiece(piece)) {
    // The caller has seen all it wants: the text ends with this piece.
    TheCancelled = true;
    TheText.resize(end);
    Pending.clear();
  }
}

} // namespace optlm::lm
