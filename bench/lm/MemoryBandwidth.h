//===- MemoryBandwidth.h - measure the memory read bandwidth -----*- C++ -*-===//
//
// Generation reads every weight once per token, so its speed limit is the
// rate at which the cores can stream memory. This measures that rate the
// same way: threads each read their share of a buffer far larger than the
// caches.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>

namespace optlm::bench {

/// Best of `passes` streaming reads of a `bytes` buffer with `threads`
/// threads, in bytes per second. Runs in a child process, so that the
/// buffer does not count towards this process's peak resident memory;
/// returns 0 if the child fails.
double measureReadBandwidth(size_t bytes, int threads, int passes);

} // namespace optlm::bench
