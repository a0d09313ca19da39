//===- RobustnessTest.cpp - readers of model text never crash or hang -----===//
//
// A model's answer is arbitrary text. Every reader of answers gets a few
// thousand seeded random texts built from the characters and fragments that
// matter to it (quotes, backticks, tags, flags, pass names, digits), and
// must return without crashing, with a pipeline only when it parses.
//
//===----------------------------------------------------------------------===//
#include "tasks/AnswerParser.h"
#include "tasks/AssemblyNormalizer.h"
#include "tasks/Emulator.h"

#include <gtest/gtest.h>

#include <random>

using namespace optlm;
using namespace optlm::tasks;

namespace {

std::string randomAnswer(std::mt19937_64 &random) {
  static const char *const Pieces[] = {"opt",
                                       " -p ",
                                       "'",
                                       "\"",
                                       "`",
                                       "```",
                                       "<code>",
                                       "</code>",
                                       "-",
                                       "--passes=",
                                       "sroa",
                                       ",",
                                       "instcombine",
                                       "module(",
                                       "function(",
                                       ")",
                                       "(",
                                       "<",
                                       ">",
                                       "default<Oz>",
                                       "\n",
                                       " ",
                                       "#",
                                       "//",
                                       "/*",
                                       "*/",
                                       ".text",
                                       ":",
                                       "instruction count ",
                                       "binary size ",
                                       "99999999999999999999",
                                       "42",
                                       "\xff",
                                       "\x01",
                                       "loop-mssa(licm)",
                                       "cgscc(",
                                       "-Oz",
                                       "-O",
                                       "=",
                                       ";"};
  std::string text;
  size_t length = random() % 40;
  for (size_t i = 0; i < length; ++i)
    text += Pieces[random() % std::size(Pieces)];
  return text;
}

TEST(TasksRobustness, RandomAnswersAreReadSafely) {
  std::mt19937_64 random(2024);
  size_t parsed = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string answer = randomAnswer(random);
    auto pipeline = parsePipelineAnswer(answer);
    if (pipeline) {
      ++parsed;
      // Whatever was found parses back to itself.
      auto again = Pipeline::parse(pipeline->text());
      ASSERT_TRUE(bool(again)) << answer;
      EXPECT_EQ(*again, *pipeline);
    } else {
      std::string message = llvm::toString(pipeline.takeError());
      EXPECT_FALSE(message.empty());
    }
    (void)extractCode(answer);
    (void)parseReportedNumbers(answer);
    (void)normalizeAssembly(answer);
    (void)readEmulationAnswer(answer);
    (void)normalizeOutput(answer, data::EmulationOutput::IR);
  }
  // The fragments do form pipelines now and then: the parser is exercised.
  EXPECT_GT(parsed, 0u);
}

} // namespace
