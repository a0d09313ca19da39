//===- PassVocabulary.cpp - the LLVM 19 passes optlm accepts --------------===//
//
// Parses the tab-separated vocabulary format. The built-in vocabulary is the
// bytes of data/passes.tsv compiled into the library (see EmbedFile.cmake).
//
//===----------------------------------------------------------------------===//
#include "pipeline/PassVocabulary.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <optional>

namespace optlm {
namespace {

const char EmbeddedPassesTsv[] = {
#include "PassesTsv.inc"
    '\0'};

std::optional<PassHazard> parseHazard(llvm::StringRef text) {
  return llvm::StringSwitch<std::optional<PassHazard>>(text)
      .Case("none", PassHazard::None)
      .Case("crashes", PassHazard::Crashes)
      .Case("hangs", PassHazard::Hangs)
      .Case("miscompiles", PassHazard::Miscompiles)
      .Default(std::nullopt);
}

/// "simplifycfg<keep-loops>" -> "simplifycfg".
llvm::StringRef baseName(llvm::StringRef name) {
  return name.take_until([](char c) { return c == '<'; });
}

/// A pass name is what PassBuilder would read as one leaf: a lower-case
/// identifier, optionally followed by one balanced <parameters> group.
bool isWellFormedName(llvm::StringRef name) {
  llvm::StringRef base = baseName(name);
  if (base.empty())
    return false;
  for (char c : base)
    if (!(llvm::isAlnum(c) || c == '-' || c == '_' || c == '.'))
      return false;
  llvm::StringRef params = name.drop_front(base.size());
  if (params.empty())
    return true;
  return params.size() > 2 && params.back() == '>' &&
         params.drop_front().drop_back().find_first_of("<>(), \t") == llvm::StringRef::npos;
}

llvm::Error lineError(unsigned line, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "pass vocabulary line " + llvm::Twine(line) + ": " + message);
}

} // namespace

llvm::StringRef passLevelName(PassLevel level) {
  switch (level) {
  case PassLevel::Module:
    return "module";
  case PassLevel::CGSCC:
    return "cgscc";
  case PassLevel::Function:
    return "function";
  case PassLevel::Loop:
    return "loop";
  case PassLevel::LoopMSSA:
    return "loop-mssa";
  }
  return "unknown";
}

std::optional<PassLevel> passLevelFromName(llvm::StringRef name) {
  for (PassLevel level : {PassLevel::Module, PassLevel::CGSCC, PassLevel::Function, PassLevel::Loop,
                          PassLevel::LoopMSSA})
    if (passLevelName(level) == name)
      return level;
  return std::nullopt;
}

llvm::StringRef passHazardName(PassHazard hazard) {
  switch (hazard) {
  case PassHazard::None:
    return "none";
  case PassHazard::Crashes:
    return "crashes";
  case PassHazard::Hangs:
    return "hangs";
  case PassHazard::Miscompiles:
    return "miscompiles";
  }
  return "unknown";
}

llvm::Expected<PassVocabulary> PassVocabulary::parse(llvm::StringRef text) {
  PassVocabulary vocabulary;
  llvm::StringSet<> seenNames;
  unsigned lineNumber = 0;
  while (!text.empty()) {
    auto [rawLine, rest] = text.split('\n');
    text = rest;
    ++lineNumber;
    llvm::StringRef line = rawLine.rtrim("\r");
    if (line.trim().empty() || line.ltrim().starts_with("#"))
      continue;

    llvm::SmallVector<llvm::StringRef, 6> fields;
    line.split(fields, '\t');
    if (fields.size() < 4 || fields.size() > 5)
      return lineError(lineNumber, "expected 4 or 5 tab-separated fields (name, level, "
                                   "search, hazard, note), found " +
                                       llvm::Twine(fields.size()) + " in '" + line + "'");
    for (llvm::StringRef &field : fields)
      field = field.trim(" ");

    PassInfo info;
    info.name = fields[0].str();
    if (!isWellFormedName(fields[0]))
      return lineError(lineNumber, "malformed pass name '" + fields[0] + "'");
    if (!seenNames.insert(fields[0]).second)
      return lineError(lineNumber, "duplicate pass '" + fields[0] + "'");

    std::optional<PassLevel> level = passLevelFromName(fields[1]);
    if (!level)
      return lineError(lineNumber, "unknown level '" + fields[1] +
                                       "' (expected module, cgscc, function, "
                                       "loop or loop-mssa)");
    info.level = *level;

    if (fields[2] != "yes" && fields[2] != "no")
      return lineError(lineNumber, "search must be 'yes' or 'no', not '" + fields[2] + "'");
    info.inSearchSpace = fields[2] == "yes";

    std::optional<PassHazard> hazard = parseHazard(fields[3]);
    if (!hazard)
      return lineError(lineNumber, "unknown hazard '" + fields[3] +
                                       "' (expected none, crashes, hangs or "
                                       "miscompiles)");
    info.hazard = *hazard;
    if (info.inSearchSpace && info.hazard != PassHazard::None)
      return lineError(lineNumber,
                       "hazardous pass '" + fields[0] + "' cannot be in the search space");

    if (fields.size() == 5)
      info.note = fields[4].str();
    vocabulary.Passes.push_back(std::move(info));
  }
  return vocabulary;
}

const PassVocabulary &PassVocabulary::builtin() {
  static const PassVocabulary vocabulary = [] {
    llvm::Expected<PassVocabulary> parsed =
        parse(llvm::StringRef(EmbeddedPassesTsv, sizeof(EmbeddedPassesTsv) - 1));
    if (!parsed) {
      // The file is part of the build and covered by the tests; a broken
      // copy is a build defect, not an input error.
      llvm::errs() << "optlm: built-in data/passes.tsv is invalid: "
                   << llvm::toString(parsed.takeError()) << "\n";
      std::abort();
    }
    return std::move(*parsed);
  }();
  return vocabulary;
}

const PassInfo *PassVocabulary::lookup(llvm::StringRef name) const {
  for (const PassInfo &info : Passes)
    if (info.name == name)
      return &info;
  llvm::StringRef base = baseName(name);
  for (const PassInfo &info : Passes)
    if (baseName(info.name) == base)
      return &info;
  return nullptr;
}

std::vector<const PassInfo *> PassVocabulary::searchSpace() const {
  std::vector<const PassInfo *> space;
  for (const PassInfo &info : Passes)
    if (info.inSearchSpace)
      space.push_back(&info);
  return space;
}

} // namespace optlm
