//===- RequestQueue.cpp - one model, many clients -------------------------===//
#include "lm/serve/RequestQueue.h"

#include <algorithm>

namespace optlm::lm {

RequestQueue::RequestQueue(int maxAdmitted) : maxAdmitted_(std::max(1, maxAdmitted)) {}

std::unique_ptr<RequestQueue::Ticket> RequestQueue::tryAdmit() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (shutDown_ || admitted_ >= maxAdmitted_)
    return nullptr;
  ++admitted_;
  return std::unique_ptr<Ticket>(new Ticket(*this, nextTicket_++));
}

bool RequestQueue::Ticket::waitForTurn() {
  std::unique_lock<std::mutex> lock(queue_.mutex_);
  queue_.turnChanged_.wait(lock, [&] { return queue_.shutDown_ || queue_.nowServing_ == number_; });
  // Even after shutdown the ticket whose turn it is may run: the running
  // request is let finish (its generation is cancelled separately).
  hadTurn_ = queue_.nowServing_ == number_ && !queue_.shutDown_;
  return hadTurn_;
}

RequestQueue::Ticket::~Ticket() { queue_.leave(number_); }

void RequestQueue::leave(uint64_t number) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --admitted_;
    if (number == nowServing_) {
      ++nowServing_;
      while (abandoned_.erase(nowServing_))
        ++nowServing_;
    } else if (number > nowServing_) {
      abandoned_.insert(number);
    }
  }
  turnChanged_.notify_all();
}

void RequestQueue::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    shutDown_ = true;
  }
  turnChanged_.notify_all();
}

bool RequestQueue::isShutDown() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return shutDown_;
}

int RequestQueue::admitted() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return admitted_;
}

} // namespace optlm::lm
