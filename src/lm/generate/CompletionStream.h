//===- CompletionStream.h - token bytes to final text, with stops ---*- C++ -*-===//
//
// Turns the bytes of generated tokens into the completion text and streams
// it out in pieces that are final: a piece is never part of a UTF-8
// character still being assembled from byte tokens, and never text that may
// yet turn out to begin a stop string (such text is held back until it
// cannot). A stop string may span any number of tokens; the text ends right
// before it.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/generate/Generator.h"

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace optlm::lm {

class CompletionStream {
public:
  /// onPiece may be empty (no streaming). Empty stop strings are ignored.
  CompletionStream(std::vector<std::string> stops, PieceCallback onPiece);

  /// Adds the bytes of one token. Returns false once the text is complete:
  /// a stop string was produced, or the callback cancelled.
  bool append(llvm::StringRef bytes);

  /// Ends the text: bytes of an unfinished character become U+FFFD and
  /// held-back text is released.
  void finish();

  bool stopped() const { return Stopped; }
  bool cancelled() const { return TheCancelled; }
  /// The text so far (everything, once finish() ran or a stop was found).
  const std::string &text() const { return TheText; }

private:
  /// Moves whole characters from Pending to TheText; at the end, everything.
  void decodePending(bool atEnd);
  /// Looks for stops in the unreleased text and releases what is final.
  void release(bool atEnd);
  void emit(size_t end);

  std::vector<std::string> Stops;
  PieceCallback OnPiece;
  std::string Pending; ///< bytes not yet forming a whole character
  std::string TheText; ///< decoded text; TheText[0, Emitted) was streamed
  size_t Emitted = 0;
  bool Stopped = false;
  bool TheCancelled = false;
};

} // namespace optlm::lm
