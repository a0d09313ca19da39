//===- Prompts.cpp - LLM Compiler's prompts and optlm's labels ------------===//
#include "data/Prompts.h"

using namespace llvm;

namespace optlm::data {

std::string flagTuningPrompt(StringRef ir) {
  return ("[INST] Tell me how to optimize this LLVM-IR for object file size:\n\n<code>" + ir +
          "</code> [/INST]")
      .str();
}

std::string disassemblyPrompt(StringRef assembly) {
  return ("[INST] Disassemble this code to LLVM-IR:\n\n<code>" + assembly + "</code> [/INST]")
      .str();
}

std::string emulationPrompt(StringRef ir, StringRef pipeline, uint64_t instructionCount,
                            uint64_t binarySize, EmulationOutput output) {
  const char *what = output == EmulationOutput::IR ? "the LLVM-IR" : "the assembly";
  return ("[INST] Give " + Twine(what) + " for the following code when optimized using opt -p '" +
          pipeline + "':\n\n<code>" + ir + "</code>\n\nThe input code has instruction count " +
          Twine(instructionCount) + " and binary size " + Twine(binarySize) + " bytes. [/INST]")
      .str();
}

std::string flagTuningLabel(StringRef pipeline, uint64_t binarySize, StringRef optimizedIR) {
  return ("Run opt -p '" + pipeline + "' to get binary size " + Twine(binarySize) +
          " bytes:\n\n<code>" + optimizedIR + "</code>")
      .str();
}

std::string emulationLabel(StringRef output, uint64_t instructionCount, uint64_t binarySize) {
  return ("<code>" + output + "</code>\n\nThe output code has instruction count " +
          Twine(instructionCount) + " and binary size " + Twine(binarySize) + " bytes.")
      .str();
}

std::string disassemblyLabel(StringRef ir) { return ("<code>" + ir + "</code>").str(); }

Expected<StringRef> codeBlock(StringRef text) {
  const size_t open = text.find("<code>");
  const size_t close = text.rfind("</code>");
  if (open == StringRef::npos || close == StringRef::npos || close < open + 6)
    return createStringError("no <code>...</code> block");
  return text.slice(open + 6, close);
}

Expected<FlagTuningLabel> parseFlagTuningLabel(StringRef label) {
  static constexpr StringLiteral Head = "Run opt -p '";
  if (!label.starts_with(Head))
    return createStringError("a flag-tuning label starts with \"%s\"", Head.data());
  StringRef rest = label.drop_front(Head.size());
  const size_t quote = rest.find('\'');
  if (quote == StringRef::npos)
    return createStringError("unterminated pipeline");
  FlagTuningLabel parsed;
  parsed.pipeline = rest.take_front(quote).str();
  rest = rest.drop_front(quote + 1);
  static constexpr StringLiteral SizeHead = " to get binary size ";
  if (!rest.consume_front(SizeHead))
    return createStringError("no binary size after the pipeline");
  const size_t space = rest.find(' ');
  if (space == StringRef::npos || rest.take_front(space).getAsInteger(10, parsed.binarySize))
    return createStringError("the binary size is not a number");
  auto code = codeBlock(rest);
  if (!code)
    return code.takeError();
  parsed.ir = code->str();
  return parsed;
}

} // namespace optlm::data
