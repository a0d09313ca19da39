//===- OzSequence.cpp - default<Oz> as a flat list of passes ----------------===//
#include "search/OzSequence.h"

#include "llvm/IR/PassInstrumentation.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/raw_ostream.h"

namespace optlm::search {

namespace {
llvm::OptimizationLevel toLLVM(OptLevel level) {
  switch (level) {
  case OptLevel::O0:
    return llvm::OptimizationLevel::O0;
  case OptLevel::O1:
    return llvm::OptimizationLevel::O1;
  case OptLevel::O2:
    return llvm::OptimizationLevel::O2;
  case OptLevel::O3:
    return llvm::OptimizationLevel::O3;
  case OptLevel::Os:
    return llvm::OptimizationLevel::Os;
  case OptLevel::Oz:
    return llvm::OptimizationLevel::Oz;
  }
  return llvm::OptimizationLevel::Oz;
}
} // namespace

std::string standardPipelineText(OptLevel level) {
  // Constructed with instrumentation callbacks, PassBuilder records the
  // textual name of every pass class, which is what printPipeline needs.
  llvm::PassInstrumentationCallbacks callbacks;
  llvm::PassBuilder builder(nullptr, llvm::PipelineTuningOptions(), std::nullopt, &callbacks);
  llvm::ModulePassManager passes = level == OptLevel::O0
                                       ? builder.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
                                       : builder.buildPerModuleDefaultPipeline(toLLVM(level));
  std::string text;
  llvm::raw_string_ostream stream(text);
  passes.printPipeline(stream, [&](llvm::StringRef className) {
    llvm::StringRef passName = callbacks.getPassNameForClassName(className);
    return passName.empty() ? className : passName;
  });
  return text;
}

std::vector<std::string> leafPassNames(llvm::StringRef text) {
  std::vector<std::string> names;
  size_t at = 0;
  while (at < text.size()) {
    // A name runs to the next ',', '(' or ')' outside angle brackets
    // (parameters may hold ';' and '=', never parentheses).
    size_t end = at;
    int angle = 0;
    while (end < text.size()) {
      const char c = text[end];
      if (c == '<')
        ++angle;
      else if (c == '>' && angle > 0)
        --angle;
      else if (angle == 0 && (c == ',' || c == '(' || c == ')'))
        break;
      ++end;
    }
    llvm::StringRef name = text.slice(at, end).trim();
    const bool isAdaptor = end < text.size() && text[end] == '(';
    if (!name.empty() && !isAdaptor)
      names.push_back(name.str());
    at = end + 1;
  }
  return names;
}

PassSequence flatStandardSequence(OptLevel level, const PassVocabulary &vocabulary) {
  PassSequence passes;
  for (const std::string &name : leafPassNames(standardPipelineText(level))) {
    llvm::StringRef base = llvm::StringRef(name).split('<').first;
    const PassInfo *info = vocabulary.lookup(base);
    if (info && info->hazard == PassHazard::None)
      passes.push_back(info);
  }
  return passes;
}

} // namespace optlm::search
