//===- PipelineSyntax.h - the surface syntax of pass pipelines --*- C++ -*-===//
//
// Reading pipeline text is two steps: this file turns the characters into a
// tree of names (what was written, nothing checked against the vocabulary),
// and Pipeline.cpp resolves and nests that tree. Keeping the grammar apart
// lets its error messages point at columns while the nesting rules stay
// about pass levels only.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace optlm::syntax {

/// One written element: "sroa", "simplifycfg<keep-loops>" or
/// "function(...)". Leading dashes ("-sroa") are already dropped.
struct Element {
  std::string name;
  /// The text between '<' and '>', whitespace removed; unset without '<'.
  std::optional<std::string> params;
  /// Set when the name was followed by "(...)"; the children may be empty.
  bool hasChildren = false;
  std::vector<Element> children;
  /// 1-based column of the name in the unwrapped text, for messages.
  size_t column = 0;

  /// name<params> as written (params normalized).
  std::string spelled() const;
};

/// `text` made fit for a one-line error message: control characters become
/// spaces (so columns still count right) and long text is cut short.
std::string forMessage(llvm::StringRef text);

/// Removes what surrounds a pipeline in answers and command lines: quotes,
/// backticks and code fences, an "opt" / "opt-19" command word, and a
/// "-p" / "-passes" / "--passes=" option. Returns the pipeline text itself.
llvm::Expected<std::string> unwrapPipelineText(llvm::StringRef text);

/// Parses a list of elements separated by commas and/or whitespace, with
/// nesting in parentheses and parameters in angle brackets.
llvm::Expected<std::vector<Element>> parseElements(llvm::StringRef text);

} // namespace optlm::syntax
