//===- model_answer_fuzz.cpp - libFuzzer target for model answers ---------===//
//
// A model's answer is text nobody checked: it goes through the answer
// readers (pipeline, code, reported numbers) and through Pipeline::parse
// directly, as `optlm tune --model` and the evaluation harness use them.
// Beyond "no crash, no sanitizer report", it holds the readers to what their
// callers rely on:
//   - a pipeline that parses prints a canonical text that parses back to an
//     equal pipeline with the same text (what the results store keys on);
//   - a parse error is one non-empty line (the command line prints it so);
//   - the extracted code is a piece of the answer, never invented text;
//   - normalizing assembly (how disassembly round trips are compared) is
//     idempotent: normalized text normalizes to itself.
//
//===----------------------------------------------------------------------===//
#include "FuzzChecks.h"

#include "pipeline/Pipeline.h"
#include "tasks/AnswerParser.h"
#include "tasks/AssemblyNormalizer.h"

#include "llvm/ADT/StringRef.h"

#include <cstdio>
#include <string>

using namespace optlm;
using namespace optlm::fuzz;

namespace {

void checkRoundTrip(const Pipeline &pipeline) {
  const std::string text = pipeline.text();
  auto again = Pipeline::parse(text);
  if (!again) {
    fprintf(stderr, "%s: %s\n", text.c_str(), llvm::toString(again.takeError()).c_str());
    fail("a canonical pipeline text does not parse");
  }
  if (!(*again == pipeline) || again->text() != text)
    fail("a canonical pipeline text parses to another pipeline");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const llvm::StringRef answer(reinterpret_cast<const char *>(data), size);

  if (auto pipeline = Pipeline::parse(answer))
    checkRoundTrip(*pipeline);
  else
    oneLineError(pipeline.takeError());

  if (auto pipeline = tasks::parsePipelineAnswer(answer))
    checkRoundTrip(*pipeline);
  else
    oneLineError(pipeline.takeError());

  const std::string code = tasks::extractCode(answer);
  if (answer.find(code) == llvm::StringRef::npos)
    fail("the extracted code is not a piece of the answer");

  const std::string normalized = tasks::normalizeAssembly(code);
  if (tasks::normalizeAssembly(normalized) != normalized)
    fail("normalized assembly normalizes to something else");

  tasks::ReportedNumbers numbers = tasks::parseReportedNumbers(answer);
  (void)numbers;
  return 0;
}
