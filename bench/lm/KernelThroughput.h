//===- KernelThroughput.h - speed of each dot-product kernel -----*- C++ -*-===//
//
// Weight elements per CPU-second of each kernel on a matrix that fits the
// L2 cache, for one token (generation) and for batches of 16 (prompt
// processing): the compute side of the speed limit, apart from memory.
// Thread CPU time is used so that other work on the machine does not count.
//
//===----------------------------------------------------------------------===//
#pragma once

namespace optlm::bench {

/// Prints a markdown table of kernel throughput for every weight type.
void printKernelThroughput();

} // namespace optlm::bench
