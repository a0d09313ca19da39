//===- ProcessGroupNoMpi.cpp - a build without MPI ------------------------===//
#include "train/ProcessGroup.h"

namespace optlm::train {

llvm::Expected<std::unique_ptr<ProcessGroup>> joinMpiJob() {
  return llvm::createStringError("this optlm was built without MPI (Debian: libopenmpi-dev), so "
                                 "it cannot train data-parallel");
}

} // namespace optlm::train
