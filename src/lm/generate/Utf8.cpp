//===- Utf8.cpp - UTF-8 validity ------------------------------------------===//
#include "lm/generate/Utf8.h"

#include <cstdint>

namespace optlm::lm {

namespace {
/// The byte ranges of well-formed UTF-8 (Unicode table 3-7): the lead byte
/// fixes the length and the allowed range of the second byte.
struct Utf8Form {
  int length;
  uint8_t secondLow, secondHigh;
};

bool leadForm(uint8_t lead, Utf8Form &form) {
  if (lead < 0x80) {
    form = {1, 0, 0};
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    form = {2, 0x80, 0xBF};
  } else if (lead == 0xE0) {
    form = {3, 0xA0, 0xBF};
  } else if (lead == 0xED) {
    form = {3, 0x80, 0x9F}; // no surrogates
  } else if (lead >= 0xE1 && lead <= 0xEF) {
    form = {3, 0x80, 0xBF};
  } else if (lead == 0xF0) {
    form = {4, 0x90, 0xBF};
  } else if (lead >= 0xF1 && lead <= 0xF3) {
    form = {4, 0x80, 0xBF};
  } else if (lead == 0xF4) {
    form = {4, 0x80, 0x8F}; // nothing above U+10FFFF
  } else {
    return false;
  }
  return true;
}

/// Number of leading bytes of text that agree with a well-formed character
/// (at most its length), and that length; 0 when the lead byte is invalid.
size_t matchingPrefix(llvm::StringRef text, int &length) {
  Utf8Form form;
  if (text.empty() || !leadForm(static_cast<uint8_t>(text[0]), form))
    return 0;
  length = form.length;
  size_t matched = 1;
  for (int i = 1; i < form.length && i < static_cast<int>(text.size()); ++i) {
    uint8_t byte = static_cast<uint8_t>(text[i]);
    uint8_t low = i == 1 ? form.secondLow : 0x80;
    uint8_t high = i == 1 ? form.secondHigh : 0xBF;
    if (byte < low || byte > high)
      break;
    ++matched;
  }
  return matched;
}
} // namespace

size_t validUtf8Length(llvm::StringRef text) {
  int length = 0;
  size_t matched = matchingPrefix(text, length);
  return matched > 0 && static_cast<int>(matched) == length ? matched : 0;
}

bool isIncompleteUtf8(llvm::StringRef text) {
  int length = 0;
  size_t matched = matchingPrefix(text, length);
  return matched > 0 && matched == text.size() && static_cast<int>(matched) < length;
}

void appendSanitizedUtf8(llvm::StringRef text, std::string &out) {
  while (!text.empty()) {
    size_t length = validUtf8Length(text);
    if (length == 0) {
      out += kReplacementCharacter;
      text = text.drop_front(1);
    } else {
      out += text.take_front(length);
      text = text.drop_front(length);
    }
  }
}

} // namespace optlm::lm
