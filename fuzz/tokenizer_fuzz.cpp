//===- tokenizer_fuzz.cpp - libFuzzer target for the tokenizer ------------===//
//
// Every prompt goes through the tokenizer, and a prompt's IR or assembly can
// hold any bytes (string constants, invalid UTF-8). The tokenizer promises to
// encode and decode exactly as the SentencePiece library does with the same
// model (tests/lm_generate/TokenizerTest.cpp checks sample text and edge
// cases); here the library is the oracle for arbitrary bytes. At start-up the
// library trains a BPE model on the tokenizer tests' sample text, with
// Llama's settings, as the tests do; then for each input:
//   - its encoding, with and without BOS, is the library's, id for id;
//   - the decoding of those ids is the library's;
//   - decoding the input's bytes read as ids (any ids, controls and bytes
//     among them) is the library's too.
//
//===----------------------------------------------------------------------===//
#include "FuzzChecks.h"
#include "SentencePieceReference.h"

#include "lm/generate/Tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using namespace optlm;
using namespace optlm::fuzz;

namespace {

std::unique_ptr<sentencepiece::SentencePieceProcessor> Reference;
std::optional<lm::Tokenizer> Ours;

void printIds(const char *name, const std::vector<int> &ids) {
  fprintf(stderr, "%s:", name);
  for (int id : ids)
    fprintf(stderr, " %d", id);
  fprintf(stderr, "\n");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  auto processor = lm::testing::trainSentencePiece(
      lm::testing::linesOfFolder(OPTLM_TEST_INPUTS "/tokenizer"), 1500);
  if (!processor) {
    fprintf(stderr, "%s\n", llvm::toString(processor.takeError()).c_str());
    fail("the reference model could not be trained");
  }
  Reference = std::move(*processor);
  auto tokenizer = lm::Tokenizer::create(lm::testing::vocabularyOf(*Reference));
  if (!tokenizer) {
    fprintf(stderr, "%s\n", llvm::toString(tokenizer.takeError()).c_str());
    fail("the reference model's vocabulary is not a tokenizer");
  }
  Ours.emplace(std::move(*tokenizer));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);

  std::vector<int> expected;
  if (!Reference->Encode(text, &expected).ok())
    return 0; // nothing to compare with
  std::vector<int32_t> ours = Ours->encode(text);
  if (std::vector<int>(ours.begin(), ours.end()) != expected) {
    printIds("ours", std::vector<int>(ours.begin(), ours.end()));
    printIds("sentencepiece", expected);
    fail("the encoding differs from SentencePiece's");
  }
  std::vector<int32_t> withBos = Ours->encode(text, /*addBos=*/true);
  if (withBos.empty() || withBos.front() != Reference->bos_id() ||
      !std::equal(withBos.begin() + 1, withBos.end(), ours.begin(), ours.end()))
    fail("the encoding with BOS is not BOS and the encoding");

  std::string decoded;
  if (Reference->Decode(expected, &decoded).ok() && Ours->decode(ours) != decoded)
    fail("decoding the encoding differs from SentencePiece's");

  // The bytes as little-endian 16-bit ids, folded into the vocabulary.
  std::vector<int> ids;
  for (size_t i = 0; i + 1 < size; i += 2)
    ids.push_back((data[i] | data[i + 1] << 8) % Reference->GetPieceSize());
  std::string reference;
  if (Reference->Decode(ids, &reference).ok() &&
      Ours->decode(std::vector<int32_t>(ids.begin(), ids.end())) != reference) {
    printIds("ids", ids);
    fail("decoding ids differs from SentencePiece's");
  }
  return 0;
}
