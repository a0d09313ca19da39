//===- PipelineSyntax.cpp - the surface syntax of pass pipelines ----------===//
//
// Grammar (whitespace is allowed around every separator):
//   list     := element ((',' | whitespace) element)*
//   element  := '-'* name ('<' params '>')? ('(' list? ')')?
//   name     := [A-Za-z0-9_.-]+
// Models write the same pipeline many ways, so the separators are loose;
// everything else is strict, because a half-understood pipeline applied to
// a module is worse than a clear error.
//
//===----------------------------------------------------------------------===//
#include "pipeline/PipelineSyntax.h"

#include "llvm/ADT/StringExtras.h"

namespace optlm::syntax {
namespace {

bool isNameChar(char c) { return llvm::isAlnum(c) || c == '-' || c == '_' || c == '.'; }

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

llvm::Error syntaxError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

class ElementParser {
public:
  explicit ElementParser(llvm::StringRef text) : Text(text) {}

  llvm::Expected<std::vector<Element>> parseAll() {
    std::vector<Element> elements;
    if (llvm::Error error = parseList(elements, /*openColumn=*/0))
      return std::move(error);
    return elements;
  }

private:
  llvm::StringRef Text;
  size_t Pos = 0;
  unsigned Depth = 0;
  /// Real pipelines nest four deep; the limit keeps hostile input from
  /// exhausting the stack.
  static constexpr unsigned MaxDepth = 64;

  bool atEnd() const { return Pos >= Text.size(); }
  char peek() const { return atEnd() ? '\0' : Text[Pos]; }
  size_t column() const { return Pos + 1; }

  /// Returns whether any whitespace was skipped.
  bool skipSpace() {
    size_t start = Pos;
    while (!atEnd() && isSpace(Text[Pos]))
      ++Pos;
    return Pos != start;
  }

  llvm::Error errorHere(const llvm::Twine &what) {
    return syntaxError(what + " at column " + llvm::Twine(column()) + " in '" + forMessage(Text) +
                       "'");
  }

  llvm::Error emptyNameError() { return errorHere("empty pass name"); }

  /// openColumn is the column of the '(' this list is inside, 0 at top.
  llvm::Error parseList(std::vector<Element> &elements, size_t openColumn) {
    skipSpace();
    if (openColumn != 0 && peek() == ')')
      return llvm::Error::success();
    while (true) {
      Element element;
      if (llvm::Error error = parseElement(element))
        return error;
      elements.push_back(std::move(element));
      bool sawSpace = skipSpace();
      if (atEnd()) {
        if (openColumn != 0)
          return syntaxError("unbalanced parentheses: '(' at column " + llvm::Twine(openColumn) +
                             " is never closed in '" + forMessage(Text) + "'");
        return llvm::Error::success();
      }
      if (peek() == ')') {
        if (openColumn != 0)
          return llvm::Error::success();
        return errorHere("unbalanced parentheses: unmatched ')'");
      }
      if (peek() == ',') {
        ++Pos;
        skipSpace();
        continue;
      }
      if (!sawSpace)
        return errorHere("unexpected character '" + std::string(1, peek()) + "'");
    }
  }

  llvm::Error parseElement(Element &element) {
    while (peek() == '-')
      ++Pos;
    element.column = column();
    size_t start = Pos;
    while (!atEnd() && isNameChar(Text[Pos]))
      ++Pos;
    element.name = Text.slice(start, Pos).str();
    if (element.name.empty()) {
      if (atEnd() || peek() == ',' || peek() == ')' || peek() == '(' || peek() == '<' ||
          isSpace(peek()))
        return emptyNameError();
      return errorHere("unexpected character '" + std::string(1, peek()) + "'");
    }
    if (peek() == '<') {
      size_t open = Pos++;
      int depth = 1;
      std::string params;
      while (!atEnd() && depth > 0) {
        char c = Text[Pos];
        if (c == '(' || c == ')' || c == ',')
          break;
        if (c == '<')
          ++depth;
        if (c == '>' && --depth == 0)
          break;
        if (!isSpace(c))
          params += c;
        ++Pos;
      }
      if (depth != 0)
        return syntaxError("unterminated parameters: '<' at column " + llvm::Twine(open + 1) +
                           " has no matching '>' in '" + forMessage(Text) + "'");
      ++Pos; // '>'
      if (!params.empty())
        element.params = std::move(params);
    }
    if (peek() == '(') {
      size_t openColumn = column();
      if (++Depth > MaxDepth)
        return errorHere("nesting deeper than " + llvm::Twine(MaxDepth) + " levels");
      ++Pos;
      element.hasChildren = true;
      if (llvm::Error error = parseList(element.children, openColumn))
        return error;
      ++Pos; // ')', checked by parseList
      --Depth;
    }
    return llvm::Error::success();
  }
};

/// Drops one layer of matching quotes, backticks or a code fence.
bool stripQuotes(llvm::StringRef &text) {
  text = text.trim();
  if (text.starts_with("```")) {
    llvm::StringRef inner = text.drop_front(3);
    // A fence may name a language: ```bash
    size_t newline = inner.find('\n');
    if (newline != llvm::StringRef::npos &&
        llvm::all_of(inner.take_front(newline), [](char c) { return llvm::isAlnum(c); }))
      inner = inner.drop_front(newline + 1);
    if (inner.ends_with("```"))
      inner = inner.drop_back(3);
    text = inner.trim();
    return true;
  }
  for (char quote : {'\'', '"', '`'}) {
    if (text.size() >= 2 && text.front() == quote && text.back() == quote) {
      text = text.drop_front().drop_back().trim();
      return true;
    }
  }
  return false;
}

bool isOptCommandWord(llvm::StringRef word) {
  word = word.rsplit('/').second.empty() ? word : word.rsplit('/').second;
  if (word == "opt")
    return true;
  if (!word.consume_front("opt-"))
    return false;
  return !word.empty() && llvm::all_of(word, llvm::isDigit);
}

} // namespace

std::string forMessage(llvm::StringRef text) {
  constexpr size_t MaxLength = 160;
  std::string shown = text.take_front(MaxLength).str();
  for (char &c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = ' ';
  if (text.size() > MaxLength)
    shown += "...";
  return shown;
}

std::string Element::spelled() const {
  if (!params)
    return name;
  return name + "<" + *params + ">";
}

llvm::Expected<std::string> unwrapPipelineText(llvm::StringRef text) {
  while (stripQuotes(text)) {
  }

  // "opt -p 'sroa,gvn'", "opt-19 -passes=sroa", "opt -sroa -gvn".
  llvm::StringRef word = text.take_until(isSpace);
  if (isOptCommandWord(word)) {
    text = text.drop_front(word.size()).trim();
    if (text.empty())
      return syntaxError("empty pipeline after '" + word + "'");
  }

  for (llvm::StringRef option : {"--passes", "-passes", "--p", "-p"}) {
    if (!text.starts_with(option))
      continue;
    llvm::StringRef rest = text.drop_front(option.size());
    if (!rest.empty() && rest.front() != '=' && !isSpace(rest.front()))
      continue; // a pass whose name starts like the option
    rest = rest.ltrim();
    if (rest.consume_front("="))
      rest = rest.ltrim();
    if (!rest.empty() && (rest.front() == '\'' || rest.front() == '"')) {
      char quote = rest.front();
      size_t close = rest.find(quote, 1);
      if (close == llvm::StringRef::npos)
        return syntaxError("unterminated quote " + std::string(1, quote) + " in '" +
                           forMessage(text) + "'");
      llvm::StringRef after = rest.drop_front(close + 1).trim();
      if (!after.empty())
        return syntaxError("unexpected text after the pipeline: '" + forMessage(after) + "'");
      rest = rest.slice(1, close);
    }
    text = rest.trim();
    if (text.empty())
      return syntaxError("option '" + option + "' has no pipeline");
    break;
  }

  while (stripQuotes(text)) {
  }
  return text.str();
}

llvm::Expected<std::vector<Element>> parseElements(llvm::StringRef text) {
  return ElementParser(text).parseAll();
}

} // namespace optlm::syntax
