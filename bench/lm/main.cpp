//===- main.cpp - optlm-bench-lm: Llama runtime speed and memory ----------===//
//
// Writes random-weight Llama models with the project's GGUF writer into a
// temporary folder, then for each model and thread count measures
//   - prompt processing: tokens/s of one batched evaluate() of the prompt;
//   - generation: tokens/s of evaluate() one token at a time (greedy), and
//     that speed as a share of the bandwidth limit, i.e. of
//     (read bandwidth, measured just before) / (weight bytes read per token);
//   - the process's peak resident memory (getrusage) after each model.
// Models run smallest first, so the peak after the 7B Q4_K model is that
// model's (the Q8_0 model, run after it, raises it).
//
//===----------------------------------------------------------------------===//

#include "KernelThroughput.h"
#include "MemoryBandwidth.h"

#include "lm/gguf/LlamaWriter.h"
#include "lm/model/Kernels.h"
#include "lm/model/Model.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <sys/resource.h>
#include <thread>

using namespace optlm::lm;
namespace cl = llvm::cl;

static cl::OptionCategory BenchCategory("optlm-bench-lm options");

static cl::opt<std::string> Models("models",
                                   cl::desc("Comma-separated models: small, 7b-q4_K, 7b-q8_0, "
                                            "13b-q4_K, or <shape>-<type> with shape small/7b/13b"),
                                   cl::init("small-q4_K,small-q8_0,7b-q4_K,7b-q8_0"),
                                   cl::cat(BenchCategory));
static cl::opt<std::string> ThreadCounts("thread-counts", cl::desc("Comma-separated thread counts"),
                                         cl::init("1,2"), cl::cat(BenchCategory));
static cl::opt<int> PromptTokens("prompt-tokens", cl::desc("Prompt tokens (one batch)"),
                                 cl::init(64), cl::cat(BenchCategory));
static cl::opt<int> GeneratedTokens("generated-tokens", cl::desc("Generated tokens"), cl::init(16),
                                    cl::cat(BenchCategory));
static cl::opt<int> Context("context-length", cl::desc("KV cache positions per session"),
                            cl::init(4096), cl::cat(BenchCategory));
static cl::opt<int> Batch("batch",
                          cl::desc("Prompt tokens per batch (SessionOptions::maxBatch; default: "
                                   "the kernel set's)"),
                          cl::init(SessionOptions().maxBatch), cl::cat(BenchCategory));
static cl::opt<std::string> Directory("model-dir",
                                      cl::desc("Folder for the model files (default: a "
                                               "new temporary folder, removed after)"),
                                      cl::init(""), cl::cat(BenchCategory));
static cl::opt<bool> ReuseModels("reuse-models",
                                 cl::desc("Keep the model files in --model-dir and use the ones "
                                          "already there (written by an earlier run with the "
                                          "same options) instead of writing them again"),
                                 cl::init(false), cl::cat(BenchCategory));
static cl::opt<bool> Kernels("kernels", cl::desc("Also print the throughput of every kernel"),
                             cl::init(false), cl::cat(BenchCategory));
static cl::opt<std::string>
    Isa("isa",
        cl::desc("Kernel set for the model runs: best, amx, avx512, avx2 or "
                 "portable"),
        cl::init("best"), cl::cat(BenchCategory));
static cl::opt<uint64_t> BandwidthMiB("bandwidth-mib",
                                      cl::desc("Buffer size of the bandwidth test (MiB)"),
                                      cl::init(2048), cl::cat(BenchCategory));

namespace {

struct ModelSpec {
  std::string label;
  LlamaShape shape;
  TensorType type;
};

std::optional<ModelSpec> parseModel(llvm::StringRef text) {
  auto [shapeName, typeName] = text.split('-');
  ModelSpec spec;
  spec.label = text.str();
  if (shapeName == "small") {
    spec.shape = LlamaShape::codeLlama7B();
    spec.shape.embeddingDim = 1024;
    spec.shape.layerCount = 8;
    spec.shape.headCount = 8;
    spec.shape.kvHeadCount = 8;
    spec.shape.feedForwardDim = 2816;
  } else if (shapeName == "7b") {
    spec.shape = LlamaShape::codeLlama7B();
  } else if (shapeName == "13b") {
    spec.shape = LlamaShape::codeLlama7B();
    spec.shape.embeddingDim = 5120;
    spec.shape.layerCount = 40;
    spec.shape.headCount = 40;
    spec.shape.kvHeadCount = 40;
    spec.shape.feedForwardDim = 13824;
  } else {
    return std::nullopt;
  }
  for (uint32_t id : {0u, 1u, 8u, 2u, 12u, 13u, 14u, 30u})
    if (std::optional<TensorTypeTraits> traits = tensorTypeTraits(id);
        traits && llvm::StringRef(traits->name.data(), traits->name.size()) == typeName) {
      spec.type = static_cast<TensorType>(id);
      return spec;
    }
  return std::nullopt;
}

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// CPU seconds this process has used, all threads: with the wall time it
/// shows how much of a run was lost to other work on a shared machine.
double processCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

double peakResidentGiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / (1024.0 * 1024.0); // KiB on Linux
}

unsigned touchPages(const GGUFFile &file) {
  unsigned checksum = 0;
  for (const GGUFTensor &tensor : file.tensors())
    for (uint64_t offset = 0; offset < tensor.byteSize; offset += 4096)
      checksum += tensor.data[offset];
  return checksum;
}

int argmax(llvm::ArrayRef<float> values) {
  return static_cast<int>(std::max_element(values.begin(), values.end()) - values.begin());
}

int fail(const llvm::Twine &message) {
  llvm::errs() << "optlm-bench-lm: error: " << message << "\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(BenchCategory);
  cl::ParseCommandLineOptions(argc, argv, "optlm Llama runtime benchmark\n");
  std::vector<ModelSpec> specs;
  llvm::SmallVector<llvm::StringRef> parts;
  llvm::StringRef(Models).split(parts, ',', -1, false);
  for (llvm::StringRef part : parts) {
    std::optional<ModelSpec> spec = parseModel(part.trim());
    if (!spec)
      return fail("unknown model '" + part + "'");
    specs.push_back(*spec);
  }
  std::vector<int> threads;
  parts.clear();
  llvm::StringRef(ThreadCounts).split(parts, ',', -1, false);
  for (llvm::StringRef part : parts) {
    int count = 0;
    if (part.trim().getAsInteger(10, count) || count < 1 || count > 1024)
      return fail("bad thread count '" + part + "'");
    threads.push_back(count);
  }
  if (Batch < 0 || Batch > 4096)
    return fail("--batch must be in [0, 4096] (0: the kernel set's)");
  if (PromptTokens < 1 || GeneratedTokens < 1 || Context < PromptTokens + GeneratedTokens)
    return fail("need --prompt-tokens >= 1, --generated-tokens >= 1 and a --context-length that "
                "holds both");

  std::optional<KernelIsa> isa;
  for (KernelIsa candidate :
       {KernelIsa::Best, KernelIsa::AMX, KernelIsa::AVX512, KernelIsa::AVX2, KernelIsa::Portable})
    if (Isa == kernelIsaName(candidate))
      isa = candidate;
  if (!isa)
    return fail("unknown --isa '" + Isa + "' (best, amx, avx512, avx2 or portable)");
  if (kernelSet(*isa).isa != *isa && *isa != KernelIsa::Best)
    return fail(llvm::Twine("this CPU cannot run the ") + Isa + " kernels");

  llvm::SmallString<256> folder(Directory);
  bool ownFolder = folder.empty();
  if (ownFolder && ReuseModels)
    return fail("--reuse-models needs --model-dir");
  if (ownFolder) {
    if (std::error_code error = llvm::sys::fs::createUniqueDirectory("optlm-bench-lm", folder))
      return fail("cannot create a temporary folder: " + error.message());
  }

  // LLVM's name for the host's microarchitecture (znver1, znver5, ...): the
  // machines differ from session to session, and lscpu's model name can be
  // the same for two of them.
  std::printf("hardware threads: %u, host CPU: %s, kernels: %s\n",
              std::thread::hardware_concurrency(), llvm::sys::getHostCPUName().str().c_str(),
              kernelIsaName(kernelSet(*isa).isa));
  for (int count : threads)
    std::printf("memory read bandwidth, %d thread(s): %.1f GB/s\n", count,
                optlm::bench::measureReadBandwidth(BandwidthMiB << 20, count, 5) / 1e9);
  if (Kernels)
    optlm::bench::printKernelThroughput();
  std::printf("\n| model | weights | threads | file GB | weight GB/token | prompt tok/s "
              "(%d) | prompt CPU s/token | generation tok/s (%d) | bandwidth GB/s | share of "
              "bandwidth limit | generation CPU "
              "s/token | peak RSS GiB | RSS bound, full context GiB |\n",
              PromptTokens.getValue(), GeneratedTokens.getValue());
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::fflush(stdout);

  int status = 0;
  for (const ModelSpec &spec : specs) {
    llvm::SmallString<256> path(folder);
    llvm::sys::path::append(path, spec.label + ".gguf");
    LlamaModelOptions options;
    options.shape = spec.shape;
    options.weightType = spec.type;
    options.seed = 1;
    options.name = "bench-" + spec.label;
    bool reuse = ReuseModels && llvm::sys::fs::exists(path);
    if (!reuse) {
      auto writeStart = std::chrono::steady_clock::now();
      if (llvm::Error error =
              writeLlamaModel(path, options, byteLevelVocabulary({}, spec.shape.vocabSize))) {
        status = fail("writing " + spec.label + ": " + llvm::toString(std::move(error)));
        break;
      }
      std::fprintf(stderr, "wrote %s in %.0f s\n", spec.label.c_str(), seconds(writeStart));
    }

    {
      llvm::Expected<std::unique_ptr<Model>> model = Model::load(path, *isa);
      if (!model) {
        status = fail("loading " + spec.label + ": " + llvm::toString(model.takeError()));
        break;
      }
      uint64_t fileBytes = 0;
      llvm::sys::fs::file_size(path, fileBytes);
      double bytesPerToken = static_cast<double>((*model)->weightBytesPerToken());
      // Touch every page of the mapping first, so that reading the file from
      // disk (when it is not in the page cache) is not timed as prompt work.
      auto warmStart = std::chrono::steady_clock::now();
      std::fprintf(stderr, "paged in %s (checksum %u) in %.1f s\n", spec.label.c_str(),
                   touchPages((*model)->file()), seconds(warmStart));
      std::vector<int32_t> prompt(PromptTokens);
      for (int i = 0; i < PromptTokens; ++i)
        prompt[i] = static_cast<int32_t>((i * 7919 + 13) % spec.shape.vocabSize);

      for (size_t i = 0; i < threads.size(); ++i) {
        SessionOptions sessionOptions;
        sessionOptions.contextLength = Context;
        sessionOptions.threads = threads[i];
        sessionOptions.isa = *isa;
        sessionOptions.maxBatch = Batch;
        InferenceSession session(**model, sessionOptions);
        auto start = std::chrono::steady_clock::now();
        double promptCpuStart = processCpuSeconds();
        llvm::Expected<llvm::ArrayRef<float>> logits = session.evaluate(prompt);
        if (!logits) {
          status = fail(llvm::toString(logits.takeError()));
          break;
        }
        double promptSeconds = seconds(start);
        double promptCpuPerToken = (processCpuSeconds() - promptCpuStart) / PromptTokens;
        int token = argmax(*logits);
        // The limit is measured right before generating: on a shared machine
        // the bandwidth available changes from minute to minute.
        double bandwidth = optlm::bench::measureReadBandwidth(BandwidthMiB << 20, threads[i], 3);
        start = std::chrono::steady_clock::now();
        double cpuStart = processCpuSeconds();
        for (int g = 0; g < GeneratedTokens; ++g) {
          logits = session.evaluate(token);
          if (!logits) {
            status = fail(llvm::toString(logits.takeError()));
            break;
          }
          token = argmax(*logits);
        }
        double generateSeconds = seconds(start);
        double cpuPerToken = (processCpuSeconds() - cpuStart) / GeneratedTokens;
        // The KV cache positions not used by this run are not resident yet;
        // a run that filled the context would add them.
        double unusedCacheGiB =
            static_cast<double>(InferenceSession::kvCacheBytes((*model)->config(), Context)) *
            (1.0 - static_cast<double>(session.position()) / Context) / (1u << 30);
        double generationRate = GeneratedTokens / generateSeconds;
        double limit = bandwidth / bytesPerToken;
        std::printf(
            "| %s | %s | %d | %.2f | %.3f | %.2f | %.4f | %.2f | %.1f | %.0f%% | %.4f | %.2f | "
            "%.2f |\n",
            spec.label.c_str(), std::string(traits(spec.type).name).c_str(), threads[i],
            fileBytes / 1e9, bytesPerToken / 1e9, PromptTokens / promptSeconds, promptCpuPerToken,
            generationRate, bandwidth / 1e9, 100.0 * generationRate / limit, cpuPerToken,
            peakResidentGiB(), peakResidentGiB() + unusedCacheGiB);
        std::fflush(stdout);
      }
    }
    if (!ReuseModels)
      llvm::sys::fs::remove(path);
    if (status)
      break;
  }
  if (ownFolder && !ReuseModels)
    llvm::sys::fs::remove(folder);
  return status;
}
