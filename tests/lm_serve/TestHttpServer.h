//===- TestHttpServer.h - a small real HTTP server for client tests -*- C++ -*-===//
//
// The client has to cope with servers that misbehave. These tests run real
// HTTP servers (cpp-httplib on 127.0.0.1, a free port) whose handlers send
// exactly the misbehaviour under test: garbage, wrong types, failures, slow
// answers. The server stops and its thread is joined on destruction.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <httplib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace optlm::lm::test {

class TestHttpServer {
public:
  httplib::Server server;
  std::atomic<int> requests{0};

  TestHttpServer() {
    // Counted before the handler runs, so the count is final by the time a
    // client has its answer.
    server.set_pre_routing_handler([this](const httplib::Request &, httplib::Response &) {
      ++requests;
      return httplib::Server::HandlerResponse::Unhandled;
    });
  }
  ~TestHttpServer() { stop(); }

  /// Listens on port (0: a free one) and returns once it accepts.
  void start(int port = 0) {
    if (port == 0) {
      Port = server.bind_to_any_port("127.0.0.1");
    } else {
      // The port was free a moment ago; another process could take it, so
      // allow a few tries before giving up.
      for (int i = 0; i < 50 && !server.bind_to_port("127.0.0.1", port); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      Port = port;
    }
    ASSERT_GT(Port, 0);
    Thread = std::thread([this] { server.listen_after_bind(); });
    for (int i = 0; i < 1000 && !server.is_running(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ASSERT_TRUE(server.is_running());
  }

  void stop() {
    if (Thread.joinable()) {
      server.stop();
      Thread.join();
    }
  }

  int port() const { return Port; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(Port); }

private:
  int Port = 0;
  std::thread Thread;
};

/// A port that was free when asked (bound, then released).
inline int freePort() {
  TestHttpServer probe;
  probe.start();
  int port = probe.port();
  probe.stop();
  return port;
}

} // namespace optlm::lm::test
