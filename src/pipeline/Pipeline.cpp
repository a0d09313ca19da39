//===- Pipeline.cpp - pass pipelines in canonical form --------------------===//
//
// Nesting rules (docs/pipelines.md has the full story):
//  - A pass written where its level does not fit is wrapped: consecutive
//    function passes at module level share one function(...), loop passes in
//    a function share one loop(...), or loop-mssa(...) if any of them needs
//    MemorySSA; CGSCC passes share one cgscc(...). Anything that is not of
//    the same group (a module pass, an explicit adaptor) closes the group, so
//    "sroa,globaldce,gvn" is function(sroa),globaldce,function(gvn).
//  - An adaptor written inside one of its own kind is spliced in:
//    module(module(x)) is module(x); loop(...) inside loop-mssa(...) too.
//  - Explicit adaptors are kept where they were written; they are never
//    merged with their neighbours, because function(a),function(b) and
//    function(a,b) interleave differently across functions.
//  - A pass of a wider level than its adaptor (globaldce inside
//    function(...)), or licm inside loop(...), is an error.
//
//===----------------------------------------------------------------------===//
#include "pipeline/Pipeline.h"
#include "pipeline/PipelineSyntax.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"

namespace optlm {
namespace {

using Node = Pipeline::Node;

constexpr OptLevel AllLevels[] = {OptLevel::O0, OptLevel::O1, OptLevel::O2,
                                  OptLevel::O3, OptLevel::Os, OptLevel::Oz};

llvm::StringRef optLevelName(OptLevel level) {
  switch (level) {
  case OptLevel::O0:
    return "O0";
  case OptLevel::O1:
    return "O1";
  case OptLevel::O2:
    return "O2";
  case OptLevel::O3:
    return "O3";
  case OptLevel::Os:
    return "Os";
  case OptLevel::Oz:
    return "Oz";
  }
  return "O0";
}

std::optional<OptLevel> parseOptLevel(llvm::StringRef text) {
  for (OptLevel level : AllLevels)
    if (text == optLevelName(level))
      return level;
  return std::nullopt;
}

std::string standardLevelPass(OptLevel level) {
  return ("default<" + optLevelName(level) + ">").str();
}

/// Whether a pass or adaptor of `level` runs directly inside `scope`.
bool runsDirectlyIn(PassLevel scope, PassLevel level) {
  return level == scope || (scope == PassLevel::LoopMSSA && level == PassLevel::Loop);
}

/// Whether an adaptor of `level` may be written directly inside `scope`.
bool isChildAdaptor(PassLevel scope, PassLevel level) {
  switch (scope) {
  case PassLevel::Module:
    return level == PassLevel::CGSCC || level == PassLevel::Function;
  case PassLevel::CGSCC:
    return level == PassLevel::Function;
  case PassLevel::Function:
    return level == PassLevel::Loop || level == PassLevel::LoopMSSA;
  case PassLevel::Loop:
  case PassLevel::LoopMSSA:
    return false;
  }
  return false;
}

/// The adaptor that brings something of `level` into `scope`, if any. For
/// loops it answers Loop; the group decides on loop-mssa once it is complete.
std::optional<PassLevel> wrapperFor(PassLevel scope, PassLevel level) {
  bool inFunction =
      level == PassLevel::Function || level == PassLevel::Loop || level == PassLevel::LoopMSSA;
  switch (scope) {
  case PassLevel::Module:
    if (level == PassLevel::CGSCC)
      return PassLevel::CGSCC;
    if (inFunction)
      return PassLevel::Function;
    return std::nullopt;
  case PassLevel::CGSCC:
    if (inFunction)
      return PassLevel::Function;
    return std::nullopt;
  case PassLevel::Function:
    if (level == PassLevel::Loop || level == PassLevel::LoopMSSA)
      return PassLevel::Loop;
    return std::nullopt;
  case PassLevel::Loop:
  case PassLevel::LoopMSSA:
    return std::nullopt;
  }
  return std::nullopt;
}

/// The key a pass parameter sets: "no-verify-fixpoint" and
/// "verify-fixpoint" both set "verify-fixpoint"; "max-iterations=3" sets
/// "max-iterations".
llvm::StringRef parameterKey(llvm::StringRef parameter) {
  parameter = parameter.take_until([](char c) { return c == '='; });
  parameter.consume_front("no-");
  return parameter;
}

/// The parameters a user wrote, followed by the parameters of the
/// vocabulary entry that the user did not set: the entry's parameters are
/// optlm's defaults ("instcombine<max-iterations=2>" keeps
/// no-verify-fixpoint).
std::string mergeParameters(llvm::StringRef written, llvm::StringRef entry) {
  llvm::SmallVector<llvm::StringRef, 8> writtenParts, entryParts;
  written.split(writtenParts, ';', -1, /*KeepEmpty=*/false);
  entry.split(entryParts, ';', -1, /*KeepEmpty=*/false);
  llvm::StringSet<> keys;
  for (llvm::StringRef part : writtenParts)
    keys.insert(parameterKey(part));
  std::string merged = llvm::join(writtenParts, ";");
  for (llvm::StringRef part : entryParts) {
    if (keys.contains(parameterKey(part)))
      continue;
    if (!merged.empty())
      merged += ';';
    merged += part.str();
  }
  return merged;
}

llvm::StringRef entryParameters(llvm::StringRef name) {
  size_t open = name.find('<');
  if (open == llvm::StringRef::npos || !name.ends_with(">"))
    return {};
  return name.slice(open + 1, name.size() - 1);
}

llvm::Error pipelineError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A written element once its name is understood: a leaf pass with its
/// canonical name and level, or an adaptor with its written children.
struct Item {
  PassLevel level;
  bool isAdaptor = false;
  std::string name;                         // canonical leaf name
  const syntax::Element *element = nullptr; // for adaptors and messages
};

class Nester {
public:
  Nester(const PassVocabulary &vocabulary, llvm::StringRef source)
      : Vocabulary(vocabulary), Source(syntax::forMessage(source)) {}

  llvm::Expected<Item> resolve(const syntax::Element &element) const {
    if (element.hasChildren) {
      std::optional<PassLevel> level = passLevelFromName(element.name);
      if (!level)
        return pipelineError("unknown adaptor '" + syntax::forMessage(element.spelled()) +
                             "(...)' at column " + llvm::Twine(element.column) +
                             " (expected module, cgscc, function, loop or "
                             "loop-mssa) in '" +
                             Source + "'");
      if (element.params)
        return pipelineError("adaptor parameters are not supported: '" +
                             syntax::forMessage(element.spelled()) + "(...)' at column " +
                             llvm::Twine(element.column) + " in '" + Source + "'");
      if (element.children.empty())
        return pipelineError("empty adaptor '" + element.name + "()' at column " +
                             llvm::Twine(element.column) + " in '" + Source + "'");
      return Item{*level, true, element.name, &element};
    }
    if (passLevelFromName(element.name))
      return pipelineError("adaptor '" + element.name + "' without its passes at column " +
                           llvm::Twine(element.column) + " in '" + Source + "' (write " +
                           element.name + "(...))");

    // Standard levels: Oz, -O2 (dash already dropped), default<Os>.
    if (!element.params) {
      if (std::optional<OptLevel> level = parseOptLevel(element.name))
        return Item{PassLevel::Module, false, standardLevelPass(*level), &element};
    }
    if (element.name == "default") {
      std::optional<OptLevel> level =
          element.params ? parseOptLevel(*element.params) : std::nullopt;
      if (!level)
        return pipelineError("unknown optimization level '" +
                             syntax::forMessage(element.spelled()) +
                             "' (expected default<O0> .. default<O3>, "
                             "default<Os> or default<Oz>) in '" +
                             Source + "'");
      return Item{PassLevel::Module, false, standardLevelPass(*level), &element};
    }

    std::string written = element.spelled();
    const PassInfo *info = Vocabulary.lookup(written);
    if (!info)
      return pipelineError("unknown pass '" + syntax::forMessage(written) + "' at column " +
                           llvm::Twine(element.column) + " in '" + Source + "'");
    std::string canonical;
    if (info->name == written || !element.params)
      canonical = info->name;
    else
      canonical =
          element.name + "<" + mergeParameters(*element.params, entryParameters(info->name)) + ">";
    return Item{info->level, false, std::move(canonical), &element};
  }

  llvm::Expected<std::vector<Item>> resolveAll(const std::vector<syntax::Element> &elements) const {
    std::vector<Item> items;
    for (const syntax::Element &element : elements) {
      llvm::Expected<Item> item = resolve(element);
      if (!item)
        return item.takeError();
      items.push_back(std::move(*item));
    }
    return items;
  }

  /// Puts `items` under an adaptor of level `scope`, wrapping and splicing
  /// as the rules at the top of this file say.
  llvm::Expected<std::vector<Node>> nest(PassLevel scope, llvm::ArrayRef<Item> written) const {
    llvm::Expected<std::vector<Item>> expanded = splice(scope, written);
    if (!expanded)
      return expanded.takeError();

    std::vector<Node> nodes;
    std::vector<Item> group;
    std::optional<PassLevel> groupLevel;
    auto closeGroup = [&]() -> llvm::Error {
      if (group.empty())
        return llvm::Error::success();
      PassLevel level = *groupLevel;
      if (level == PassLevel::Loop &&
          llvm::any_of(group, [](const Item &item) { return item.level == PassLevel::LoopMSSA; }))
        level = PassLevel::LoopMSSA;
      llvm::Expected<std::vector<Node>> children = nest(level, group);
      if (!children)
        return children.takeError();
      nodes.push_back(Node{passLevelName(level).str(), std::move(*children), true});
      group.clear();
      groupLevel.reset();
      return llvm::Error::success();
    };

    for (const Item &item : *expanded) {
      bool direct =
          item.isAdaptor ? isChildAdaptor(scope, item.level) : runsDirectlyIn(scope, item.level);
      if (direct) {
        if (llvm::Error error = closeGroup())
          return std::move(error);
        if (!item.isAdaptor) {
          nodes.push_back(Node{item.name, {}, false});
          continue;
        }
        llvm::Expected<std::vector<Item>> children = resolveAll(item.element->children);
        if (!children)
          return children.takeError();
        llvm::Expected<std::vector<Node>> nested = nest(item.level, *children);
        if (!nested)
          return nested.takeError();
        nodes.push_back(Node{item.name, std::move(*nested), true});
        continue;
      }
      std::optional<PassLevel> wrapper = wrapperFor(scope, item.level);
      if (!wrapper)
        return misplaced(scope, item);
      if (groupLevel && *groupLevel != *wrapper)
        if (llvm::Error error = closeGroup())
          return std::move(error);
      groupLevel = *wrapper;
      group.push_back(item);
    }
    if (llvm::Error error = closeGroup())
      return std::move(error);
    return nodes;
  }

private:
  const PassVocabulary &Vocabulary;
  std::string Source; // as shown in messages

  /// Replaces adaptors of the scope's own kind by their contents.
  llvm::Expected<std::vector<Item>> splice(PassLevel scope, llvm::ArrayRef<Item> items) const {
    std::vector<Item> out;
    for (const Item &item : items) {
      if (!item.isAdaptor || !runsDirectlyIn(scope, item.level)) {
        out.push_back(item);
        continue;
      }
      llvm::Expected<std::vector<Item>> children = resolveAll(item.element->children);
      if (!children)
        return children.takeError();
      llvm::Expected<std::vector<Item>> inner = splice(scope, *children);
      if (!inner)
        return inner.takeError();
      llvm::append_range(out, *inner);
    }
    return out;
  }

  llvm::Error misplaced(PassLevel scope, const Item &item) const {
    std::string where =
        (" at column " + llvm::Twine(item.element->column) + " in '" + Source + "'").str();
    if (item.isAdaptor)
      return pipelineError("'" + item.name + "(...)' cannot be nested inside " +
                           passLevelName(scope) + "(...)" + where);
    if (scope == PassLevel::Loop && item.level == PassLevel::LoopMSSA)
      return pipelineError("'" + item.name +
                           "' needs MemorySSA: write loop-mssa(...) instead of "
                           "loop(...)" +
                           where);
    return pipelineError("'" + item.name + "' is a " + passLevelName(item.level) +
                         " pass and cannot run inside " + passLevelName(scope) + "(...)" + where);
  }
};

void collectLeaves(const Node &node, std::vector<std::string> &out) {
  if (!node.isAdaptor) {
    out.push_back(node.name);
    return;
  }
  for (const Node &child : node.children)
    collectLeaves(child, out);
}

void print(const Node &node, std::string &out) {
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
  pipeline.Root.children.push_back(Node{standardLevelPass(level), {}, false});
  return pipeline;
}

Pipeline Pipeline::fromPasses(llvm::ArrayRef<const PassInfo *> passes) {
  // Vocabulary passes of any level fit under module, so nesting cannot fail.
  Nester nester(PassVocabulary::builtin(), "");
  std::vector<Item> items;
  for (const PassInfo *info : passes)
    items.push_back(Item{info->level, false, info->name, nullptr});
  Pipeline pipeline;
  pipeline.Root.children = llvm::cantFail(nester.nest(PassLevel::Module, items));
  return pipeline;
}

llvm::Expected<Pipeline> Pipeline::parse(llvm::StringRef text, const PassVocabulary &vocabulary) {
  llvm::Expected<std::string> unwrapped = syntax::unwrapPipelineText(text);
  if (!unwrapped)
    return unwrapped.takeError();
  if (unwrapped->empty())
    return pipelineError("empty pipeline");
  llvm::Expected<std::vector<syntax::Element>> elements = syntax::parseElements(*unwrapped);
  if (!elements)
    return elements.takeError();

  Pipeline pipeline;
  // "module()" is how the empty pipeline prints; it is the one place an
  // empty adaptor is allowed.
  if (elements->size() == 1 && (*elements)[0].name == "module" && (*elements)[0].hasChildren &&
      (*elements)[0].children.empty() && !(*elements)[0].params)
    return pipeline;

  Nester nester(vocabulary, *unwrapped);
  llvm::Expected<std::vector<Item>> items = nester.resolveAll(*elements);
  if (!items)
    return items.takeError();
  llvm::Expected<std::vector<Node>> nodes = nester.nest(PassLevel::Module, *items);
  if (!nodes)
    return nodes.takeError();
  pipeline.Root.children = std::move(*nodes);

  // LLVM has the last word on what optlm does not model, such as parameter
  // values (simplifycfg<bonus-inst-threshold=x>).
  llvm::PassBuilder builder;
  llvm::ModulePassManager passes;
  if (llvm::Error error = pipeline.addTo(builder, passes))
    return std::move(error);
  return pipeline;
}

std::string Pipeline::text() const {
  std::string out;
  print(Root, out);
  return out;
}

llvm::Error Pipeline::addTo(llvm::PassBuilder &builder, llvm::ModulePassManager &passes) const {
  if (empty())
    return llvm::Error::success();
  if (llvm::Error error = builder.parsePassPipeline(passes, text()))
    return pipelineError("LLVM rejects '" + text() + "': " + llvm::toString(std::move(error)));
  return llvm::Error::success();
}

std::vector<std::string> Pipeline::passNames() const {
  std::vector<std::string> names;
  collectLeaves(Root, names);
  return names;
}

std::string Pipeline::flatText() const { return llvm::join(passNames(), ","); }

std::optional<OptLevel> Pipeline::standardLevel() const {
  if (Root.children.size() != 1 || Root.children[0].isAdaptor)
    return std::nullopt;
  for (OptLevel level : AllLevels)
    if (Root.children[0].name == standardLevelPass(level))
      return level;
  return std::nullopt;
}

bool Pipeline::empty() const { return size() == 0; }

size_t Pipeline::size() const { return passNames().size(); }

} // namespace optlm
