//===- EvaluationPool.cpp - many evaluations of one module, isolated -------===//
#include "engine/EvaluationPool.h"
#include "codegen/TargetMachines.h"
#include "engine/EvaluationPoolWarmup.h"
#include "engine/EvaluationPoolWire.h"
#include "engine/Evaluator.h"
#include "ir/ModuleFacts.h"

#include <map>

namespace optlm {

sandbox::Limits EvaluationPoolOptions::defaultLimits() {
  sandbox::Limits limits;
  limits.timeout = std::chrono::seconds(60);
  limits.memoryHeadroomBytes = uint64_t(2) << 30;
  limits.stderrCapacity = 8 * 1024;
  return limits;
}

EvaluationResult resultFromJob(const sandbox::JobOutcome &job, llvm::StringRef pipelineText) {
  EvaluationResult result;
  if (job.end == sandbox::JobEnd::Finished) {
    llvm::Expected<EvaluationResult> decoded = wire::decodeResult(job.result);
    if (decoded) {
      result = std::move(*decoded);
      if (result.capturedStderr.empty())
        result.capturedStderr = job.capturedStderr;
      return result;
    }
    result.outcome = Outcome::Crash;
    result.message = llvm::toString(decoded.takeError());
  } else {
    switch (job.end) {
    case sandbox::JobEnd::Crashed:
      result.outcome = Outcome::Crash;
      break;
    case sandbox::JobEnd::Fatal:
    case sandbox::JobEnd::Failed:
      result.outcome = Outcome::Fatal;
      break;
    case sandbox::JobEnd::TimedOut:
      result.outcome = Outcome::Timeout;
      break;
    case sandbox::JobEnd::OutOfMemory:
      result.outcome = Outcome::OutOfMemory;
      break;
    case sandbox::JobEnd::Finished:
      break;
    }
    result.message = job.message;
  }
  result.pipeline = pipelineText.str();
  result.capturedStderr = job.capturedStderr;
  return result;
}

EvaluationPool::EvaluationPool(const llvm::Module &module, EvaluationPoolOptions options,
                               EvaluationCache *cache)
    : Module(module), Options(std::move(options)),
      Settings(compileSettingsFor(module, Options.compileAs)),
      ModuleHash(Options.knownModuleHash ? *Options.knownModuleHash
                                         : hashWithSettings(optlm::moduleHash(module), Settings)),
      Processes(Options.jobs, Options.limits, Options.evaluationsPerChild) {
  // Registered once here, the targets are inherited by every child instead
  // of being registered again in each.
  initializeCodegenTargets();
  if (Options.useCache) {
    if (!cache) {
      OwnCache = std::make_unique<EvaluationCache>();
      cache = OwnCache.get();
    }
    Cache = cache;
  }
}

EvaluationPool::~EvaluationPool() = default;

namespace {

/// The child's side of one evaluation: optimize, ask whether the optimized
/// IR is already measured, generate code only if it is not.
std::string evaluateInChild(const llvm::Module &module, const EvaluationRequest &request,
                            const CompileSettings &settings, bool askParent,
                            sandbox::ChildChannel &channel) {
  std::string pipelineText = request.text();
  // The child has its own copy of the parent's address space, so the
  // module (and its LLVMContext) are used here without any locking.
  llvm::Expected<OptimizedModule> optimized =
      optimizeModuleWithText(module, pipelineText, request.target, settings);
  if (!optimized)
    return wire::encodeResult(failedEvaluation(optimized.takeError(), pipelineText));

  if (askParent) {
    llvm::Expected<std::string> reply =
        channel.ask(wire::encodeObjectQuery({request.target, optimized->measurement.irHash}));
    if (reply) {
      llvm::Expected<std::optional<ObjectMeasurement>> known = wire::decodeObjectReply(*reply);
      if (known && *known) {
        EvaluationResult result;
        result.outcome = Outcome::Ok;
        result.pipeline = pipelineText;
        Measurement measurement = optimized->measurement;
        applyObjectPart(measurement, **known);
        result.measurement = std::move(measurement);
        return wire::encodeResult(result);
      }
      if (!known)
        llvm::consumeError(known.takeError());
    } else {
      llvm::consumeError(reply.takeError());
    }
  }
  return wire::encodeResult(
      measureOptimized(std::move(*optimized), request.target, pipelineText, settings.relocation));
}

} // namespace

std::vector<EvaluationResult> EvaluationPool::evaluate(llvm::ArrayRef<EvaluationRequest> requests) {
  std::vector<EvaluationResult> results(requests.size());
  Statistics.requests += requests.size();

  // Which requests need a child: not cached, and the first of their kind in
  // this batch. Later duplicates copy the first one's result.
  std::vector<size_t> toRun;
  std::vector<EvaluationKey> keys(requests.size());
  std::map<EvaluationKey, size_t> firstOfKey;
  std::vector<std::pair<size_t, size_t>> duplicates; // (request, original)
  for (size_t i = 0; i < requests.size(); ++i) {
    keys[i] = {ModuleHash, requests[i].text(), requests[i].target};
    if (Cache) {
      if (std::optional<EvaluationResult> hit = Cache->lookup(keys[i])) {
        results[i] = std::move(*hit);
        continue;
      }
      auto [it, inserted] = firstOfKey.try_emplace(keys[i], i);
      if (!inserted) {
        duplicates.emplace_back(i, it->second);
        continue;
      }
    }
    toRun.push_back(i);
  }

  for (size_t i : toRun)
    warmUpEvaluation(requests[i].target);

  // The IR-hash shortcut. `measuring` holds the optimized modules a child
  // is generating code for right now, so that a sibling with the same IR
  // waits for that size instead of generating the same code again.
  std::map<std::pair<Target, uint64_t>, size_t> measuring; // -> job
  std::map<size_t, std::pair<Target, uint64_t>> measuredBy;
  auto onQuery = [&](size_t job, llvm::StringRef bytes,
                     bool mustAnswer) -> std::optional<std::string> {
    llvm::Expected<wire::ObjectQuery> query = wire::decodeObjectQuery(bytes);
    if (!query) {
      llvm::consumeError(query.takeError());
      return std::string();
    }
    // Objects are cached by what they were generated from and how.
    const uint64_t objectKey = hashWithSettings(query->irHash, Settings);
    if (std::optional<ObjectMeasurement> known = Cache->lookupObject(query->target, objectKey)) {
      ++Statistics.codegenSkipped;
      return wire::encodeObjectReply(known);
    }
    std::pair<Target, uint64_t> ir{query->target, objectKey};
    auto inFlight = measuring.find(ir);
    if (inFlight != measuring.end() && inFlight->second != job && !mustAnswer) {
      // Nothing known yet, but a sibling will know shortly. Lookups of a
      // deferred query are counted again when it is offered again.
      return std::nullopt;
    }
    measuring[ir] = job;
    measuredBy[job] = ir;
    return wire::encodeObjectReply(std::nullopt);
  };

  auto onFinish = [&](size_t job, const sandbox::JobOutcome &outcome) {
    size_t request = toRun[job];
    EvaluationResult result = resultFromJob(outcome, keys[request].pipeline);
    if (Cache) {
      if (result.outcome == Outcome::Ok && result.measurement)
        Cache->insertObject(requests[request].target,
                            hashWithSettings(result.measurement->irHash, Settings),
                            objectPart(*result.measurement));
      Cache->insert(keys[request], result);
    }
    auto owned = measuredBy.find(job);
    if (owned != measuredBy.end()) {
      measuring.erase(owned->second);
      measuredBy.erase(owned);
    }
    results[request] = std::move(result);
  };

  bool askParent = Cache != nullptr;
  const llvm::Module &module = Module;
  Processes.run(
      toRun.size(),
      [&](size_t job, sandbox::ChildChannel &channel) {
        return evaluateInChild(module, requests[toRun[job]], Settings, askParent, channel);
      },
      askParent ? sandbox::QueryHandler(onQuery) : sandbox::QueryHandler(), onFinish);
  Statistics.evaluated += toRun.size();

  for (auto [request, original] : duplicates) {
    results[request] = results[original];
    results[request].fromCache = true;
    ++Statistics.batchDuplicates;
  }
  return results;
}

std::vector<EvaluationResult> EvaluationPool::evaluate(llvm::ArrayRef<Pipeline> pipelines,
                                                       Target target) {
  std::vector<EvaluationRequest> requests;
  requests.reserve(pipelines.size());
  for (const Pipeline &pipeline : pipelines)
    requests.push_back({pipeline, target, std::string()});
  return evaluate(requests);
}

EvaluationResult EvaluationPool::evaluateText(llvm::StringRef pipelineText, Target target) {
  llvm::Expected<Pipeline> pipeline = Pipeline::parse(pipelineText);
  if (!pipeline) {
    EvaluationResult result;
    result.outcome = Outcome::InvalidPipeline;
    result.pipeline = pipelineText.str();
    result.message = llvm::toString(pipeline.takeError());
    return result;
  }
  EvaluationRequest request{std::move(*pipeline), target, std::string()};
  return evaluate(llvm::ArrayRef<EvaluationRequest>(request)).front();
}

} // namespace optlm
