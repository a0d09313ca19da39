//===- SqliteDatabase.h - a thin RAII layer over sqlite3 ---------*- C++ -*-===//
//
// Only what the results store needs: open with the settings that make several
// writer processes safe (WAL journal, busy timeout), run statements, bind and
// read columns, and transactions that take the write lock up front so that
// two writers never deadlock on a lock upgrade.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace optlm {

class SqliteStatement;

class SqliteDatabase {
public:
  /// Opens (creating if needed) the database at path; ":memory:" for a
  /// private in-memory database.
  static llvm::Expected<std::unique_ptr<SqliteDatabase>> open(llvm::StringRef path);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase &) = delete;
  SqliteDatabase &operator=(const SqliteDatabase &) = delete;

  /// Runs one or more statements that return no rows.
  llvm::Error execute(llvm::StringRef sql);
  llvm::Expected<SqliteStatement> prepare(llvm::StringRef sql);

  /// Runs body inside BEGIN IMMEDIATE ... COMMIT, rolling back if it fails.
  llvm::Error transaction(llvm::function_ref<llvm::Error()> body);

  sqlite3 *handle() const { return Db; }
  llvm::Error lastError(llvm::StringRef what) const;

private:
  explicit SqliteDatabase(sqlite3 *db) : Db(db) {}
  sqlite3 *Db;
};

/// A prepared statement. Bind parameters are 1-based, columns 0-based, as
/// in sqlite3 itself.
class SqliteStatement {
public:
  SqliteStatement(SqliteStatement &&other) noexcept;
  SqliteStatement &operator=(SqliteStatement &&other) noexcept;
  ~SqliteStatement();

  SqliteStatement &bind(int index, int64_t value);
  SqliteStatement &bind(int index, llvm::StringRef text);
  SqliteStatement &bindNull(int index);

  /// Advances to the next row: true if there is one, false when done.
  llvm::Expected<bool> step();
  /// Steps through every row, calling `read` on each; stops at the first
  /// error, sqlite's or read's.
  llvm::Error forEachRow(llvm::function_ref<llvm::Error(SqliteStatement &row)> read);
  /// Steps a statement that returns no rows, then resets it for reuse.
  llvm::Error run();
  void reset();

  int64_t columnInt(int column) const;
  double columnDouble(int column) const;
  std::string columnText(int column) const;
  bool columnIsNull(int column) const;

private:
  friend class SqliteDatabase;
  SqliteStatement(const SqliteDatabase &db, sqlite3_stmt *stmt) : Db(&db), Stmt(stmt) {}
  const SqliteDatabase *Db;
  sqlite3_stmt *Stmt;
};

} // namespace optlm
