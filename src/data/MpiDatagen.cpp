//===- MpiDatagen.cpp - datagen over the ranks of an MPI job --------------===//
//
// Rank 0 is the coordinator and makes no records itself (unless it is alone):
// it hands out one module at a time to whichever worker asks, so one slow
// module holds up only its worker. Workers make records into their own
// shard, "mpi-rank-R", whose journal makes the work resumable exactly as in
// a single-process run.
//
// Messages are three int64s on MPI_COMM_WORLD:
//   worker -> 0, tag Ready:  {module index or -1, ok (1/0), records}
//   0 -> worker, tag Work:   {module index, or -1 to stop, 0}
// The communicator's error handler is MPI_ERRORS_RETURN so that a failed
// send to a worker that died is a result, not the end of the job. A worker
// whose module takes longer than the timeout is given up: its module is
// reported as lost in the manifest (and made again by the next run, since
// it is in no journal), and the job ends with MPI_Abort once the manifest
// is written, which also stops the straggler. What Open MPI does when a
// rank dies outright is its launcher's decision: by default mpirun ends the
// whole job (every finished module is journaled, so rerunning the same
// command loses only the modules that were in flight); with
// `mpirun --enable-recovery` the job goes on and the dead worker is given up
// after the timeout like a silent one.
//
//===----------------------------------------------------------------------===//
#include "data/Datagen.h"

#include "data/ShardWriter.h"

#include "llvm/Support/Format.h"

#include <mpi.h>

#include <chrono>
#include <thread>
#include <vector>

using namespace llvm;

namespace optlm::data {

bool mpiSupported() { return true; }

namespace {

enum Tag : int { TagReady = 1, TagWork = 2 };

struct Worker {
  int64_t inFlight = -1;
  std::chrono::steady_clock::time_point since;
  bool alive = true;
  bool stopped = false;
};

/// The process's MPI state: started by runDatagenMpi, ended by finishMpi.
struct MpiSession {
  bool started = false;
  int rank = 0;
  int size = 1;
  int abortCode = 0;
};

MpiSession &session() {
  static MpiSession state;
  return state;
}

void startMpi() {
  MpiSession &state = session();
  if (state.started)
    return;
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised)
    MPI_Init(nullptr, nullptr);
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &state.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &state.size);
  state.started = true;
}

Expected<DatagenSummary> runWorker(const DatagenOptions &options, DatagenPlan &plan, int rank) {
  DatagenSummary summary;
  const std::string shardName = "mpi-rank-" + std::to_string(rank);
  auto shard = ShardWriter::open(options.outputDirectory, shardName);
  RecordOptions recordOptions = options.records;
  recordOptions.storePath = cachePathFor(options, shardName);
  Expected<std::unique_ptr<RecordMaker>> maker =
      shard ? RecordMaker::create(std::move(recordOptions))
            : Expected<std::unique_ptr<RecordMaker>>(shard.takeError());
  Error failure = maker ? Error::success() : maker.takeError();
  int64_t message[3] = {-1, failure ? 0 : 1, 0};
  while (true) {
    if (MPI_Send(message, 3, MPI_INT64_T, 0, TagReady, MPI_COMM_WORLD) != MPI_SUCCESS)
      break;
    if (failure)
      break; // the coordinator stops giving work to a worker that failed
    int64_t work[3];
    if (MPI_Recv(work, 3, MPI_INT64_T, 0, TagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
        MPI_SUCCESS)
      break;
    if (work[0] < 0 || size_t(work[0]) >= plan.corpus.entries().size())
      break;
    const uint64_t before = summary.records;
    failure = makeModuleInto(**maker, plan.corpus, plan.corpus.entries()[work[0]], *shard, summary);
    message[0] = work[0];
    message[1] = failure ? 0 : 1;
    message[2] = int64_t(summary.records - before);
  }
  if (failure)
    return std::move(failure);
  return summary;
}

Expected<DatagenSummary> runCoordinator(const DatagenOptions &options, DatagenPlan &plan, int size,
                                        double timeoutSeconds, bool &lostWorkers) {
  DatagenSummary summary;
  std::vector<int64_t> queue;
  const auto &entries = plan.corpus.entries();
  for (size_t index = 0; index < entries.size(); ++index) {
    if (plan.finished.count(entries[index].name))
      ++summary.modulesSkipped;
    else
      queue.push_back(int64_t(index));
  }
  size_t next = 0;
  std::vector<Worker> workers(size);
  std::vector<std::string> lost, workerErrors;
  const auto start = std::chrono::steady_clock::now();
  auto liveBusy = [&] {
    for (int rank = 1; rank < size; ++rank)
      if (workers[rank].alive && !workers[rank].stopped)
        return true;
    return false;
  };
  auto showProgress = [&] {
    if (!options.progress)
      return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    *options.progress << "\r\033[Kdatagen (MPI, " << size - 1
                      << " workers): " << summary.modulesDone << "/" << queue.size() << " modules, "
                      << summary.records << " records, " << lost.size() << " lost, "
                      << format("%.0f", seconds) << " s";
    options.progress->flush();
  };

  int64_t message[3];
  MPI_Request request;
  MPI_Irecv(message, 3, MPI_INT64_T, MPI_ANY_SOURCE, TagReady, MPI_COMM_WORLD, &request);
  bool pending = true;
  while (liveBusy()) {
    int arrived = 0;
    MPI_Status status;
    if (MPI_Test(&request, &arrived, &status) != MPI_SUCCESS) {
      pending = false;
      break;
    }
    if (!arrived) {
      const auto now = std::chrono::steady_clock::now();
      for (int rank = 1; rank < size; ++rank) {
        Worker &worker = workers[rank];
        if (!worker.alive || worker.stopped || worker.inFlight < 0)
          continue;
        if (std::chrono::duration<double>(now - worker.since).count() > timeoutSeconds) {
          lost.push_back(entries[worker.inFlight].name);
          worker.alive = false;
          lostWorkers = true;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    const int rank = status.MPI_SOURCE;
    Worker &worker = workers[rank];
    const int64_t finished = message[0];
    const bool ok = message[1] == 1;
    const int64_t records = message[2];
    MPI_Irecv(message, 3, MPI_INT64_T, MPI_ANY_SOURCE, TagReady, MPI_COMM_WORLD, &request);
    if (!worker.alive)
      continue; // given up on already; its module is reported lost
    if (finished >= 0 && ok) {
      ++summary.modulesDone;
      summary.records += uint64_t(records);
      plan.finished.insert(entries[finished].name);
    }
    worker.inFlight = -1;
    if (!ok) {
      workerErrors.push_back("rank " + std::to_string(rank) +
                             (finished >= 0 ? " failed on " + entries[finished].name
                                            : std::string(" could not start")));
      if (finished >= 0)
        lost.push_back(entries[finished].name);
      worker.stopped = true;
      continue;
    }
    int64_t work[3] = {-1, 0, 0};
    if (next < queue.size()) {
      work[0] = queue[next++];
      worker.inFlight = work[0];
      worker.since = std::chrono::steady_clock::now();
    } else {
      worker.stopped = true;
    }
    if (MPI_Send(work, 3, MPI_INT64_T, rank, TagWork, MPI_COMM_WORLD) != MPI_SUCCESS) {
      if (work[0] >= 0)
        lost.push_back(entries[work[0]].name);
      worker.alive = false;
      lostWorkers = true;
    }
    showProgress();
  }
  if (pending) {
    MPI_Cancel(&request);
    MPI_Request_free(&request);
  }
  // Modules never handed out because every worker was gone.
  for (; next < queue.size(); ++next)
    lost.push_back(entries[queue[next]].name);
  if (options.progress)
    *options.progress << "\n";

  auto manifest = finishManifest(options, plan, lost, workerErrors);
  if (!manifest)
    return manifest.takeError();
  summary.manifest = std::move(*manifest);
  summary.lostModules = lost;
  if (!lost.empty())
    summary.failures["module/lost"] += lost.size();
  return summary;
}

} // namespace

Expected<DatagenSummary> runDatagenMpi(const DatagenOptions &options, DatagenPlan &plan,
                                       double moduleTimeoutSeconds) {
  startMpi();
  MpiSession &state = session();
  if (state.size == 1)
    return runDatagen(options, plan);
  if (state.rank != 0) {
    auto summary = runWorker(options, plan, state.rank);
    if (summary)
      summary->rank = state.rank;
    return summary;
  }
  bool lostWorkers = false;
  auto summary = runCoordinator(options, plan, state.size, moduleTimeoutSeconds, lostWorkers);
  if (lostWorkers)
    state.abortCode = 1;
  return summary;
}

int finishMpi() {
  MpiSession &state = session();
  if (!state.started)
    return 0;
  if (state.abortCode)
    MPI_Abort(MPI_COMM_WORLD, state.abortCode);
  MPI_Finalize();
  return state.rank;
}

} // namespace optlm::data
