//===- RequestQueue.h - one model, many clients ---------------------*- C++ -*-===//
//
// The model serves one request at a time. Requests beyond the running one
// wait their turn in arrival order, up to a limit on how many are admitted
// at all (running plus waiting): past it the server answers 503 at once, so
// that a flood of clients cannot pile up unbounded work or hold every HTTP
// worker thread. Shutdown wakes every waiter so that nothing hangs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>

namespace optlm::lm {

class RequestQueue {
public:
  /// maxAdmitted >= 1: the running request plus maxAdmitted - 1 waiting.
  explicit RequestQueue(int maxAdmitted);

  /// A place in the queue; leaving it (destruction) frees the model for the
  /// next ticket and the admission slot for a new request.
  class Ticket {
  public:
    ~Ticket();
    Ticket(const Ticket &) = delete;
    Ticket &operator=(const Ticket &) = delete;

    /// Blocks until this ticket's turn. False when the queue shut down first.
    bool waitForTurn();

  private:
    friend class RequestQueue;
    Ticket(RequestQueue &queue, uint64_t number) : Queue(queue), Number(number) {}
    RequestQueue &Queue;
    uint64_t Number;
    bool HadTurn = false;
  };

  /// A ticket, or nullptr when maxAdmitted requests are already in.
  std::unique_ptr<Ticket> tryAdmit();

  /// Refuses new requests and wakes all waiters; the running one finishes.
  void shutdown();
  bool isShutDown() const;

  /// Requests admitted and not yet done (running plus waiting).
  int admitted() const;

private:
  void leave(uint64_t number);

  const int MaxAdmitted;
  mutable std::mutex Mutex;
  std::condition_variable TurnChanged;
  int Admitted = 0;
  uint64_t NextTicket = 0;
  /// The ticket whose turn it is; tickets are served in number order, and a
  /// ticket that leaves without its turn is remembered as skipped.
  uint64_t NowServing = 0;
  std::set<uint64_t> Abandoned;
  bool ShutDown = false;
};

} // namespace optlm::lm
