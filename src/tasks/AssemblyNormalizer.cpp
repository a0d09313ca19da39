//===- AssemblyNormalizer.cpp - assembly text compared for round trips ----===//
#include "tasks/AssemblyNormalizer.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace optlm::tasks {
namespace {

/// Whether `rest` starts a comment of either syntax.
bool startsCommentMarker(StringRef rest) {
  return rest.starts_with("#") || rest.starts_with("//") || rest.starts_with("/*");
}

/// '#' starts an x86-64 comment; in AArch64 it marks an immediate ("#1"),
/// which is never followed by white space or by another comment. `kept` is what
/// stays of the line before the '#': a '#' after nothing but a block comment
/// begins the line as much as one after nothing at all. Judging by what
/// stays, not by the raw text, makes normalizing normalized text a no-op.
bool startsHashComment(StringRef line, size_t i, StringRef kept) {
  if (line[i] != '#')
    return false;
  StringRef rest = line.drop_front(i + 1);
  return kept.trim().empty() || rest.empty() || isSpace(rest.front()) || startsCommentMarker(rest);
}

/// The line without its comment; comment characters inside a quoted
/// string are text.
std::string stripComment(StringRef line) {
  std::string out;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"' && (i == 0 || line[i - 1] != '\\'))
      quoted = !quoted;
    if (!quoted) {
      StringRef rest = line.drop_front(i);
      if (startsHashComment(line, i, out) || rest.starts_with("//"))
        break;
      if (rest.starts_with("/*")) {
        size_t end = line.find("*/", i + 2);
        if (end == StringRef::npos)
          break;
        i = end + 1;
        out += ' ';
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::string collapseSpaces(StringRef line) {
  std::string out;
  bool space = false;
  for (char c : line.trim()) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty())
      out += ' ';
    space = false;
    out += c;
  }
  return out;
}

} // namespace

std::string normalizeAssembly(StringRef assembly) {
  std::string out;
  SmallVector<StringRef, 0> lines;
  assembly.split(lines, '\n');
  for (StringRef raw : lines) {
    std::string line = collapseSpaces(stripComment(raw.rtrim('\r')));
    if (line.empty())
      continue;
    StringRef first = StringRef(line).take_until([](char c) { return c == ' '; });
    bool label = first.ends_with(":");
    if (first.starts_with(".") && !label)
      continue;
    out += line;
    out += '\n';
  }
  return out;
}

} // namespace optlm::tasks
