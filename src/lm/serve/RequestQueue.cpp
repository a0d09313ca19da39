//===- RequestQueue.cpp - one model, many clients -------------------------===//
#include "lm/serve/RequestQueue.h"

#include <algorithm>

namespace optlm::lm {

RequestQueue::RequestQueue(int maxAdmitted) : MaxAdmitted(std::max(1, maxAdmitted)) {}

std::unique_ptr<RequestQueue::Ticket> RequestQueue::tryAdmit() {
  std::lock_guard<std::mutex> lock(Mutex);
  if (ShutDown || Admitted >= MaxAdmitted)
    return nullptr;
  ++Admitted;
  return std::unique_ptr<Ticket>(new Ticket(*this, NextTicket++));
}

bool RequestQueue::Ticket::waitForTurn() {
  std::unique_lock<std::mutex> lock(Queue.Mutex);
  Queue.TurnChanged.wait(lock, [&] { return Queue.ShutDown || Queue.NowServing == Number; });
  // Even after shutdown the ticket whose turn it is may run: the running
  // request is let finish (its generation is cancelled separately).
  HadTurn = Queue.NowServing == Number && !Queue.ShutDown;
  return HadTurn;
}

RequestQueue::Ticket::~Ticket() { Queue.leave(Number); }

void RequestQueue::leave(uint64_t number) {
  {
    std::lock_guard<std::mutex> lock(Mutex);
    --Admitted;
    if (number == NowServing) {
      ++NowServing;
      while (Abandoned.erase(NowServing))
        ++NowServing;
    } else if (number > NowServing) {
      Abandoned.insert(number);
    }
  }
  TurnChanged.notify_all();
}

void RequestQueue::shutdown() {
  {
    std::lock_guard<std::mutex> lock(Mutex);
    ShutDown = true;
  }
  TurnChanged.notify_all();
}

bool RequestQueue::isShutDown() const {
  std::lock_guard<std::mutex> lock(Mutex);
  return ShutDown;
}

int RequestQueue::admitted() const {
  std::lock_guard<std::mutex> lock(Mutex);
  return Admitted;
}

} // namespace optlm::lm
