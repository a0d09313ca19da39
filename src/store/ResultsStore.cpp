//===- ResultsStore.cpp ---------------------------------------------------===//
#include "store/ResultsStore.h"

#include "support/ResultsVersion.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <nlohmann/json.hpp>

#include <ctime>

using namespace llvm;

namespace optlm {

StringRef resultsVersion() { return kResultsVersion; }

static Expected<uint64_t> hexToHash(StringRef text) {
  uint64_t value = 0;
  if (text.getAsInteger(16, value))
    return createStringError(inconvertibleErrorCode(), "store: bad hash '%s'", text.str().c_str());
  return value;
}

static Expected<Outcome> outcomeFromName(StringRef name) {
  for (Outcome outcome : {Outcome::Ok, Outcome::InvalidPipeline, Outcome::InvalidIR, Outcome::Crash,
                          Outcome::Fatal, Outcome::Timeout, Outcome::OutOfMemory})
    if (outcomeName(outcome) == name)
      return outcome;
  return createStringError(inconvertibleErrorCode(), "store: unknown outcome '%s'",
                           name.str().c_str());
}

static int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

// SQLite stores signed 64-bit integers; sizes and counts fit comfortably.
static int64_t asColumn(uint64_t value) { return static_cast<int64_t>(value); }

Expected<std::unique_ptr<ResultsStore>> ResultsStore::open(StringRef path) {
  Expected<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::open(path);
  if (!db)
    return db.takeError();
  std::unique_ptr<ResultsStore> store(new ResultsStore(std::move(*db), path.str()));
  if (Error err = store->createSchema())
    return std::move(err);
  return std::move(store);
}

Expected<std::unique_ptr<ResultsStore>> ResultsStore::openOrDefault(StringRef path) {
  if (!path.empty())
    return open(path);
  Expected<std::string> defaultPath = defaultStorePath();
  if (!defaultPath)
    return defaultPath.takeError();
  return open(*defaultPath);
}

Error ResultsStore::createSchema() {
  return Db->transaction([&] {
    return Db->execute(R"sql(
      CREATE TABLE IF NOT EXISTS evaluations (
        module_hash TEXT NOT NULL, pipeline TEXT NOT NULL, target TEXT NOT NULL,
        llvm_version TEXT NOT NULL, outcome TEXT NOT NULL,
        binary_size INTEGER, text_size INTEGER, data_size INTEGER, bss_size INTEGER,
        instruction_count INTEGER, basic_block_count INTEGER, function_count INTEGER,
        ir_hash TEXT, sections TEXT, message TEXT, created INTEGER NOT NULL,
        PRIMARY KEY (module_hash, pipeline, target, llvm_version));
      CREATE TABLE IF NOT EXISTS tuned (
        module_hash TEXT NOT NULL, target TEXT NOT NULL, llvm_version TEXT NOT NULL,
        source TEXT, pipeline TEXT NOT NULL, binary_size INTEGER NOT NULL,
        oz_binary_size INTEGER NOT NULL, strategy TEXT, evaluations INTEGER,
        seed INTEGER, verified INTEGER NOT NULL, created INTEGER NOT NULL,
        PRIMARY KEY (module_hash, target, llvm_version));
      CREATE TABLE IF NOT EXISTS verdicts (
        pipeline TEXT NOT NULL, target TEXT NOT NULL, llvm_version TEXT NOT NULL,
        suite_id TEXT NOT NULL, accepted INTEGER NOT NULL, details TEXT,
        created INTEGER NOT NULL,
        PRIMARY KEY (pipeline, target, llvm_version, suite_id));
    )sql");
  });
}

Expected<std::optional<EvaluationResult>> ResultsStore::findEvaluation(const EvaluationKey &key) {
  Expected<SqliteStatement> query =
      Db->prepare("SELECT outcome, binary_size, text_size, data_size, bss_size, instruction_count, "
                  "basic_block_count, function_count, ir_hash, sections, message FROM evaluations "
                  "WHERE module_hash = ?1 AND pipeline = ?2 AND target = ?3 AND llvm_version = ?4");
  if (!query)
    return query.takeError();
  query->bind(1, hashToHex(key.moduleHash))
      .bind(2, key.pipeline)
      .bind(3, targetTriple(key.target))
      .bind(4, resultsVersion());
  Expected<bool> row = query->step();
  if (!row)
    return row.takeError();
  if (!*row)
    return std::nullopt;

  EvaluationResult result;
  Expected<Outcome> outcome = outcomeFromName(query->columnText(0));
  if (!outcome)
    return outcome.takeError();
  result.outcome = *outcome;
  result.pipeline = key.pipeline;
  result.message = query->columnText(10);
  result.fromCache = true;
  if (result.outcome == Outcome::Ok) {
    Measurement m;
    m.binarySize = query->columnInt(1);
    m.textSize = query->columnInt(2);
    m.dataSize = query->columnInt(3);
    m.bssSize = query->columnInt(4);
    m.instructionCount = query->columnInt(5);
    m.basicBlockCount = query->columnInt(6);
    m.functionCount = query->columnInt(7);
    Expected<uint64_t> irHash = hexToHash(query->columnText(8));
    if (!irHash)
      return irHash.takeError();
    m.irHash = *irHash;
    nlohmann::json sections = nlohmann::json::parse(query->columnText(9), nullptr, false);
    if (!sections.is_object())
      return createStringError(inconvertibleErrorCode(), "store: corrupt sections column");
    for (auto &[name, bytes] : sections.items())
      m.sections[name] = bytes.get<uint64_t>();
    result.measurement = std::move(m);
  }
  return result;
}

Error ResultsStore::recordEvaluation(const EvaluationKey &key, const EvaluationResult &result) {
  return recordEvaluations({{key, result}});
}

Error ResultsStore::recordEvaluations(
    ArrayRef<std::pair<EvaluationKey, EvaluationResult>> results) {
  return Db->transaction([&]() -> Error {
    Expected<SqliteStatement> insert = Db->prepare(
        "INSERT OR IGNORE INTO evaluations (module_hash, pipeline, target, llvm_version, "
        "outcome, binary_size, text_size, data_size, bss_size, instruction_count, "
        "basic_block_count, function_count, ir_hash, sections, message, created) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
    if (!insert)
      return insert.takeError();
    for (const auto &[key, result] : results) {
      insert->bind(1, hashToHex(key.moduleHash))
          .bind(2, key.pipeline)
          .bind(3, targetTriple(key.target))
          .bind(4, resultsVersion())
          .bind(5, outcomeName(result.outcome))
          .bind(15, result.message)
          .bind(16, now());
      if (const std::optional<Measurement> &m = result.measurement) {
        nlohmann::json sections = nlohmann::json::object();
        for (const auto &[name, bytes] : m->sections)
          sections[name] = bytes;
        insert->bind(6, asColumn(m->binarySize))
            .bind(7, asColumn(m->textSize))
            .bind(8, asColumn(m->dataSize))
            .bind(9, asColumn(m->bssSize))
            .bind(10, asColumn(m->instructionCount))
            .bind(11, asColumn(m->basicBlockCount))
            .bind(12, asColumn(m->functionCount))
            .bind(13, hashToHex(m->irHash))
            .bind(14, sections.dump());
      }
      if (Error err = insert->run())
        return err;
    }
    return Error::success();
  });
}

static Expected<TunedResult> readTuned(SqliteStatement &row) {
  TunedResult result;
  Expected<uint64_t> hash = hexToHash(row.columnText(0));
  if (!hash)
    return hash.takeError();
  result.moduleHash = *hash;
  Expected<Target> target = parseTarget(row.columnText(1));
  if (!target)
    return target.takeError();
  result.target = *target;
  result.source = row.columnText(2);
  result.pipeline = row.columnText(3);
  result.binarySize = row.columnInt(4);
  result.ozBinarySize = row.columnInt(5);
  result.strategy = row.columnText(6);
  result.evaluations = row.columnInt(7);
  result.seed = row.columnInt(8);
  result.verified = row.columnInt(9) != 0;
  return result;
}

static constexpr const char *TunedColumns =
    "module_hash, target, source, pipeline, binary_size, oz_binary_size, strategy, "
    "evaluations, seed, verified";

Error ResultsStore::recordTuned(const TunedResult &result) {
  return Db->transaction([&]() -> Error {
    // Read and write in one write transaction, so that two processes
    // recording results for the same module cannot both think they won.
    Expected<std::optional<TunedResult>> existing = findTuned(result.moduleHash, result.target);
    if (!existing)
      return existing.takeError();
    if (*existing) {
      const TunedResult &old = **existing;
      bool better = (result.verified && !old.verified) ||
                    (result.verified == old.verified && result.binarySize < old.binarySize);
      if (!better)
        return Error::success();
    }
    Expected<SqliteStatement> upsert = Db->prepare(
        "INSERT OR REPLACE INTO tuned (module_hash, target, llvm_version, source, pipeline, "
        "binary_size, oz_binary_size, strategy, evaluations, seed, verified, created) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!upsert)
      return upsert.takeError();
    upsert->bind(1, hashToHex(result.moduleHash))
        .bind(2, targetTriple(result.target))
        .bind(3, resultsVersion())
        .bind(4, result.source)
        .bind(5, result.pipeline)
        .bind(6, asColumn(result.binarySize))
        .bind(7, asColumn(result.ozBinarySize))
        .bind(8, result.strategy)
        .bind(9, asColumn(result.evaluations))
        .bind(10, asColumn(result.seed))
        .bind(11, int64_t(result.verified))
        .bind(12, now());
    return upsert->run();
  });
}

Expected<std::optional<TunedResult>> ResultsStore::findTuned(uint64_t moduleHash, Target target) {
  Expected<SqliteStatement> query =
      Db->prepare(std::string("SELECT ") + TunedColumns +
                  " FROM tuned WHERE module_hash = ?1 AND target = ?2 AND llvm_version = ?3");
  if (!query)
    return query.takeError();
  query->bind(1, hashToHex(moduleHash)).bind(2, targetTriple(target)).bind(3, resultsVersion());
  Expected<bool> row = query->step();
  if (!row)
    return row.takeError();
  if (!*row)
    return std::nullopt;
  Expected<TunedResult> result = readTuned(*query);
  if (!result)
    return result.takeError();
  return std::optional<TunedResult>(std::move(*result));
}

Expected<std::vector<TunedResult>> ResultsStore::allTuned() {
  Expected<SqliteStatement> query =
      Db->prepare(std::string("SELECT ") + TunedColumns +
                  " FROM tuned WHERE llvm_version = ?1 ORDER BY source, target");
  if (!query)
    return query.takeError();
  query->bind(1, resultsVersion());
  std::vector<TunedResult> results;
  if (Error error = query->forEachRow([&](SqliteStatement &row) -> Error {
        Expected<TunedResult> result = readTuned(row);
        if (!result)
          return result.takeError();
        results.push_back(std::move(*result));
        return Error::success();
      }))
    return std::move(error);
  return results;
}

Error ResultsStore::recordVerdict(const PassListVerdict &verdict) {
  return Db->transaction([&]() -> Error {
    Expected<SqliteStatement> upsert = Db->prepare(
        "INSERT OR REPLACE INTO verdicts (pipeline, target, llvm_version, suite_id, accepted, "
        "details, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!upsert)
      return upsert.takeError();
    upsert->bind(1, verdict.pipeline)
        .bind(2, targetTriple(verdict.target))
        .bind(3, resultsVersion())
        .bind(4, verdict.suiteId)
        .bind(5, int64_t(verdict.accepted))
        .bind(6, verdict.details)
        .bind(7, now());
    return upsert->run();
  });
}

Expected<std::optional<PassListVerdict>>
ResultsStore::findVerdict(StringRef pipeline, Target target, StringRef suiteId) {
  Expected<SqliteStatement> query =
      Db->prepare("SELECT accepted, details FROM verdicts WHERE pipeline = ?1 AND "
                  "target = ?2 AND llvm_version = ?3 AND suite_id = ?4");
  if (!query)
    return query.takeError();
  query->bind(1, pipeline).bind(2, targetTriple(target)).bind(3, resultsVersion()).bind(4, suiteId);
  Expected<bool> row = query->step();
  if (!row)
    return row.takeError();
  if (!*row)
    return std::nullopt;
  PassListVerdict verdict;
  verdict.pipeline = pipeline.str();
  verdict.target = target;
  verdict.suiteId = suiteId.str();
  verdict.accepted = query->columnInt(0) != 0;
  verdict.details = query->columnText(1);
  return std::optional<PassListVerdict>(std::move(verdict));
}

Expected<StringSet<>> ResultsStore::pipelinesWithVerdict(Target target, StringRef suiteId) {
  Expected<SqliteStatement> query = Db->prepare(
      "SELECT pipeline FROM verdicts WHERE target = ?1 AND llvm_version = ?2 AND suite_id = ?3");
  if (!query)
    return query.takeError();
  query->bind(1, targetTriple(target)).bind(2, resultsVersion()).bind(3, suiteId);
  StringSet<> pipelines;
  if (Error error = query->forEachRow([&](SqliteStatement &row) {
        pipelines.insert(row.columnText(0));
        return Error::success();
      }))
    return std::move(error);
  return pipelines;
}

Expected<StoreStats> ResultsStore::stats() {
  StoreStats stats;
  auto single = [&](StringRef sql, auto &&read) -> Error {
    Expected<SqliteStatement> query = Db->prepare(sql);
    if (!query)
      return query.takeError();
    query->bind(1, resultsVersion());
    return query->forEachRow([&](SqliteStatement &row) {
      read(row);
      return Error::success();
    });
  };
  if (Error err = single("SELECT count(*), count(DISTINCT module_hash), count(DISTINCT pipeline) "
                         "FROM evaluations WHERE llvm_version = ?1",
                         [&](SqliteStatement &row) {
                           stats.evaluations = row.columnInt(0);
                           stats.modules = row.columnInt(1);
                           stats.pipelines = row.columnInt(2);
                         }))
    return std::move(err);
  if (Error err = single("SELECT outcome, count(*) FROM evaluations WHERE llvm_version = ?1 "
                         "GROUP BY outcome ORDER BY count(*) DESC",
                         [&](SqliteStatement &row) {
                           stats.evaluationsByOutcome.emplace_back(row.columnText(0),
                                                                   row.columnInt(1));
                         }))
    return std::move(err);
  if (Error err = single("SELECT count(*), coalesce(sum(verified), 0), coalesce(avg(100.0 * "
                         "(oz_binary_size - binary_size) / max(oz_binary_size, 1)), 0) "
                         "FROM tuned WHERE llvm_version = ?1",
                         [&](SqliteStatement &row) {
                           stats.tunedResults = row.columnInt(0);
                           stats.verifiedTunedResults = row.columnInt(1);
                           stats.meanReductionVsOzPercent = row.columnDouble(2);
                         }))
    return std::move(err);
  if (Error err = single("SELECT count(*), coalesce(sum(accepted), 0) FROM verdicts "
                         "WHERE llvm_version = ?1",
                         [&](SqliteStatement &row) {
                           stats.verdicts = row.columnInt(0);
                           stats.acceptedVerdicts = row.columnInt(1);
                         }))
    return std::move(err);
  return stats;
}

} // namespace optlm
