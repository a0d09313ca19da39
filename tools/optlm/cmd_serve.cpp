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

cl::opt<std::string> ModelPath("model", cl::desc("GGUF model file"), cl::value_desc("FILE.gguf"),
                               cl::sub(serveCommand), cl::cat(category()));
cl::opt<std::string> Host("host",
                          cl::desc("Address to listen on (default 127.0.0.1: this machine only)"),
                          cl::init("127.0.0.1"), cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> Port("port", cl::desc("Port to listen on; 0 picks a free one (default 8080)"),
                  cl::init(8080), cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> Threads("threads", cl::desc("Threads for the model (0: all cores)"), cl::init(0),
                     cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> ContextLength("context", cl::desc("Context length (0: the model's)"), cl::init(0),
                           cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> MaxTokensLimit("max-tokens-limit",
                            cl::desc("Largest max_tokens a request may ask for (default 4096)"),
                            cl::init(4096), cl::sub(serveCommand), cl::cat(category()));
cl::opt<uint64_t>
    MaxBodyBytes("max-body-bytes",
                 cl::desc("Largest request body; larger ones get 413 (default 1 MiB)"),
                 cl::init(1u << 20), cl::sub(serveCommand), cl::cat(category()));
cl::opt<int> MaxConcurrent(
    "max-concurrent",
    cl::desc("Requests admitted at once: one runs, the others wait in order; more get 503 "
             "(default 4)"),
    cl::init(4), cl::sub(serveCommand), cl::cat(category()));
cl::opt<bool> Quiet("quiet", cl::desc("Do not log requests on stderr"), cl::sub(serveCommand),
                    cl::cat(category()));

int runServe() {
  if (ModelPath.empty())
    return optlm::cli::reportError(cli::ExitUsage, "no model given (--model FILE.gguf)");
  if (Port < 0 || Port > 65535)
    return optlm::cli::reportError(cli::ExitUsage, "--port must be from 0 to 65535");
  if (Threads < 0 || ContextLength < 0)
    return optlm::cli::reportError(cli::ExitUsage, "--threads and --context must not be negative");
  if (MaxTokensLimit < 1)
    return optlm::cli::reportError(cli::ExitUsage, "--max-tokens-limit must be at least 1");
  if (MaxBodyBytes < 64)
    return optlm::cli::reportError(cli::ExitUsage, "--max-body-bytes must be at least 64");
  if (MaxConcurrent < 1 || MaxConcurrent > 1024)
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
  generatorOptions.threads = Threads;
  generatorOptions.contextLength = ContextLength;
  auto generator = lm::LocalGenerator::open(ModelPath, generatorOptions);
  if (!generator)
    return optlm::cli::reportError(cli::ExitUsage, "cannot load model '" + ModelPath +
                                                       "': " + toString(generator.takeError()));

  lm::ServerOptions options;
  options.host = Host;
  options.port = Port;
  options.maxTokensLimit = MaxTokensLimit;
  options.maxBodyBytes = MaxBodyBytes;
  options.maxConcurrent = MaxConcurrent;
  options.log = Quiet ? nullptr : &errs();
  lm::CompletionServer server(**generator, options);
  Expected<int> bound = server.bind();
  if (!bound)
    return optlm::cli::reportError(cli::ExitFailed, toString(bound.takeError()));

  std::thread signalWaiter([&] {
    int signal = 0;
    sigwait(&shutdownSignals, &signal);
    server.stop();
  });

  bool ipv6 = Host.find(':') != std::string::npos;
  outs() << "listening on http://" << (ipv6 ? "[" + Host + "]" : Host) << ":" << *bound
         << " (model " << (*generator)->modelName() << ", context " << (*generator)->contextLength()
         << " tokens)\n";
  outs().flush();
  if (!Quiet)
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
  if (!Quiet)
    errs() << "optlm serve: shut down\n";
  return cli::ExitOk;
}

cli::RegisterCommand registration(serveCommand, runServe);

} // namespace
