//===- TokenConstraint.h - restricting which tokens may come next -*- C++ -*-===//
//
// A constraint holds the model to a language: before each token it names the
// tokens allowed next, and the sampler draws only among them (a logit mask
// that never touches the masked logits). A constraint object follows one
// completion; make a new one per request.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace optlm::lm {

class TokenConstraint {
public:
  virtual ~TokenConstraint() = default;

  /// Tokens allowed next, ascending; EOS is among them exactly where the
  /// text may end. Empty when nothing may follow (the text must end). Valid
  /// until the next accept().
  virtual llvm::ArrayRef<int32_t> allowedTokens() = 0;

  /// Advances past token. A token that was not allowed leaves the
  /// constraint with nothing allowed.
  virtual void accept(int32_t token) = 0;

  /// True when the text is complete and nothing but its end is allowed:
  /// the generator stops without drawing another token.
  virtual bool mustEnd() = 0;
};

} // namespace optlm::lm
