//===- AnswerParser.cpp - what a model's answer says, read defensively ----===//
#include "tasks/AnswerParser.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <cctype>

using namespace llvm;

namespace optlm::tasks {
namespace {

/// The quoted or bare argument that starts at text[0].
StringRef argumentAt(StringRef text) {
  if (text.empty())
    return text;
  char quote = text.front();
  if (quote == '\'' || quote == '"') {
    size_t end = text.find(quote, 1);
    return end == StringRef::npos ? text.drop_front() : text.slice(1, end);
  }
  size_t end = text.find_first_of(" \t\r\n`");
  return text.take_front(end);
}

/// Arguments of "opt -p X", "-passes=X", "--passes X" and the like.
void optArguments(StringRef answer, std::vector<std::string> &out) {
  static const char *const Flags[] = {"-passes=",  "--passes=", "-passes ",
                                      "--passes ", "-p=",       " -p "};
  for (const char *flag : Flags) {
    StringRef rest = answer;
    while (true) {
      size_t at = rest.find(flag);
      if (at == StringRef::npos)
        break;
      rest = rest.drop_front(at + StringRef(flag).size()).ltrim(" \t");
      StringRef argument = argumentAt(rest).trim();
      if (!argument.empty())
        out.push_back(argument.str());
    }
  }
}

/// Contents of ```fences``` and `backticks`, in order of appearance.
void backtickContents(StringRef answer, std::vector<std::string> &out) {
  StringRef rest = answer;
  while (true) {
    size_t open = rest.find('`');
    if (open == StringRef::npos)
      return;
    size_t ticks = 1;
    while (open + ticks < rest.size() && rest[open + ticks] == '`')
      ++ticks;
    std::string fence(ticks, '`');
    size_t close = rest.find(fence, open + ticks);
    if (close == StringRef::npos)
      return;
    StringRef inside = rest.slice(open + ticks, close);
    // A fence may name its language on the first line ("```text").
    if (ticks >= 3 && inside.contains('\n')) {
      StringRef first = inside.take_until([](char c) { return c == '\n'; });
      if (!first.contains(' ') && !first.contains(',') && !first.starts_with("-"))
        inside = inside.drop_front(first.size());
    }
    inside = inside.trim();
    if (!inside.empty())
      out.push_back(inside.str());
    rest = rest.drop_front(close + ticks);
  }
}

bool isFlagToken(StringRef token) {
  if (token.size() < 2 || token[0] != '-')
    return false;
  StringRef name = token.ltrim('-');
  if (name.empty() || !isAlpha(name[0]))
    return false;
  // Options of opt itself, not passes.
  static const char *const NotPasses[] = {"p", "o", "S", "passes", "mtriple", "march", "mcpu"};
  for (const char *option : NotPasses)
    if (name == option || name.starts_with(std::string(option) + "="))
      return false;
  return true;
}

/// The longest run of "-pass" tokens: the legacy flat form.
void flagRuns(StringRef answer, std::vector<std::string> &out) {
  SmallVector<StringRef, 64> tokens;
  SplitString(answer, tokens, " \t\r\n,;`'\"");
  std::string best, current;
  size_t bestCount = 0, count = 0;
  for (StringRef token : tokens) {
    token = token.rtrim(".:)");
    if (isFlagToken(token)) {
      if (!current.empty())
        current += ' ';
      current += token.str();
      ++count;
      if (count > bestCount) {
        best = current;
        bestCount = count;
      }
    } else {
      current.clear();
      count = 0;
    }
  }
  if (!best.empty())
    out.push_back(best);
}

} // namespace

std::vector<std::string> pipelineCandidates(StringRef answer) {
  // Code blocks hold IR, not pipelines; what surrounds them is the answer.
  std::string prose = answer.str();
  for (size_t open; (open = prose.find("<code>")) != std::string::npos;) {
    size_t close = prose.find("</code>", open);
    prose.erase(open, close == std::string::npos ? std::string::npos : close + 7 - open);
  }
  std::vector<std::string> candidates;
  optArguments(prose, candidates);
  std::vector<std::string> quoted;
  backtickContents(prose, quoted);
  for (const std::string &text : quoted) {
    optArguments(" " + text, candidates);
    candidates.push_back(text);
  }
  flagRuns(prose, candidates);
  StringRef trimmed = StringRef(prose).trim();
  if (!trimmed.empty()) {
    candidates.push_back(trimmed.str());
    // The first line alone: an answer may explain itself below the list.
    StringRef firstLine = trimmed.take_until([](char c) { return c == '\n'; }).trim();
    if (firstLine.size() != trimmed.size())
      candidates.push_back(firstLine.rtrim(".").str());
  }
  return candidates;
}

Expected<Pipeline> parsePipelineAnswer(StringRef answer) {
  std::vector<std::string> candidates = pipelineCandidates(answer);
  if (candidates.empty())
    return createStringError("the answer holds no pipeline (it is empty)");
  std::string firstError;
  for (const std::string &candidate : candidates) {
    Expected<Pipeline> parsed = Pipeline::parse(candidate);
    if (parsed)
      return parsed;
    std::string message = toString(parsed.takeError());
    if (firstError.empty())
      firstError = message;
  }
  return createStringError("no valid pipeline in the answer: %s", firstError.c_str());
}

std::string extractCode(StringRef answer) {
  StringRef code = answer;
  size_t open = answer.find("<code>");
  if (open != StringRef::npos) {
    code = answer.drop_front(open + 6);
    size_t close = code.find("</code>");
    if (close != StringRef::npos)
      code = code.take_front(close);
  } else if (size_t fence = answer.find("```"); fence != StringRef::npos) {
    code = answer.drop_front(fence + 3);
    // Skip the language tag on the fence's line.
    code = code.drop_until([](char c) { return c == '\n'; });
    size_t close = code.find("```");
    if (close != StringRef::npos)
      code = code.take_front(close);
  }
  return code.trim("\r\n").str();
}

namespace {
std::optional<uint64_t> numberAfter(StringRef text, StringRef phrase) {
  size_t at = text.find_insensitive(phrase);
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = text.drop_front(at + phrase.size()).ltrim(" \t:=");
  StringRef digits =
      rest.take_while([](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  uint64_t value = 0;
  if (digits.empty() || digits.getAsInteger(10, value))
    return std::nullopt;
  return value;
}
} // namespace

ReportedNumbers parseReportedNumbers(StringRef answer) {
  // Look after the code block: the numbers the input code had may be
  // quoted inside it by a confused model.
  StringRef outside = answer;
  size_t close = answer.rfind("</code>");
  if (close != StringRef::npos)
    outside = answer.drop_front(close);
  ReportedNumbers numbers;
  numbers.instructionCount = numberAfter(outside, "instruction count");
  numbers.binarySize = numberAfter(outside, "binary size");
  return numbers;
}

} // namespace optlm::tasks
