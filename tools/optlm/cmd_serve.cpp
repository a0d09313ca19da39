//===- cmd_serve.cpp - optlm serve: an OpenAI-compatible model server -----===//
//
// Loads a GGUF model into the local runtime and serves it over HTTP with
// OpenAI's completions and chat completions APIs (docs/serving.md), so that any OpenAI client, or
// another optlm with `generate --server`, can use it. Prints the address it
// listens on as the first line of stdout (port 0 picks a free port, which is
// how scripts and tests start it), logs one line per request on stderr, and
// shuts down cleanly on SIGINT or SIGTERM.
//
//===----------------------------------------------------------------------===//
#include "Command.h"

#include "lm/generate/LocalGenerator.h"
#include "lm/serve/ChatFormat.h"
#include "lm/serve/CompletionServer.h"

#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <pthread.h>
#include <thread>

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand serveCommand("serve", "Serve a GGUF model over an OpenAI-compatible HTTP API");

cl::OptionCategory &category() { return cli::optionCategory(); }

cl::opt<std::string> modelPath("model", cl::desc("GGUF model file"), cl::value_desc("FILE.gguf"),
                               cl::sub(serveCommand), cl::cat(category()));
cl::opt<std::string> host("host",
                          cl::desc("Address to listen on (default 127.0.0.1: this machine only)"),
                          cl::init("127.0.0.1"), cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> port("port", cl::desc("Port to listen on; 0 picks a free one (default 8080)"),
                  cl::init(8080), cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> threads("threads", cl::desc("Threads for the model (0: all cores)"), cl::init(0),
                     cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> contextLength("context", cl::desc("Context length (0: the model's)"), cl::init(0),
                           cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> maxTokensLimit("max-tokens-limit",
                            cl::desc("Largest max_tokens a request may ask for (default 4096)"),
                            cl::init(4096), cl::sub(serveCommand), cl::cat(category()));
cl::opt<uint64_t> maxBodyBytes("max-body-bytes",
                               cl::desc("Largest request body; larger ones get 413 (default 1 MiB)"),
                               cl::init(1u << 20), cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> maxConcurrent(
    "max-concurrent",
    cl::desc("Requests admitted at once: one runs, the others wait in order; more get 503 "
             "(default 4)"),
    cl::init(4), cl::sub(serveCommand), cl::cat(category()));
cl::opt<bool> quiet("quiet", cl::desc("Do not log requests on stderr"), cl::sub(serveCommand),
                    cl::cat(category()));

int runServe() {
  if (modelPath.empty())
    return optlm::cli::reportError(cli::ExitUsage, "no model given (--model FILE.gguf)");
  if (port < 0 || port > 65535)
    return optlm::cli::reportError(cli::ExitUsage, "--port must be from 0 to 65535");
  if (threads < 0 || contextLength < 0)
    return optlm::cli::reportError(cli::ExitUsage, "--threads and --context must not be negative");
  if (maxTokensLimit < 1)
    return optlm::cli::reportError(cli::ExitUsage, "--max-tokens-limit must be at least 1");
  if (maxBodyBytes < 64)
    return optlm::cli::reportError(cli::ExitUsage, "--max-body-bytes must be at least 64");
  if (maxConcurrent < 1 || maxConcurrent > 1024)
    return optlm::cli::reportError(cli::ExitUsage, "--max-concurrent must be from 1 to 1024");

  // Shutdown signals are taken by one thread with sigwait(), which may stop
  // the server safely; a handler could not. They must be blocked before any
  // other thread starts, since threads inherit the mask.
  sigset_t shutdownSignals;
  sigemptyset(&shutdownSignals);
  sigaddset(&shutdownSignals, SIGINT);
  sigaddset(&shutdownSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdownSignals, nullptr);

  lm::LocalGeneratorOptions generatorOptions;
  generatorOptions.threads = threads;
  generatorOptions.contextLength = contextLength;
  auto generator = lm::LocalGenerator::open(modelPath, generatorOptions);
  if (!generator)
    return optlm::cli::reportError(cli::ExitUsage,
                "cannot load model '" + modelPath + "': " + toString(generator.takeError()));

  lm::ServerOptions options;
  options.host = host;
  options.port = port;
  options.maxTokensLimit = maxTokensLimit;
  options.maxBodyBytes = maxBodyBytes;
  options.maxConcurrent = maxConcurrent;
  options.log = quiet ? nullptr : &errs();
  lm::CompletionServer server(**generator, options);
  Expected<int> bound = server.bind();
  if (!bound)
    return optlm::cli::reportError(cli::ExitFailed, toString(bound.takeError()));

  std::thread signalWaiter([&] {
    int signal = 0;
    sigwait(&shutdownSignals, &signal);
    server.stop();
  });

  bool ipv6 = host.find(':') != std::string::npos;
  outs() << "listening on http://" << (ipv6 ? "[" + host + "]" : host) << ":" << *bound
         << " (model " << (*generator)->modelName() << ", context "
         << (*generator)->contextLength() << " tokens)\n";
  outs().flush();
  if (!quiet)
    errs() << "optlm serve: "
           << lm::describeChatFormat(lm::classifyChatTemplate((*generator)->chatTemplate()))
           << "\n";

  Error served = server.serve();
  // serve() may also end without a signal (its socket failed): wake the
  // waiter with a signal of our own so that it can be joined.
  server.stop();
  pthread_kill(signalWaiter.native_handle(), SIGTERM);
  signalWaiter.join();
  if (served)
    return optlm::cli::reportError(cli::ExitFailed, toString(std::move(served)));
  if (!quiet)
    errs() << "optlm serve: shut down\n";
  return cli::ExitOk;
}

cli::RegisterCommand registration(serveCommand, runServe);

} // namespace
