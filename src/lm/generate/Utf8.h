//===- Utf8.h - UTF-8 validity as SentencePiece judges it ----------*- C++ -*-===//
//
// Tokens are bytes, text is UTF-8: a byte-fallback token may carry a third
// of a character. These helpers decide what is a whole character (for the
// tokenizer, for decoding and for streaming pieces to a user).
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <string>

namespace optlm::lm {

/// U+FFFD, what invalid bytes become.
inline constexpr llvm::StringLiteral kReplacementCharacter = "\xEF\xBF\xBD";

/// Length of the valid UTF-8 character at the start of text, or 0 when text
/// does not start with one (strict: no overlong forms, no surrogates,
/// nothing above U+10FFFF; a truncated character is not valid).
size_t validUtf8Length(llvm::StringRef text);

/// True when text is a proper prefix of some valid UTF-8 character, so more
/// bytes may still complete it.
bool isIncompleteUtf8(llvm::StringRef text);

/// Appends text to out with every byte that is not part of a valid UTF-8
/// character replaced by U+FFFD.
void appendSanitizedUtf8(llvm::StringRef text, std::string &out);

} // namespace optlm::lm
