//===- SentencePieceReference.cpp - the SentencePiece library as a reference ===//
#include "SentencePieceReference.h"

#include <sentencepiece_trainer.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace optlm::lm::testing {

std::vector<std::string> linesOfFolder(const std::string &folder) {
  std::vector<std::filesystem::path> files;
  for (const auto &entry : std::filesystem::directory_iterator(folder))
    if (entry.path().filename() != "README.md")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<std::string> lines;
  for (const auto &file : files) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
  }
  return lines;
}

namespace {
class LineIterator : public sentencepiece::SentenceIterator {
public:
  explicit LineIterator(const std::vector<std::string> &lines) : Lines(lines) {}
  bool done() const override { return Index >= Lines.size(); }
  void Next() override { ++Index; }
  const std::string &value() const override { return Lines[Index]; }
  sentencepiece::util::Status status() const override { return {}; }

private:
  const std::vector<std::string> &Lines;
  size_t Index = 0;
};

llvm::Error statusError(const sentencepiece::util::Status &status) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "sentencepiece: %s",
                                 status.ToString().c_str());
}
} // namespace

llvm::Expected<std::unique_ptr<sentencepiece::SentencePieceProcessor>>
trainSentencePiece(const std::vector<std::string> &lines, int vocabSize,
                   const std::vector<std::string> &userDefined) {
  // Llama 2's tokenizer settings, so that the properties tested are the ones
  // Code Llama's vocabulary has.
  std::string options = "--model_type=bpe --vocab_size=" + std::to_string(vocabSize) +
                        " --byte_fallback=true --normalization_rule_name=identity"
                        " --add_dummy_prefix=true --remove_extra_whitespaces=false"
                        " --split_digits=true --allow_whitespace_only_pieces=true"
                        " --num_threads=1 --minloglevel=2";
  if (!userDefined.empty()) {
    options += " --user_defined_symbols=";
    for (size_t i = 0; i < userDefined.size(); ++i)
      options += (i ? "," : "") + userDefined[i];
  }
  LineIterator iterator(lines);
  std::string serialized;
  sentencepiece::util::Status status =
      sentencepiece::SentencePieceTrainer::Train(options, &iterator, &serialized);
  if (!status.ok())
    return statusError(status);
  auto processor = std::make_unique<sentencepiece::SentencePieceProcessor>();
  status = processor->LoadFromSerializedProto(serialized);
  if (!status.ok())
    return statusError(status);
  return std::move(processor);
}

SentencePieceVocabulary vocabularyOf(const sentencepiece::SentencePieceProcessor &processor,
                                     const std::vector<std::string> &userDefined) {
  SentencePieceVocabulary vocabulary;
  for (int id = 0; id < processor.GetPieceSize(); ++id) {
    vocabulary.pieces.push_back(processor.IdToPiece(id));
    vocabulary.scores.push_back(processor.GetScore(id));
    TokenType type = TokenType::Normal;
    if (processor.IsUnknown(id))
      type = TokenType::Unknown;
    else if (processor.IsControl(id))
      type = TokenType::Control;
    else if (processor.IsByte(id))
      type = TokenType::Byte;
    else if (processor.IsUnused(id))
      type = TokenType::Unused;
    else if (std::find(userDefined.begin(), userDefined.end(), processor.IdToPiece(id)) !=
             userDefined.end())
      type = TokenType::UserDefined;
    vocabulary.types.push_back(type);
  }
  vocabulary.bosId = processor.bos_id();
  vocabulary.eosId = processor.eos_id();
  vocabulary.unknownId = processor.unk_id();
  return vocabulary;
}

} // namespace optlm::lm::testing
