//===- AssemblyNormalizer.cpp - assembly text compared for round trips ----===//
#include "tasks/AssemblyNormalizer.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace optlm::tasks {
namespace {

/// '#' starts an x86-64 comment; in AArch64 it marks an immediate ("#1"),
/// which is never followed by a space.
bool startsHashComment(StringRef line, size_t i) {
  if (line[i] != '#')
    return false;
  bool atLineStart = line.take_front(i).trim().empty();
  bool spaceAfter = i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t';
  return atLineStart || spaceAfter;
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
      if (startsHashComment(line, i) || (c == '/' && i + 1 < line.size() && line[i + 1] == '/'))
        break;
      if (c == '/' && i + 1 < line.size() && line[i + 1] == '*') {
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
