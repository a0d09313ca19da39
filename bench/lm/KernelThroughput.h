//===- KernelThroughput.h - speed of each dot-product kernel -----*- C++ -*-===//
//
// Weight elements per CPU-second of each kernel on a matrix that fits the
// L2 cache, for one token (generation) and for batches of 16 (prompt
// processing): the compute side of the speed limit, apart from memory.
// Thread CPU time is used so that other work on the machine does not count.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <vector>

namespace optlm::lm {
struct KernelSet;
}

namespace optlm::bench {

/// Prints a markdown table of kernel throughput for every weight type, then
/// the attention's (printAttentionThroughput).
void printKernelThroughput();

/// Multiply-adds per CPU-second of each set's prompt attention
/// (attendF16Block) at 512, 4k and 16k cached positions, the best of seven
/// timings, on one thread and on two at once (each its own head, the slower
/// printed): long prompts are bound by it.
void printAttentionThroughput(const std::vector<const lm::KernelSet *> &sets);

} // namespace optlm::bench
