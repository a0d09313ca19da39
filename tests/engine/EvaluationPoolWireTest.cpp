//===- EvaluationPoolWireTest.cpp - results through the child's socket -----===//
#include "engine/EvaluationPoolWire.h"
#include "testing/Testing.h"

#include "gtest/gtest.h"

using namespace optlm;

namespace {

EvaluationResult sample() {
  EvaluationResult result;
  result.outcome = Outcome::Ok;
  result.pipeline = "module(function(sroa),globaldce)";
  result.message = "";
  result.capturedStderr = "warning: something\n";
  Measurement m;
  m.binarySize = 1234;
  m.textSize = 1200;
  m.dataSize = 34;
  m.bssSize = 16;
  m.sections = {{".text", 1000}, {".rodata", 200}, {".data", 34}, {".bss", 16}};
  m.instructionCount = 321;
  m.basicBlockCount = 45;
  m.functionCount = 6;
  m.irHash = 0x0123456789abcdefULL;
  result.measurement = m;
  return result;
}

} // namespace

TEST(EvaluationPoolWire, ResultRoundTrips) {
  EvaluationResult original = sample();
  auto decoded = wire::decodeResult(wire::encodeResult(original));
  OPTLM_ASSERT_OK(decoded);
  EXPECT_EQ(decoded->outcome, original.outcome);
  EXPECT_EQ(decoded->pipeline, original.pipeline);
  EXPECT_EQ(decoded->capturedStderr, original.capturedStderr);
  ASSERT_TRUE(decoded->measurement);
  EXPECT_EQ(decoded->measurement->sections, original.measurement->sections);
  EXPECT_EQ(decoded->measurement->irHash, original.measurement->irHash);
  EXPECT_EQ(decoded->measurement->basicBlockCount, 45u);
  EXPECT_EQ(decoded->measurement->bssSize, 16u);

  EvaluationResult failure;
  failure.outcome = Outcome::InvalidIR;
  failure.message = "Aliasee cannot be NULL!";
  auto decodedFailure = wire::decodeResult(wire::encodeResult(failure));
  ASSERT_TRUE(static_cast<bool>(decodedFailure));
  EXPECT_EQ(decodedFailure->outcome, Outcome::InvalidIR);
  EXPECT_EQ(decodedFailure->message, failure.message);
  EXPECT_FALSE(decodedFailure->measurement);
}

TEST(EvaluationPoolWire, EveryTruncationIsAnError) {
  std::string bytes = wire::encodeResult(sample());
  for (size_t size = 0; size < bytes.size(); ++size) {
    auto decoded = wire::decodeResult(llvm::StringRef(bytes.data(), size));
    ASSERT_FALSE(static_cast<bool>(decoded)) << "accepted " << size << " bytes";
    llvm::consumeError(decoded.takeError());
  }
  auto longer = wire::decodeResult(bytes + "x");
  ASSERT_FALSE(static_cast<bool>(longer));
  EXPECT_NE(llvm::toString(longer.takeError()).find("trailing"), std::string::npos);
}

TEST(EvaluationPoolWire, CorruptValuesAreErrors) {
  std::string bytes = wire::encodeResult(sample());
  bytes[0] = 42; // no such outcome
  auto decoded = wire::decodeResult(bytes);
  ASSERT_FALSE(static_cast<bool>(decoded));
  llvm::consumeError(decoded.takeError());

  std::string query = wire::encodeObjectQuery({Target::AArch64, 99});
  auto goodQuery = wire::decodeObjectQuery(query);
  ASSERT_TRUE(static_cast<bool>(goodQuery));
  EXPECT_EQ(goodQuery->target, Target::AArch64);
  EXPECT_EQ(goodQuery->irHash, 99u);
  query[0] = 7;
  auto badQuery = wire::decodeObjectQuery(query);
  ASSERT_FALSE(static_cast<bool>(badQuery));
  llvm::consumeError(badQuery.takeError());
}

TEST(EvaluationPoolWire, ObjectReplyIsEmptyWhenUnknown) {
  EXPECT_EQ(wire::encodeObjectReply(std::nullopt), "");
  auto unknown = wire::decodeObjectReply("");
  ASSERT_TRUE(static_cast<bool>(unknown));
  EXPECT_FALSE(*unknown);
  ObjectMeasurement object = objectPart(*sample().measurement);
  auto known = wire::decodeObjectReply(wire::encodeObjectReply(object));
  ASSERT_TRUE(static_cast<bool>(known));
  ASSERT_TRUE(*known);
  EXPECT_EQ(**known, object);
}
