//===- cmd_generate.cpp - optlm generate: complete a prompt with a model -===//
//
// Streams a model's completion of a prompt file to stdout as it is produced
// and reports token counts and speed on stderr. The generator is picked in
// one place (makeGenerator), so any TextGenerator backend can serve the same
// options.
//
//===----------------------------------------------------------------------===//
#include "Command.h"

#include "lm/generate/Generator.h"
#include "lm/generate/LocalGenerator.h"
#include "lm/serve/ApiError.h"
#include "lm/serve/RemoteGenerator.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand generateCommand("generate", "Complete a prompt with a language model");

cl::OptionCategory &category() { return cli::optionCategory(); }

cl::opt<std::string> ModelPath("model", cl::desc("GGUF model file"), cl::value_desc("FILE.gguf"),
                               cl::sub(generateCommand), cl::cat(category()));
cl::opt<std::string> ServerUrl("server",
                               cl::desc("Generate with an OpenAI-compatible server (optlm serve, "
                                        "vLLM, llama.cpp) instead of a local model"),
                               cl::value_desc("URL"), cl::sub(generateCommand),
                               cl::cat(category()));
cl::opt<std::string> ServerModel("server-model",
                                 cl::desc("With --server: the model to ask for (default: the "
                                          "first the server lists)"),
                                 cl::value_desc("NAME"), cl::sub(generateCommand),
                                 cl::cat(category()));
cl::opt<std::string> PromptFile("prompt-file",
                                cl::desc("File holding the prompt, sent as it is ('-': stdin)"),
                                cl::value_desc("FILE"), cl::sub(generateCommand),
                                cl::cat(category()));
cl::opt<int> MaxTokens("max-tokens", cl::desc("Most tokens to generate (default 256)"),
                       cl::init(256), cl::sub(generateCommand), cl::cat(category()));
cl::opt<float> Temperature("temperature", cl::desc("Sampling temperature; 0 is greedy (default)"),
                           cl::init(0.0f), cl::sub(generateCommand), cl::cat(category()));
cl::opt<int> TopK("top-k", cl::desc("Sample from the K most likely tokens only (0: all)"),
                  cl::init(0), cl::sub(generateCommand), cl::cat(category()));
cl::opt<float> TopP("top-p", cl::desc("Sample from the smallest set of probability P (default 1)"),
                    cl::init(1.0f), cl::sub(generateCommand), cl::cat(category()));
cl::opt<uint64_t> Seed("seed", cl::desc("Random seed for sampling (default 0)"), cl::init(0),
                       cl::sub(generateCommand), cl::cat(category()));
cl::list<std::string> Stops("stop", cl::desc("Stop before this string (repeatable)"),
                            cl::value_desc("STR"), cl::sub(generateCommand), cl::cat(category()));
cl::opt<std::string> Constrain("constrain",
                               cl::desc("Hold the answer to a grammar: 'passlist' (a comma-"
                                        "separated list of known passes) or 'none'"),
                               cl::init("none"), cl::sub(generateCommand), cl::cat(category()));
cl::opt<int> MaxPasses("max-passes",
                       cl::desc("With --constrain passlist: most passes (default 50)"),
                       cl::init(50), cl::sub(generateCommand), cl::cat(category()));
cl::opt<int> Threads("threads", cl::desc("Threads for the model (0: all cores)"), cl::init(0),
                     cl::sub(generateCommand), cl::cat(category()));
cl::opt<int> ContextLength("context", cl::desc("Context length (0: the model's)"), cl::init(0),
                           cl::sub(generateCommand), cl::cat(category()));

/// The one place that decides which backend generates.
Expected<std::unique_ptr<lm::TextGenerator>> makeGenerator() {
  if (!ServerUrl.empty()) {
    if (!ModelPath.empty())
      return createStringError(inconvertibleErrorCode(), "--model and --server exclude each other");
    lm::RemoteOptions options;
    options.url = ServerUrl;
    options.model = ServerModel;
    Expected<std::unique_ptr<lm::RemoteGenerator>> remote = lm::RemoteGenerator::create(options);
    if (!remote)
      return remote.takeError();
    // Fails early, with retries, when the server is unreachable or does
    // not serve the model asked for.
    if (Error error = (*remote)->connect())
      return std::move(error);
    return std::unique_ptr<lm::TextGenerator>(std::move(*remote));
  }
  if (ModelPath.empty())
    return createStringError(inconvertibleErrorCode(),
                             "no model given (--model FILE.gguf or --server URL)");
  lm::LocalGeneratorOptions options;
  options.threads = Threads;
  options.contextLength = ContextLength;
  Expected<std::unique_ptr<lm::LocalGenerator>> local =
      lm::LocalGenerator::open(ModelPath, options);
  if (!local)
    return createStringError(inconvertibleErrorCode(), "cannot load model '" + ModelPath +
                                                           "': " + toString(local.takeError()));
  return std::unique_ptr<lm::TextGenerator>(std::move(*local));
}

double perSecond(int tokens, double seconds) { return seconds > 0 ? tokens / seconds : 0; }

/// Reports a failure with the exit code it deserves: the input's fault (a
/// prompt longer than the context, a request the server refuses) is a usage
/// error (2); a server that cannot be reached or fails is a failure at run
/// time (1); anything else gets `otherwise`.
int reportGenerationError(Error error, int otherwise) {
  int exitCode = otherwise;
  std::string message;
  handleAllErrors(
      std::move(error),
      [&](const lm::ContextOverflowError &overflow) {
        exitCode = cli::ExitUsage;
        message = overflow.message();
      },
      [&](const lm::ApiError &refused) {
        exitCode = refused.status() < 500 ? cli::ExitUsage : cli::ExitFailed;
        message = refused.message();
      },
      [&](const ErrorInfoBase &other) {
        const std::error_code code = other.convertToErrorCode();
        if (code == std::errc::connection_refused || code == std::errc::io_error ||
            code == std::errc::timed_out)
          exitCode = cli::ExitFailed;
        message = other.message();
      });
  return optlm::cli::reportError(exitCode, message);
}

int runGenerate() {
  if (PromptFile.empty())
    return optlm::cli::reportError(cli::ExitUsage, "no prompt given (--prompt-file FILE)");
  if (Threads < 0 || ContextLength < 0)
    return optlm::cli::reportError(cli::ExitUsage, "--threads and --context must not be negative");

  lm::GenerationRequest request;
  request.maxTokens = MaxTokens;
  request.sampling = {Temperature, TopK, TopP, Seed};
  request.stop.assign(Stops.begin(), Stops.end());
  request.maxPasses = MaxPasses;
  if (Constrain == "passlist")
    request.constraint = lm::ConstraintKind::PassList;
  else if (Constrain != "none")
    return optlm::cli::reportError(cli::ExitUsage, "unknown constraint '" + Constrain +
                                                       "' (expected 'passlist' or 'none')");
  if (Error error = lm::validateRequest(request))
    return optlm::cli::reportError(cli::ExitUsage, toString(std::move(error)));

  ErrorOr<std::unique_ptr<MemoryBuffer>> prompt =
      MemoryBuffer::getFileOrSTDIN(PromptFile, /*IsText=*/false);
  if (!prompt)
    return optlm::cli::reportError(cli::ExitUsage, "cannot read prompt file '" + PromptFile +
                                                       "': " + prompt.getError().message());
  request.prompt = (*prompt)->getBuffer().str();
  if (request.prompt.find('\0') != std::string::npos)
    return optlm::cli::reportError(cli::ExitUsage,
                                   "prompt file '" + PromptFile + "' holds NUL bytes (not text)");

  Expected<std::unique_ptr<lm::TextGenerator>> generator = makeGenerator();
  if (!generator)
    return reportGenerationError(generator.takeError(), cli::ExitUsage);

  Expected<lm::GenerationResult> result = (*generator)->generate(request, [](StringRef piece) {
    outs() << piece;
    outs().flush();
    return true;
  });
  if (!result)
    return reportGenerationError(result.takeError(), cli::ExitFailed);
  outs() << "\n";
  outs().flush();
  errs() << formatv("optlm generate: {0}: prompt {1} tokens in {2:F2} s ({3:F1} tok/s), "
                    "completion {4} tokens in {5:F2} s ({6:F1} tok/s), finish: {7}\n",
                    (*generator)->modelName(), result->promptTokens, result->promptSeconds,
                    perSecond(result->promptTokens, result->promptSeconds),
                    result->completionTokens, result->completionSeconds,
                    perSecond(result->completionTokens, result->completionSeconds),
                    lm::finishReasonName(result->finish));
  return cli::ExitOk;
}

cli::RegisterCommand registration(generateCommand, runGenerate);

} // namespace
