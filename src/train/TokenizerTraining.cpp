//===- TokenizerTraining.cpp - a SentencePiece vocabulary from the data ---===//
#include "train/TokenizerTraining.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

namespace optlm::train {

static Error tokenizerError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "sentencepiece: " + message);
}

StringRef tokenizerStyleName(TokenizerStyle style) {
  return style == TokenizerStyle::Code ? "code" : "llama";
}

Expected<TokenizerStyle> parseTokenizerStyle(StringRef name) {
  for (TokenizerStyle style : {TokenizerStyle::Llama, TokenizerStyle::Code})
    if (name == tokenizerStyleName(style))
      return style;
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "unknown tokenizer style '%s' (known: llama, code)",
                                 name.str().c_str());
}

Expected<lm::SentencePieceVocabulary> readSentencePieceVocab(StringRef text) {
  lm::SentencePieceVocabulary vocabulary;
  vocabulary.bosId = vocabulary.eosId = vocabulary.unknownId = -1;
  while (!text.empty()) {
    auto [line, rest] = text.split('\n');
    text = rest;
    if (line.empty())
      continue;
    // Pieces may hold tabs (whitespace pieces); the score follows the last.
    size_t tab = line.rfind('\t');
    float score = 0;
    if (tab == StringRef::npos || !llvm::to_float(line.substr(tab + 1), score))
      return tokenizerError("malformed vocabulary line '" + line + "'");
    StringRef piece = line.take_front(tab);
    int id = vocabulary.size();
    lm::TokenType type = lm::TokenType::Normal;
    if (piece == "<unk>") {
      type = lm::TokenType::Unknown;
      vocabulary.unknownId = id;
    } else if (piece == "<s>" || piece == "</s>") {
      type = lm::TokenType::Control;
      (piece == "<s>" ? vocabulary.bosId : vocabulary.eosId) = id;
    } else if (piece.size() == 6 && piece.starts_with("<0x") && piece.ends_with(">") &&
               llvm::all_of(piece.substr(3, 2), llvm::isHexDigit)) {
      type = lm::TokenType::Byte;
    }
    vocabulary.pieces.push_back(piece.str());
    vocabulary.scores.push_back(score);
    vocabulary.types.push_back(type);
  }
  if (Error error = vocabulary.validate())
    return std::move(error);
  return vocabulary;
}

Expected<lm::SentencePieceVocabulary> trainSentencePiece(llvm::ArrayRef<std::string> texts,
                                                         const TokenizerTrainingOptions &options) {
  std::string trainer = options.trainerPath;
  if (trainer.empty()) {
    trainer = OPTLM_SPM_TRAIN_PATH;
    if (trainer.empty() || !llvm::sys::fs::can_execute(trainer)) {
      auto found = llvm::sys::findProgramByName("spm_train");
      if (!found)
        return tokenizerError("spm_train not found (Debian package sentencepiece)");
      trainer = *found;
    }
  }
  llvm::SmallString<128> directory;
  if (std::error_code error = llvm::sys::fs::createUniqueDirectory("optlm-spm", directory))
    return tokenizerError(error.message());
  struct Remove {
    std::string path;
    ~Remove() { llvm::sys::fs::remove_directories(path); }
  } remove{std::string(directory)};

  std::string input = (directory + "/input.txt").str();
  std::string prefix = (directory + "/model").str();
  {
    std::error_code error;
    llvm::raw_fd_ostream out(input, error);
    if (error)
      return tokenizerError(input + ": " + error.message());
    for (const std::string &text : texts)
      for (StringRef rest = text; !rest.empty();) {
        auto [line, tail] = rest.split('\n');
        rest = tail;
        if (!line.empty())
          out << line << '\n';
      }
  }
  // Llama 2's settings (but the piece boundaries, by style); one thread and a fixed seed so that
  // the same texts give the same vocabulary; hard_vocab_limit=false: a small corpus gives a smaller
  // vocabulary instead of an error.
  const bool code = options.style == TokenizerStyle::Code;
  std::vector<std::string> arguments = {
      trainer,
      "--input=" + input,
      "--model_prefix=" + prefix,
      "--model_type=bpe",
      "--vocab_size=" + std::to_string(options.vocabSize),
      "--byte_fallback=true",
      "--normalization_rule_name=identity",
      "--add_dummy_prefix=" + std::string(code ? "false" : "true"),
      "--remove_extra_whitespaces=false",
      "--split_digits=" + std::string(code ? "false" : "true"),
      "--split_by_whitespace=" + std::string(code ? "false" : "true"),
      "--split_by_unicode_script=" + std::string(code ? "false" : "true"),
      "--max_sentencepiece_length=" + std::string(code ? "64" : "16"),
      "--allow_whitespace_only_pieces=true",
      "--hard_vocab_limit=false",
      "--max_sentence_length=16384",
      "--character_coverage=1.0",
      "--input_sentence_size=" + std::to_string(options.maxSentences),
      "--shuffle_input_sentence=true",
      "--random_seed=" + std::to_string(static_cast<uint32_t>(options.seed)),
      "--num_threads=1",
      "--minloglevel=2",
  };
  std::vector<StringRef> argv(arguments.begin(), arguments.end());
  std::string log = (directory + "/log.txt").str();
  std::optional<StringRef> redirects[] = {std::nullopt, StringRef(log), StringRef(log)};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(trainer, argv, std::nullopt, redirects, 0, 0, &message);
  if (status != 0) {
    auto output = llvm::MemoryBuffer::getFile(log);
    // The reason is the last line before "Program terminated ...".
    StringRef tail;
    llvm::SmallVector<StringRef> lines;
    if (output)
      (*output)->getBuffer().split(lines, '\n', -1, /*KeepEmpty=*/false);
    for (StringRef line : lines)
      if (!line.starts_with("Program terminated"))
        tail = line.trim();
    return tokenizerError("spm_train failed (" +
                          (message.empty() ? "exit status " + std::to_string(status) : message) +
                          "): " + tail);
  }
  auto vocab = llvm::MemoryBuffer::getFile(prefix + ".vocab");
  if (!vocab)
    return tokenizerError(prefix + ".vocab: " + vocab.getError().message());
  Expected<lm::SentencePieceVocabulary> vocabulary = readSentencePieceVocab((*vocab)->getBuffer());
  // Trained without the dummy prefix, so that a line reads the same at the
  // start of a text as after a newline inside it: the encoder must not add
  // one either.
  if (vocabulary && code)
    vocabulary->addSpacePrefix = false;
  return vocabulary;
}

} // namespace optlm::train
