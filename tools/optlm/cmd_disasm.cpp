//===- cmd_disasm.cpp - optlm disasm: assembly to LLVM-IR with a model ----===//
//
// Asks a model (local GGUF or a server) for the IR of an assembly file and
// checks the answer the only way that counts: it must parse, verify and
// compile back to the input assembly (after the normalization described in
// tasks/AssemblyNormalizer.h). With --reference, the answer is also scored
// against the true IR (BLEU, exact match). Exit code 0 when the round trip
// succeeds, 1 when the model's IR does not round-trip, 2 for bad usage or
// input.
//
//===----------------------------------------------------------------------===//
#include "Command.h"
#include "ModelSourceFlags.h"
#include "TargetFlag.h"

#include "eval/Bleu.h"
#include "support/AtomicFile.h"
#include "tasks/AssemblyNormalizer.h"
#include "tasks/Disassembler.h"
#include "tasks/Emulator.h"
#include "tasks/ModelSource.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

using namespace llvm;
using namespace optlm;

namespace {

cl::SubCommand Disasm("disasm", "Disassemble an assembly file to LLVM-IR with a model, "
                                "and check that the IR compiles back to it");

cl::opt<std::string> InputPath(cl::Positional, cl::desc("<FILE.s>"), cl::sub(Disasm),
                               cl::cat(cli::optionCategory()));
cl::opt<std::string> ModelPath("model", cl::desc("GGUF model to run locally"),
                               cl::value_desc("file.gguf"), cl::sub(Disasm),
                               cl::cat(cli::optionCategory()));
cl::opt<std::string> ServerUrl("server", cl::desc("OpenAI-compatible server to ask"),
                               cl::value_desc("url"), cl::sub(Disasm),
                               cl::cat(cli::optionCategory()));
cl::opt<std::string> ServerModel("server-model", cl::desc("Model to ask the server for"),
                                 cl::sub(Disasm), cl::cat(cli::optionCategory()));
cl::opt<std::string> ReferencePath("reference", cl::desc("The true IR, to score the answer"),
                                   cl::value_desc("file.ll"), cl::sub(Disasm),
                                   cl::cat(cli::optionCategory()));
cli::TargetFlag TargetOption(Disasm, cli::TargetFlag::Default::X86_64);
cl::opt<int> MaxTokens("max-tokens", cl::desc("Answer budget (default: what the context leaves)"),
                       cl::init(0), cl::sub(Disasm), cl::cat(cli::optionCategory()));
cl::opt<unsigned> Threads("threads", cl::desc("Threads of the local model (0: all)"), cl::init(0),
                          cl::sub(Disasm), cl::cat(cli::optionCategory()));
cl::opt<std::string> OutputPath("o", cl::desc("Write the IR here"), cl::value_desc("file.ll"),
                                cl::sub(Disasm), cl::cat(cli::optionCategory()));
cl::opt<bool> Json("json", cl::desc("Print one JSON object"), cl::sub(Disasm),
                   cl::cat(cli::optionCategory()));

int runDisasm() {
  if (InputPath.empty())
    return optlm::cli::usageError(
        "no input file (usage: optlm disasm FILE.s (--model M.gguf | --server "
        "URL) [--reference FILE.ll])");
  if (ModelPath.empty() == ServerUrl.empty())
    return optlm::cli::usageError("give exactly one of --model FILE.gguf and --server URL");
  if (MaxTokens < 0)
    return optlm::cli::usageError("--max-tokens must not be negative");
  Expected<Target> target = TargetOption.get();
  if (!target)
    return optlm::cli::usageError(toString(target.takeError()));
  auto input = MemoryBuffer::getFile(InputPath, /*IsText=*/true);
  if (!input || sys::fs::is_directory(InputPath))
    return optlm::cli::usageError(
        "cannot read " + InputPath + ": " +
        (input ? std::string("is a directory") : input.getError().message()));
  std::string reference;
  if (!ReferencePath.empty()) {
    auto buffer = MemoryBuffer::getFile(ReferencePath, /*IsText=*/true);
    if (!buffer)
      return optlm::cli::usageError("cannot read " + ReferencePath + ": " +
                                    buffer.getError().message());
    reference = (*buffer)->getBuffer().str();
  }

  auto model = optlm::cli::openModelSource(ModelPath, ServerUrl, ServerModel, Threads);
  if (!model)
    return optlm::cli::usageError(toString(model.takeError()));

  tasks::DisassembleOptions options;
  options.target = *target;
  options.maxTokens = MaxTokens;
  StringRef assembly = (*input)->getBuffer();
  Expected<tasks::DisassemblyResult> result = tasks::disassemble(assembly, **model, options);
  if (!result) {
    return optlm::cli::failure(toString(result.takeError()));
  }
  const tasks::RoundTrip &trip = result->roundTrip;
  double tripBleu = trip.compiles ? eval::sentenceBleu(tasks::normalizeAssembly(trip.assembly),
                                                       tasks::normalizeAssembly(assembly))
                                  : 0.0;
  nlohmann::json report = {{"input", InputPath.getValue()}, {"model", (*model)->modelName()},
                           {"round_trip", trip.ok()},       {"parses", trip.parses},
                           {"compiles", trip.compiles},     {"round_trip_bleu", tripBleu},
                           {"truncated", result->truncated}};
  if (!trip.problem.empty())
    report["problem"] = trip.problem;
  if (!reference.empty()) {
    report["bleu"] =
        eval::sentenceBleu(tasks::normalizeOutput(result->ir, data::EmulationOutput::IR),
                           tasks::normalizeOutput(reference, data::EmulationOutput::IR));
    report["exact_match"] = tasks::outputsMatch(result->ir, reference, data::EmulationOutput::IR);
  }
  if (!OutputPath.empty())
    if (Error error = writeFileAtomically(OutputPath, result->ir + "\n"))
      return optlm::cli::usageError(toString(std::move(error)));
  if (Json) {
    report["ir"] = result->ir;
    outs() << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    if (OutputPath.empty())
      outs() << result->ir << "\n";
    errs() << "round trip: " << (trip.ok() ? "ok" : "failed");
    if (!trip.problem.empty())
      errs() << " (" << trip.problem << ")";
    errs() << "\nround-trip BLEU: " << format("%.4f", tripBleu) << "\n";
    if (report.contains("bleu"))
      errs() << "BLEU against the reference: " << format("%.4f", report["bleu"].get<double>())
             << ", exact match: " << (report["exact_match"].get<bool>() ? "yes" : "no") << "\n";
  }
  return trip.ok() ? cli::ExitOk : cli::ExitFailed;
}

cli::RegisterCommand Registration(Disasm, runDisasm);

} // namespace
