//===- SqliteDatabaseTest.cpp - the thin layer over sqlite3 ---------------===//
#include "store/SqliteDatabase.h"
#include "testing/Testing.h"

#include <gtest/gtest.h>

#include <vector>

using namespace optlm;
using namespace llvm;

namespace {

TEST(SqliteDatabase, ForEachRowReadsEveryRowAndStopsAtTheFirstError) {
  Expected<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::open(":memory:");
  OPTLM_ASSERT_OK(db);
  ASSERT_FALSE(bool((*db)->execute("CREATE TABLE t (n INTEGER);"
                                   "INSERT INTO t VALUES (1), (2), (3);")));
  Expected<SqliteStatement> query = (*db)->prepare("SELECT n FROM t ORDER BY n");
  OPTLM_ASSERT_OK(query);

  std::vector<int64_t> seen;
  Error all = query->forEachRow([&](SqliteStatement &row) {
    seen.push_back(row.columnInt(0));
    return Error::success();
  });
  EXPECT_FALSE(bool(all));
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3}));

  query->reset();
  seen.clear();
  Error stopped = query->forEachRow([&](SqliteStatement &row) -> Error {
    seen.push_back(row.columnInt(0));
    if (row.columnInt(0) == 2)
      return createStringError("enough at 2");
    return Error::success();
  });
  ASSERT_TRUE(bool(stopped));
  EXPECT_EQ(toString(std::move(stopped)), "enough at 2");
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2}));
}

} // namespace
