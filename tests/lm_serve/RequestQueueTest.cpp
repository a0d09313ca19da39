//===- RequestQueueTest.cpp - admission and turn order --------------------===//
#include "lm/serve/RequestQueue.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

using namespace optlm::lm;

namespace {

TEST(ServeRequestQueue, AdmitsUpToTheLimit) {
  RequestQueue queue(2);
  auto first = queue.tryAdmit();
  auto second = queue.tryAdmit();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(queue.tryAdmit(), nullptr);
  EXPECT_EQ(queue.admitted(), 2);
  second.reset();
  EXPECT_NE(queue.tryAdmit(), nullptr);
}

TEST(ServeRequestQueue, TurnsFollowArrivalOrderAndSkipLeavers) {
  RequestQueue queue(4);
  auto first = queue.tryAdmit();
  auto second = queue.tryAdmit();
  auto third = queue.tryAdmit();
  ASSERT_TRUE(first->waitForTurn());
  // The second leaves without ever running; the third must not wait for it.
  second.reset();
  std::promise<bool> thirdRan;
  std::thread waiter([&] { thirdRan.set_value(third->waitForTurn()); });
  auto ran = thirdRan.get_future();
  EXPECT_EQ(ran.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  first.reset();
  ASSERT_EQ(ran.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(ran.get());
  waiter.join();
}

TEST(ServeRequestQueue, ShutdownWakesWaitersAndRefusesNewcomers) {
  RequestQueue queue(3);
  auto running = queue.tryAdmit();
  ASSERT_TRUE(running->waitForTurn());
  auto waiting = queue.tryAdmit();
  auto result = std::async(std::launch::async, [&] { return waiting->waitForTurn(); });
  queue.shutdown();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_FALSE(result.get());
  EXPECT_EQ(queue.tryAdmit(), nullptr);
  EXPECT_TRUE(queue.isShutDown());
}

} // namespace
