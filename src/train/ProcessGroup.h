//===- ProcessGroup.h - the processes of a data-parallel run -----*- C++ -*-===//
//
// `mpirun -np N optlm train --task lm --data-parallel ...` trains one model
// with N processes: every process holds the whole network and reads the
// same data in the same order, takes the rows r, r+N, r+2N, ... of each
// batch, and the gradients are summed over the processes before every
// step, so that each one takes the same step a single process would take
// with the whole batch (up to the order of floating-point sums). Rank 0
// alone prints progress and writes checkpoints and the model.
//
// The group's operations are collective: every process calls them in the
// same order. A run of one process is a group of one whose sums are the
// identity, so the trainer has one code path. The MPI group lives in
// ProcessGroupMpi.cpp, built where Open MPI is installed (as for
// `optlm datagen --mpi`); the header needs no MPI.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace optlm::train {

class ProcessGroup {
public:
  virtual ~ProcessGroup() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Element-wise sums over the processes, in place; every process ends
  /// with the same values.
  virtual llvm::Error sum(llvm::MutableArrayRef<float> values) = 0;
  virtual llvm::Error sum(llvm::MutableArrayRef<double> values) = 0;
  /// Rank 0's bytes, on every process.
  virtual llvm::Error broadcast(std::string &bytes) = 0;
};

/// The group of a plain run: rank 0 of 1.
std::unique_ptr<ProcessGroup> singleProcess();

/// The MPI job this process was started in (MPI_COMM_WORLD), initializing
/// MPI; an error when optlm was built without MPI.
llvm::Expected<std::unique_ptr<ProcessGroup>> joinMpiJob();

} // namespace optlm::train
