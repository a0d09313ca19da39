//===- Pipeline.cpp - pass pipelines in canonical form ----------------------===//
#include "pipeline/Pipeline.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

namespace optlm {
namespace {

const char *levelText(OptLevel level) {
  switch (level) {
  case OptLevel::O0: return "O0";
  case OptLevel::O1: return "O1";
  case OptLevel::O2: return "O2";
  case OptLevel::O3: return "O3";
  case OptLevel::Os: return "Os";
  case OptLevel::Oz: return "Oz";
  }
  return "O0";
}

void collectLeaves(const Pipeline::Node &node, std::vector<std::string> &out) {
  if (!node.isAdaptor) {
    out.push_back(node.name);
    return;
  }
  for (const Pipeline::Node &child : node.children)
    collectLeaves(child, out);
}

void print(const Pipeline::Node &node, std::string &out) {
  out += node.name;
  if (!node.isAdaptor)
    return;
  out += '(';
  for (size_t i = 0; i < node.children.size(); ++i) {
    if (i)
      out += ',';
    print(node.children[i], out);
  }
  out += ')';
}

} // namespace

Pipeline Pipeline::level(OptLevel level) {
  Pipeline pipeline;
  pipeline.Root.children.push_back(
      Node{std::string("default<") + levelText(level) + ">", {}, false});
  return pipeline;
}

Pipeline Pipeline::fromPasses(llvm::ArrayRef<const PassInfo *> passes) {
  Pipeline pipeline;
  for (const PassInfo *info : passes) {
    Node leaf{info->name, {}, false};
    std::vector<Node> &top = pipeline.Root.children;
    switch (info->level) {
    case PassLevel::Module:
      top.push_back(leaf);
      break;
    case PassLevel::CGSCC:
      if (top.empty() || top.back().name != "cgscc")
        top.push_back(Node{"cgscc", {}, true});
      top.back().children.push_back(leaf);
      break;
    case PassLevel::Function:
    case PassLevel::Loop:
    case PassLevel::LoopMSSA: {
      if (top.empty() || top.back().name != "function")
        top.push_back(Node{"function", {}, true});
      std::vector<Node> &fn = top.back().children;
      if (info->level == PassLevel::Function) {
        fn.push_back(leaf);
        break;
      }
      if (fn.empty() || !fn.back().isAdaptor)
        fn.push_back(Node{"loop", {}, true});
      if (info->level == PassLevel::LoopMSSA)
        fn.back().name = "loop-mssa";
      fn.back().children.push_back(leaf);
      break;
    }
    }
  }
  return pipeline;
}

llvm::Expected<Pipeline> Pipeline::parse(llvm::StringRef text,
                                         const PassVocabulary &vocabulary) {
  llvm::SmallVector<llvm::StringRef, 16> tokens;
  llvm::SplitString(text, tokens, " \t\n,");
  std::vector<const PassInfo *> passes;
  for (llvm::StringRef token : tokens) {
    token = token.ltrim('-');
    const PassInfo *info = vocabulary.lookup(token);
    if (!info)
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "unknown pass '" + token + "'");
    passes.push_back(info);
  }
  return fromPasses(passes);
}

std::string Pipeline::text() const {
  std::string out;
  print(Root, out);
  return out;
}

std::vector<std::string> Pipeline::passNames() const {
  std::vector<std::string> names;
  collectLeaves(Root, names);
  return names;
}

std::string Pipeline::flatText() const {
  return llvm::join(passNames(), ",");
}

std::optional<OptLevel> Pipeline::standardLevel() const {
  if (Root.children.size() != 1 || Root.children[0].isAdaptor)
    return std::nullopt;
  for (OptLevel level : {OptLevel::O0, OptLevel::O1, OptLevel::O2,
                         OptLevel::O3, OptLevel::Os, OptLevel::Oz})
    if (Root.children[0].name == std::string("default<") + levelText(level) + ">")
      return level;
  return std::nullopt;
}

bool Pipeline::empty() const { return size() == 0; }

size_t Pipeline::size() const { return passNames().size(); }

} // namespace optlm
