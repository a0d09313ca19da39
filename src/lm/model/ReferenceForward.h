//===- ReferenceForward.h - the plain Llama forward pass ---------*- C++ -*-===//
//
// The oracle for InferenceSession: the Llama forward pass written to be read,
// not to be fast. Every weight row is dequantized with the reference
// conversions of lm/gguf/TensorTypes.h and multiplied in float; keys and
// values stay in float; one thread, no batching. Only for small models.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "lm/model/Model.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace optlm::lm {

/// Runs tokens through the model from position 0 and returns the logits
/// after each of them (tokens.size() vectors of vocabSize floats). Fails on a
/// token outside the vocabulary or more tokens than the trained context.
llvm::Expected<std::vector<std::vector<float>>> referenceForward(const Model &model,
                                                                 llvm::ArrayRef<int32_t> tokens);

/// The reference matrix product: out[r] = dot(dequantized row r, x).
void referenceMatVec(const WeightMatrix &weights, const float *x, float *out);

} // namespace optlm::lm
