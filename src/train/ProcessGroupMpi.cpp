//===- ProcessGroupMpi.cpp - the processes of an MPI job ------------------===//
#include "train/ProcessGroup.h"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <string>

namespace optlm::train {
namespace {

llvm::Error mpiError(const char *what, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return llvm::createStringError("MPI " + std::string(what) +
                                 " failed: " + std::string(text, static_cast<size_t>(length)));
}

class MpiGroup final : public ProcessGroup {
public:
  MpiGroup(int rank, int size) : Rank(rank), Size(size) {}
  int rank() const override { return Rank; }
  int size() const override { return Size; }

  llvm::Error sum(llvm::MutableArrayRef<float> values) override {
    return sumOf(values.data(), values.size(), MPI_FLOAT);
  }
  llvm::Error sum(llvm::MutableArrayRef<double> values) override {
    return sumOf(values.data(), values.size(), MPI_DOUBLE);
  }

  llvm::Error broadcast(std::string &bytes) override {
    unsigned long long length = bytes.size();
    if (int code = MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD))
      return mpiError("broadcast", code);
    bytes.resize(length);
    for (size_t done = 0; done < length;) {
      const int chunk = static_cast<int>(std::min<size_t>(length - done, INT_MAX));
      if (int code = MPI_Bcast(bytes.data() + done, chunk, MPI_BYTE, 0, MPI_COMM_WORLD))
        return mpiError("broadcast", code);
      done += chunk;
    }
    return llvm::Error::success();
  }

private:
  llvm::Error sumOf(void *values, size_t count, MPI_Datatype type) {
    const size_t width = type == MPI_FLOAT ? sizeof(float) : sizeof(double);
    char *bytes = static_cast<char *>(values);
    for (size_t done = 0; done < count;) {
      const int chunk = static_cast<int>(std::min<size_t>(count - done, INT_MAX));
      if (int code = MPI_Allreduce(MPI_IN_PLACE, bytes + done * width, chunk, type, MPI_SUM,
                                   MPI_COMM_WORLD))
        return mpiError("sum", code);
      done += chunk;
    }
    return llvm::Error::success();
  }

  int Rank, Size;
};

void finalizeMpi() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized)
    MPI_Finalize();
}

} // namespace

llvm::Expected<std::unique_ptr<ProcessGroup>> joinMpiJob() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    if (int code = MPI_Init(nullptr, nullptr))
      return mpiError("initialization", code);
    std::atexit(finalizeMpi);
  }
  // Errors are results here, not the end of the job.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return std::make_unique<MpiGroup>(rank, size);
}

} // namespace optlm::train
