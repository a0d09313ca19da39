//===- Datagen.h - a corpus into shards of records ---------------*- C++ -*-===//
//
// `optlm datagen` in library form. A run is planned (corpus opened, output
// folder checked against the parameters it was started with, finished
// modules collected from every journal in it), then its modules are made
// into records one by one (RecordMaker) and appended to the run's shard
// (ShardWriter), and at the end manifest.json is rebuilt.
//
// Which modules a process takes:
//   - one process: all of them, in corpus order;
//   - --shard i/N: those whose name hashes to i modulo N, so that N
//     independent processes (or machines sharing the folder) split the work
//     without talking to each other;
//   - under MPI: whatever rank 0 hands out (MpiDatagen.cpp).
// Records depend only on module, parameters and seed, never on the process
// that made them, so every way of running gives the same records.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "data/Corpus.h"
#include "data/RecordMaker.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace optlm::data {

struct DatagenOptions {
  std::string corpusDirectory;
  std::string outputDirectory;
  RecordOptions records;
  unsigned shardIndex = 0;
  unsigned shardCount = 1;
  /// Recorded in the parameters (token counts depend on the vocabulary).
  std::string tokenizerName;
  /// Where the live progress line goes (a terminal); null: nowhere.
  llvm::raw_ostream *progress = nullptr;
};

/// The options that decide what records are made: a folder generated with
/// one set cannot be resumed with another.
nlohmann::json datagenParameters(const DatagenOptions &options);

struct DatagenPlan {
  Corpus corpus;
  nlohmann::json parameters;
  /// Modules already in some journal of the output folder.
  std::set<std::string> finished;
};

/// Everything that can be wrong with the request is found here: a missing
/// or malformed corpus, an output folder made with other parameters, a bad
/// shard. These are the user's to fix (exit code 2).
llvm::Expected<DatagenPlan> planDatagen(const DatagenOptions &options);

struct DatagenSummary {
  uint64_t modulesDone = 0;                 ///< made into records by this run
  uint64_t modulesSkipped = 0;              ///< finished before this run started
  uint64_t records = 0;                     ///< written by this run
  std::map<std::string, uint64_t> failures; ///< by this run
  /// MPI: modules that were in flight on a worker that was lost.
  std::vector<std::string> lostModules;
  int rank = 0;
  nlohmann::json manifest; ///< the folder's manifest afterwards
};

/// The single-process (or --shard) run.
llvm::Expected<DatagenSummary> runDatagen(const DatagenOptions &options, DatagenPlan &plan);

/// The shard a module belongs to under --shard i/N.
unsigned shardOfModule(llvm::StringRef moduleName, unsigned shardCount);

/// Whether this build has MPI, and whether this process was started by
/// mpirun (OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK set).
bool mpiSupported();
bool launchedByMpirun();

/// The MPI run: rank 0 hands out modules and writes the manifest, the
/// other ranks make records into their own shards. Every rank calls it.
/// `moduleTimeoutSeconds` bounds how long rank 0 waits for one module
/// before it gives that worker up (see docs/datasets.md).
/// Initialises MPI on first use. After it, call finishMpi exactly once.
llvm::Expected<DatagenSummary> runDatagenMpi(const DatagenOptions &options, DatagenPlan &plan,
                                             double moduleTimeoutSeconds);

/// Ends the MPI session: MPI_Finalize, or MPI_Abort with exitCode when
/// rank 0 gave up on a worker (which may still be running). Returns the
/// rank (0 when MPI was never started).
int finishMpi();

/// The shared piece: makes one module's records into a shard.
class ShardWriter;
llvm::Error makeModuleInto(RecordMaker &maker, const Corpus &corpus, const CorpusEntry &entry,
                           ShardWriter &shard, DatagenSummary &summary);

/// Rebuilds and writes the manifest; an MPI run adds the modules it lost
/// (in flight on a worker that failed or was given up) and why.
llvm::Expected<nlohmann::json> finishManifest(const DatagenOptions &options,
                                              const DatagenPlan &plan,
                                              llvm::ArrayRef<std::string> lostModules = {},
                                              llvm::ArrayRef<std::string> workerErrors = {});

/// Where a shard's evaluation cache lives.
std::string cachePathFor(const DatagenOptions &options, llvm::StringRef shardName);

} // namespace optlm::data
