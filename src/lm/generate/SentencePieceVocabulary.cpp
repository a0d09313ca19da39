//===- SentencePieceVocabulary.cpp - tokenizer.ggml.* metadata -------------===//
#include "lm/generate/SentencePieceVocabulary.h"

#include "lm/gguf/GGUFFile.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>

using namespace llvm;

namespace optlm::lm {

static Error vocabularyError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), "vocabulary: " + message);
}

Error SentencePieceVocabulary::validate() const {
  if (pieces.empty())
    return vocabularyError("no tokens");
  if (scores.size() != pieces.size())
    return vocabularyError(Twine(scores.size()) + " scores for " + Twine(pieces.size()) +
                           " tokens");
  if (types.size() != pieces.size())
    return vocabularyError(Twine(types.size()) + " token types for " + Twine(pieces.size()) +
                           " tokens");
  for (size_t id = 0; id < types.size(); ++id) {
    int32_t type = static_cast<int32_t>(types[id]);
    if (type < static_cast<int32_t>(TokenType::Normal) ||
        type > static_cast<int32_t>(TokenType::Byte))
      return vocabularyError("token " + Twine(id) + " has unknown type " + Twine(type));
  }
  auto checkId = [&](int id, StringRef what) -> Error {
    if (id < -1 || id >= size())
      return vocabularyError(what + " id " + Twine(id) + " outside a vocabulary of " +
                             Twine(size()) + " tokens");
    return Error::success();
  };
  if (Error error = checkId(bosId, "BOS"))
    return error;
  if (Error error = checkId(eosId, "EOS"))
    return error;
  if (Error error = checkId(unknownId, "unknown-token"))
    return error;
  if (addBos && bosId < 0)
    return vocabularyError("prompts need BOS but the vocabulary has none");
  return Error::success();
}

// Special ids are stored as u32 by llama.cpp's converter and as i32 by some
// other writers; a missing key keeps the SentencePiece default.
static Expected<int> optionalId(const GGUFFile &file, StringRef key, int fallback) {
  const GGUFValue *value = file.find(key);
  if (!value)
    return fallback;
  std::optional<int64_t> id = value->asInt64();
  if (!id || *id < -1 || *id > INT32_MAX)
    return vocabularyError(key + " is not a token id");
  return static_cast<int>(*id);
}

static Expected<bool> optionalBool(const GGUFFile &file, StringRef key, bool fallback) {
  if (!file.has(key))
    return fallback;
  return file.getBool(key);
}

Expected<SentencePieceVocabulary> SentencePieceVocabulary::fromGGUF(const GGUFFile &file) {
  Expected<StringRef> model = file.getString("tokenizer.ggml.model");
  if (!model)
    return model.takeError();
  if (*model != "llama")
    return vocabularyError("tokenizer model '" + *model +
                           "' is not supported (only SentencePiece 'llama')");
  SentencePieceVocabulary vocabulary;
  Expected<std::vector<std::string>> pieces = file.getStringArray("tokenizer.ggml.tokens");
  if (!pieces)
    return pieces.takeError();
  vocabulary.pieces = std::move(*pieces);
  size_t count = vocabulary.pieces.size();

  if (file.has("tokenizer.ggml.scores")) {
    Expected<std::vector<float>> scores = file.getF32Array("tokenizer.ggml.scores");
    if (!scores)
      return scores.takeError();
    vocabulary.scores = std::move(*scores);
  } else {
    vocabulary.scores.assign(count, 0.0f);
  }
  if (file.has("tokenizer.ggml.token_type")) {
    Expected<std::vector<int32_t>> types = file.getI32Array("tokenizer.ggml.token_type");
    if (!types)
      return types.takeError();
    for (int32_t type : *types)
      vocabulary.types.push_back(static_cast<TokenType>(type));
  } else {
    vocabulary.types.assign(count, TokenType::Normal);
  }

  for (auto [key, field, fallback] :
       {std::tuple{"tokenizer.ggml.bos_token_id", &vocabulary.bosId, 1},
        std::tuple{"tokenizer.ggml.eos_token_id", &vocabulary.eosId, 2},
        std::tuple{"tokenizer.ggml.unknown_token_id", &vocabulary.unknownId, 0}}) {
    Expected<int> id = optionalId(file, key, fallback);
    if (!id)
      return id.takeError();
    *field = *id;
  }
  Expected<bool> addBos = optionalBool(file, "tokenizer.ggml.add_bos_token", true);
  if (!addBos)
    return addBos.takeError();
  vocabulary.addBos = *addBos;
  Expected<bool> addSpacePrefix = optionalBool(file, "tokenizer.ggml.add_space_prefix", true);
  if (!addSpacePrefix)
    return addSpacePrefix.takeError();
  vocabulary.addSpacePrefix = *addSpacePrefix;

  if (Error error = vocabulary.validate())
    return std::move(error);
  return vocabulary;
}

Vocabulary SentencePieceVocabulary::toWriterVocabulary() const {
  Vocabulary out;
  for (int id = 0; id < size(); ++id)
    out.add(pieces[id], scores[id], types[id]);
  out.bosId = static_cast<uint32_t>(std::max(bosId, 0));
  out.eosId = static_cast<uint32_t>(std::max(eosId, 0));
  out.unknownId = static_cast<uint32_t>(std::max(unknownId, 0));
  out.addSpacePrefix = addSpacePrefix;
  return out;
}

} // namespace optlm::lm
