//===- Tokenizer.cpp - SentencePiece BPE -------------------------------------===//
#include "lm/generate/Tokenizer.h"

#include "lm/generate/Utf8.h"
#include "lm/gguf/GGUFFile.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"

#include <functional>
#include <queue>

using namespace llvm;

namespace optlm::lm {

/// "<0x41>" -> 0x41; -1 for anything else.
static int bytePieceValue(StringRef piece) {
  if (piece.size() != 6 || !piece.starts_with("<0x") || !piece.ends_with(">"))
    return -1;
  unsigned value = 0;
  if (piece.substr(3, 2).getAsInteger(16, value))
    return -1;
  return static_cast<int>(value);
}

Expected<Tokenizer> Tokenizer::create(SentencePieceVocabulary vocabulary) {
  if (Error error = vocabulary.validate())
    return std::move(error);
  Tokenizer tokenizer;
  tokenizer.ByteIds.fill(-1);
  tokenizer.TokenTexts.resize(vocabulary.pieces.size());
  for (int32_t id = 0; id < vocabulary.size(); ++id) {
    const std::string &piece = vocabulary.pieces[id];
    std::string &text = tokenizer.TokenTexts[id];
    switch (vocabulary.types[id]) {
    case TokenType::Normal:
    case TokenType::Unused:
    case TokenType::UserDefined:
      // The first id wins for duplicate pieces, as in SentencePiece.
      tokenizer.Mergeable.try_emplace(piece, id);
      if (vocabulary.types[id] == TokenType::UserDefined && !piece.empty())
        tokenizer.TheUserDefined.push_back(piece);
      text = piece;
      for (size_t at = text.find(kSpaceSymbol.data()); at != std::string::npos;
           at = text.find(kSpaceSymbol.data(), at + 1))
        text.replace(at, kSpaceSymbol.size(), " ");
      break;
    case TokenType::Byte: {
      int value = bytePieceValue(piece);
      if (value < 0)
        return createStringError(inconvertibleErrorCode(), "vocabulary: byte token " + Twine(id) +
                                                               " is '" + piece + "', not <0xNN>");
      if (tokenizer.ByteIds[value] < 0)
        tokenizer.ByteIds[value] = id;
      tokenizer.HasByteFallback = true;
      text = std::string(1, static_cast<char>(value));
      break;
    }
    case TokenType::Unknown:
      text = kUnknownSurface.str();
      break;
    case TokenType::Control:
      break;
    }
  }
  // Longest match first when splitting text.
  llvm::sort(tokenizer.TheUserDefined,
             [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
  tokenizer.TheVocabulary = std::move(vocabulary);
  return tokenizer;
}

Expected<Tokenizer> Tokenizer::fromGGUF(const GGUFFile &file) {
  Expected<SentencePieceVocabulary> vocabulary = SentencePieceVocabulary::fromGGUF(file);
  if (!vocabulary)
    return vocabulary.takeError();
  return create(std::move(*vocabulary));
}

bool Tokenizer::isControl(int32_t id) const {
  return id >= 0 && id < size() && TheVocabulary.types[id] == TokenType::Control;
}

StringRef Tokenizer::tokenText(int32_t id) const {
  if (id < 0 || id >= size())
    return {};
  return TokenTexts[id];
}

void Tokenizer::appendSymbolTokens(StringRef symbol, std::vector<int32_t> &out) const {
  auto found = Mergeable.find(symbol);
  if (found != Mergeable.end()) {
    out.push_back(found->second);
    return;
  }
  if (HasByteFallback) {
    for (char byte : symbol) {
      int32_t id = ByteIds[static_cast<uint8_t>(byte)];
      out.push_back(id >= 0 ? id : TheVocabulary.unknownId);
    }
    return;
  }
  // Without byte pieces, a run of unknown symbols is one unknown token.
  if (TheVocabulary.unknownId >= 0 && (out.empty() || out.back() != TheVocabulary.unknownId))
    out.push_back(TheVocabulary.unknownId);
}

std::vector<int32_t> Tokenizer::encode(StringRef text, bool addBos) const {
  std::vector<int32_t> ids;
  if (addBos && TheVocabulary.bosId >= 0)
    ids.push_back(TheVocabulary.bosId);
  if (text.empty())
    return ids;

  // Normalization: Llama models use SentencePiece's identity rule, so only
  // spaces change (and invalid bytes, which become U+FFFD).
  std::string sanitized;
  appendSanitizedUtf8(text, sanitized);
  std::string normalized;
  normalized.reserve(sanitized.size() * 2 + kSpaceSymbol.size());
  if (TheVocabulary.addSpacePrefix)
    normalized += kSpaceSymbol;
  for (char c : sanitized) {
    if (c == ' ')
      normalized += kSpaceSymbol;
    else
      normalized += c;
  }

  // One symbol per character (or per user-defined piece, frozen), in a
  // doubly linked list so that merges are O(1).
  struct Symbol {
    size_t begin, size;
    int prev, next;
    bool frozen;
  };
  std::vector<Symbol> symbols;
  StringRef rest = normalized;
  while (!rest.empty()) {
    size_t begin = normalized.size() - rest.size();
    size_t length = 0;
    bool frozen = false;
    for (const std::string &piece : TheUserDefined)
      if (rest.starts_with(piece)) {
        length = piece.size();
        frozen = true;
        break;
      }
    if (!frozen)
      length = std::max<size_t>(1, validUtf8Length(rest));
    int index = static_cast<int>(symbols.size());
    symbols.push_back({begin, length, index - 1, index + 1, frozen});
    rest = rest.drop_front(length);
  }
  symbols.back().next = -1;

  struct Candidate {
    float score;
    int left, right;
    size_t size;
  };
  // Highest score first; on equal scores the leftmost pair.
  auto lowerPriority = [](const Candidate &a, const Candidate &b) {
    return a.score < b.score || (a.score == b.score && a.left > b.left);
  };
  std::priority_queue<Candidate, std::vector<Candidate>, decltype(lowerPriority)> agenda(
      lowerPriority);
  // Merges that produced unused pieces, so they can be split back.
  DenseMap<int32_t, std::pair<std::string, std::string>> unusedMerges;

  auto symbolText = [&](int index) {
    return StringRef(normalized).substr(symbols[index].begin, symbols[index].size);
  };
  auto consider = [&](int left, int right) {
    if (left < 0 || right < 0 || symbols[left].frozen || symbols[right].frozen)
      return;
    StringRef merged(normalized.data() + symbols[left].begin,
                     symbols[left].size + symbols[right].size);
    auto found = Mergeable.find(merged);
    if (found == Mergeable.end())
      return;
    int32_t id = found->second;
    agenda.push({TheVocabulary.scores[id], left, right, merged.size()});
    if (TheVocabulary.types[id] == TokenType::Unused)
      unusedMerges.try_emplace(id, symbolText(left).str(), symbolText(right).str());
  };
  for (size_t i = 1; i < symbols.size(); ++i)
    consider(static_cast<int>(i) - 1, static_cast<int>(i));

  while (!agenda.empty()) {
    Candidate top = agenda.top();
    agenda.pop();
    Symbol &left = symbols[top.left];
    Symbol &right = symbols[top.right];
    // Stale: one side was merged away or has grown since the pair was queued.
    if (left.size == 0 || right.size == 0 || left.next != top.right ||
        left.size + right.size != top.size)
      continue;
    left.size += right.size;
    left.next = right.next;
    if (right.next >= 0)
      symbols[right.next].prev = top.left;
    right.size = 0;
    consider(left.prev, top.left);
    consider(top.left, left.next);
  }

  // Unused pieces are split back into the pieces they were merged from.
  std::function<void(StringRef)> emit = [&](StringRef piece) {
    auto found = Mergeable.find(piece);
    if (found != Mergeable.end() && TheVocabulary.types[found->second] == TokenType::Unused) {
      auto merge = unusedMerges.find(found->second);
      if (merge != unusedMerges.end()) {
        std::pair<std::string, std::string> parts = merge->second;
        emit(parts.first);
        emit(parts.second);
        return;
      }
    }
    appendSymbolTokens(piece, ids);
  };
  for (int index = 0; index >= 0; index = symbols[index].next)
    emit(symbolText(index));
  return ids;
}

std::string Tokenizer::decode(ArrayRef<int32_t> ids) const {
  std::string text;
  std::string pendingBytes;
  // SentencePiece drops the dummy-prefix space from the first piece that is
  // not a control token; a byte or unknown piece there ends the chance.
  bool atStart = TheVocabulary.addSpacePrefix;
  for (int32_t id : ids) {
    if (id < 0 || id >= size())
      continue;
    TokenType type = TheVocabulary.types[id];
    if (type == TokenType::Byte) {
      pendingBytes += TokenTexts[id];
      atStart = false;
      continue;
    }
    appendSanitizedUtf8(pendingBytes, text);
    pendingBytes.clear();
    if (type == TokenType::Control)
      continue;
    StringRef piece = TokenTexts[id];
    if (atStart && type != TokenType::Unknown && piece.starts_with(" "))
      piece = piece.drop_front(1);
    atStart = false;
    text += piece;
  }
  appendSanitizedUtf8(pendingBytes, text);
  return text;
}

} // namespace optlm::lm
