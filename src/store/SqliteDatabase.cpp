//===- SqliteDatabase.cpp -------------------------------------------------===//
#include "store/SqliteDatabase.h"

#include <sqlite3.h>

using namespace llvm;

namespace optlm {

Expected<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(StringRef path) {
  sqlite3 *db = nullptr;
  int rc =
      sqlite3_open_v2(path.str().c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return createStringError(inconvertibleErrorCode(), "cannot open store '%s': %s",
                             path.str().c_str(), message.c_str());
  }
  std::unique_ptr<SqliteDatabase> result(new SqliteDatabase(db));
  // Writers from other processes wait instead of failing with SQLITE_BUSY.
  sqlite3_busy_timeout(db, 60'000);
  // WAL lets readers proceed while one process writes; synchronous=NORMAL is
  // durable across process crashes, which is what an interrupted run needs.
  if (path != ":memory:")
    if (Error err = result->execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"))
      return std::move(err);
  return std::move(result);
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close_v2(Db); }

Error SqliteDatabase::lastError(StringRef what) const {
  return createStringError(inconvertibleErrorCode(), "store: %s: %s", what.str().c_str(),
                           sqlite3_errmsg(Db));
}

Error SqliteDatabase::execute(StringRef sql) {
  char *message = nullptr;
  if (sqlite3_exec(Db, sql.str().c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return createStringError(inconvertibleErrorCode(), "store: %s", text.c_str());
  }
  return Error::success();
}

Expected<SqliteStatement> SqliteDatabase::prepare(StringRef sql) {
  sqlite3_stmt *stmt = nullptr;
  if (sqlite3_prepare_v2(Db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK)
    return lastError("prepare");
  return SqliteStatement(*this, stmt);
}

Error SqliteDatabase::transaction(function_ref<Error()> body) {
  if (Error err = execute("BEGIN IMMEDIATE"))
    return err;
  if (Error err = body()) {
    consumeError(execute("ROLLBACK"));
    return err;
  }
  return execute("COMMIT");
}

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : Db(other.Db), Stmt(other.Stmt) {
  other.Stmt = nullptr;
}

SqliteStatement &SqliteStatement::operator=(SqliteStatement &&other) noexcept {
  if (this != &other) {
    sqlite3_finalize(Stmt);
    Db = other.Db;
    Stmt = other.Stmt;
    other.Stmt = nullptr;
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(Stmt); }

SqliteStatement &SqliteStatement::bind(int index, int64_t value) {
  sqlite3_bind_int64(Stmt, index, value);
  return *this;
}

SqliteStatement &SqliteStatement::bind(int index, StringRef text) {
  sqlite3_bind_text(Stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement &SqliteStatement::bindNull(int index) {
  sqlite3_bind_null(Stmt, index);
  return *this;
}

Expected<bool> SqliteStatement::step() {
  int rc = sqlite3_step(Stmt);
  if (rc == SQLITE_ROW)
    return true;
  if (rc == SQLITE_DONE)
    return false;
  return Db->lastError("step");
}

Error SqliteStatement::forEachRow(function_ref<Error(SqliteStatement &row)> read) {
  while (true) {
    Expected<bool> row = step();
    if (!row)
      return row.takeError();
    if (!*row)
      return Error::success();
    if (Error error = read(*this))
      return error;
  }
}

Error SqliteStatement::run() {
  Expected<bool> row = step();
  reset();
  if (!row)
    return row.takeError();
  return Error::success();
}

void SqliteStatement::reset() {
  sqlite3_reset(Stmt);
  sqlite3_clear_bindings(Stmt);
}

int64_t SqliteStatement::columnInt(int column) const { return sqlite3_column_int64(Stmt, column); }

double SqliteStatement::columnDouble(int column) const {
  return sqlite3_column_double(Stmt, column);
}

std::string SqliteStatement::columnText(int column) const {
  const unsigned char *text = sqlite3_column_text(Stmt, column);
  if (!text)
    return {};
  return std::string(reinterpret_cast<const char *>(text),
                     static_cast<size_t>(sqlite3_column_bytes(Stmt, column)));
}

bool SqliteStatement::columnIsNull(int column) const {
  return sqlite3_column_type(Stmt, column) == SQLITE_NULL;
}

} // namespace optlm
