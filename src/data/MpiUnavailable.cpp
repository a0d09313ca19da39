//===- MpiUnavailable.cpp - datagen built without MPI ---------------------===//
//
// Compiled instead of MpiDatagen.cpp when CMake found no MPI: --mpi and
// mpirun launches get a clear error instead of N copies doing the same work.
//
//===----------------------------------------------------------------------===//
#include "data/Datagen.h"

namespace optlm::data {

bool mpiSupported() { return false; }

llvm::Expected<DatagenSummary> runDatagenMpi(const DatagenOptions &, DatagenPlan &, double) {
  return llvm::createStringError(
      "this optlm was built without MPI (install libopenmpi-dev and reconfigure)");
}

int finishMpi() { return 0; }

} // namespace optlm::data
