//===- ModuleFeatures.cpp - a module as a fixed-length vector -------------===//
#include "ir/ModuleFeatures.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace llvm;

namespace optlm {

namespace {

// Everything but the opcode shares, in vector order after them.
enum Extra : unsigned {
  LogInstructions,
  LogBlocks,
  LogFunctions,
  LogDeclarations,
  LogGlobals,
  LogMeanFunctionSize,
  LogMaxFunctionSize,
  LocalFunctions,    // share of defined functions with local linkage
  CalledOnceLocal,   // ... local and called from exactly one call site
  UncalledFunctions, // ... never called or referenced in the module
  BlocksOnePred,
  BlocksTwoPreds,
  BlocksManyPreds,
  BlocksOneSucc,
  BlocksTwoSuccs,
  BlocksManySuccs,
  BlocksWithPhi,
  ConditionalBranches, // share of branches
  BackwardBranches,    // share of branch targets earlier in the function
  IntrinsicCalls,      // shares of calls
  ExternalCalls,
  InternalCalls,
  MemoryIntrinsics,
  ConstantOperands, // share of instructions with a constant operand
  ArgumentOperands, // ... with a function argument as operand
  LoadsFromAllocas, // share of loads
  StoresToAllocas,  // share of stores
  AggregateAllocas, // share of allocas of arrays or structs
  ResultBool,       // shares of instructions by result type
  ResultSmallInt,
  ResultInt32,
  ResultInt64,
  ResultPointer,
  ResultFloat,
  ResultVector,
  ResultVoid,
  ConstantGlobals, // share of global variables
  ExtraCount
};

const char *const ExtraNames[ExtraCount] = {
    "log_instructions",
    "log_blocks",
    "log_functions",
    "log_declarations",
    "log_globals",
    "log_mean_function_size",
    "log_max_function_size",
    "local_functions",
    "called_once_local",
    "uncalled_functions",
    "blocks_one_pred",
    "blocks_two_preds",
    "blocks_many_preds",
    "blocks_one_succ",
    "blocks_two_succs",
    "blocks_many_succs",
    "blocks_with_phi",
    "conditional_branches",
    "backward_branches",
    "intrinsic_calls",
    "external_calls",
    "internal_calls",
    "memory_intrinsics",
    "constant_operands",
    "argument_operands",
    "loads_from_allocas",
    "stores_to_allocas",
    "aggregate_allocas",
    "result_i1",
    "result_i8_i16",
    "result_i32",
    "result_i64",
    "result_ptr",
    "result_float",
    "result_vector",
    "result_void",
    "constant_globals",
};

// Opcodes 1 .. OtherOpsEnd-1 (LLVM numbers them densely from 1).
constexpr unsigned OpcodeCount = Instruction::OtherOpsEnd - 1;

// UserOp1 and UserOp2 are internal to passes and never in a module.
bool isRealOpcode(unsigned op) { return op != Instruction::UserOp1 && op != Instruction::UserOp2; }

double share(uint64_t part, uint64_t whole) { return whole ? double(part) / double(whole) : 0; }
float logCount(double n) { return float(std::log1p(n)); }

const Value *stripCasts(const Value *value) { return value->stripPointerCasts(); }

} // namespace

ArrayRef<std::string> moduleFeatureNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> result;
    for (unsigned op = 1; op <= OpcodeCount; ++op)
      if (isRealOpcode(op))
        result.push_back(std::string("op_") + Instruction::getOpcodeName(op));
    for (const char *name : ExtraNames)
      result.push_back(name);
    return result;
  }();
  return names;
}

StringRef moduleFeaturesVersion() {
  static const std::string version =
      "autophase-like/" + std::to_string(moduleFeatureNames().size()) + "/r1";
  return version;
}

namespace {

/// The counts the features are shares and logarithms of, gathered in one
/// walk over the module.
struct ModuleCounts {
  std::vector<uint64_t> opcodes = std::vector<uint64_t>(OpcodeCount + 1, 0);
  uint64_t instructions = 0, blocks = 0, functions = 0, declarations = 0, maxFunction = 0;
  uint64_t local = 0, calledOnceLocal = 0, uncalled = 0;
  uint64_t onePred = 0, twoPreds = 0, manyPreds = 0, oneSucc = 0, twoSuccs = 0, manySuccs = 0;
  uint64_t withPhi = 0, branches = 0, conditional = 0, branchTargets = 0, backward = 0;
  uint64_t calls = 0, intrinsicCalls = 0, externalCalls = 0, internalCalls = 0, memIntrinsics = 0;
  uint64_t constantOperands = 0, argumentOperands = 0;
  uint64_t loads = 0, loadsFromAllocas = 0, stores = 0, storesToAllocas = 0;
  uint64_t allocas = 0, aggregateAllocas = 0;
  uint64_t resultBool = 0, resultSmall = 0, result32 = 0, result64 = 0, resultPtr = 0,
           resultFloat = 0, resultVector = 0, resultVoid = 0;
  uint64_t globals = 0, constantGlobals = 0;

  explicit ModuleCounts(const Module &module) {
    for (const Function &function : module)
      countFunction(function);
    for (const GlobalVariable &global : module.globals()) {
      ++globals;
      constantGlobals += global.isConstant();
    }
  }

  void countFunction(const Function &function) {
    if (function.isDeclaration()) {
      ++declarations;
      return;
    }
    ++functions;
    if (function.hasLocalLinkage()) {
      ++local;
      unsigned callSites = 0;
      bool otherUse = false;
      for (const User *user : function.users()) {
        const auto *call = dyn_cast<CallBase>(user);
        if (call && call->getCalledOperand() == &function)
          ++callSites;
        else
          otherUse = true;
      }
      if (callSites == 1 && !otherUse)
        ++calledOnceLocal;
    }
    if (function.use_empty())
      ++uncalled;

    DenseMap<const BasicBlock *, unsigned> blockIndex;
    for (const BasicBlock &block : function)
      blockIndex[&block] = blockIndex.size();
    uint64_t functionSize = 0;
    for (const BasicBlock &block : function) {
      countBlockShape(block);
      for (const Instruction &instruction : block) {
        ++functionSize;
        countInstruction(instruction);
        if (instruction.isTerminator())
          for (const BasicBlock *successor : successors(&block)) {
            ++branchTargets;
            backward += blockIndex.lookup(successor) <= blockIndex.lookup(&block);
          }
      }
    }
    maxFunction = std::max(maxFunction, functionSize);
  }

  void countBlockShape(const BasicBlock &block) {
    ++blocks;
    const unsigned preds = pred_size(&block);
    onePred += preds == 1;
    twoPreds += preds == 2;
    manyPreds += preds > 2;
    const unsigned succs = succ_size(&block);
    oneSucc += succs == 1;
    twoSuccs += succs == 2;
    manySuccs += succs > 2;
    withPhi += !block.phis().empty();
  }

  void countInstruction(const Instruction &instruction) {
    ++instructions;
    ++opcodes[instruction.getOpcode()];
    bool hasConstant = false, hasArgument = false;
    for (const Use &operand : instruction.operands()) {
      hasConstant |= isa<Constant>(operand.get()) && !isa<GlobalValue>(operand.get());
      hasArgument |= isa<Argument>(operand.get());
    }
    constantOperands += hasConstant;
    argumentOperands += hasArgument;
    countResultType(instruction.getType());

    if (const auto *branch = dyn_cast<BranchInst>(&instruction)) {
      ++branches;
      conditional += branch->isConditional();
    }
    if (const auto *call = dyn_cast<CallBase>(&instruction)) {
      ++calls;
      const Function *callee = call->getCalledFunction();
      if (isa<IntrinsicInst>(call))
        ++intrinsicCalls;
      else if (callee && callee->isDeclaration())
        ++externalCalls;
      else if (callee)
        ++internalCalls;
      memIntrinsics += isa<MemIntrinsic>(call);
    }
    if (const auto *load = dyn_cast<LoadInst>(&instruction)) {
      ++loads;
      loadsFromAllocas += isa<AllocaInst>(stripCasts(load->getPointerOperand()));
    }
    if (const auto *store = dyn_cast<StoreInst>(&instruction)) {
      ++stores;
      storesToAllocas += isa<AllocaInst>(stripCasts(store->getPointerOperand()));
    }
    if (const auto *alloca = dyn_cast<AllocaInst>(&instruction)) {
      ++allocas;
      aggregateAllocas +=
          alloca->getAllocatedType()->isAggregateType() || alloca->isArrayAllocation();
    }
  }

  void countResultType(const Type *type) {
    if (type->isVoidTy())
      ++resultVoid;
    else if (type->isIntegerTy(1))
      ++resultBool;
    else if (type->isIntegerTy(8) || type->isIntegerTy(16))
      ++resultSmall;
    else if (type->isIntegerTy(32))
      ++result32;
    else if (type->isIntegerTy(64))
      ++result64;
    else if (type->isPointerTy())
      ++resultPtr;
    else if (type->isFloatingPointTy())
      ++resultFloat;
    else if (type->isVectorTy())
      ++resultVector;
  }
};

} // namespace

std::vector<float> moduleFeatures(const Module &module) {
  const ModuleCounts c(module);
  std::vector<float> features;
  features.reserve(moduleFeatureNames().size());
  for (unsigned op = 1; op <= OpcodeCount; ++op)
    if (isRealOpcode(op))
      features.push_back(float(share(c.opcodes[op], c.instructions)));
  float extra[ExtraCount];
  extra[LogInstructions] = logCount(c.instructions);
  extra[LogBlocks] = logCount(c.blocks);
  extra[LogFunctions] = logCount(c.functions);
  extra[LogDeclarations] = logCount(c.declarations);
  extra[LogGlobals] = logCount(c.globals);
  extra[LogMeanFunctionSize] = logCount(share(c.instructions, c.functions));
  extra[LogMaxFunctionSize] = logCount(c.maxFunction);
  extra[LocalFunctions] = share(c.local, c.functions);
  extra[CalledOnceLocal] = share(c.calledOnceLocal, c.functions);
  extra[UncalledFunctions] = share(c.uncalled, c.functions);
  extra[BlocksOnePred] = share(c.onePred, c.blocks);
  extra[BlocksTwoPreds] = share(c.twoPreds, c.blocks);
  extra[BlocksManyPreds] = share(c.manyPreds, c.blocks);
  extra[BlocksOneSucc] = share(c.oneSucc, c.blocks);
  extra[BlocksTwoSuccs] = share(c.twoSuccs, c.blocks);
  extra[BlocksManySuccs] = share(c.manySuccs, c.blocks);
  extra[BlocksWithPhi] = share(c.withPhi, c.blocks);
  extra[ConditionalBranches] = share(c.conditional, c.branches);
  extra[BackwardBranches] = share(c.backward, c.branchTargets);
  extra[IntrinsicCalls] = share(c.intrinsicCalls, c.calls);
  extra[ExternalCalls] = share(c.externalCalls, c.calls);
  extra[InternalCalls] = share(c.internalCalls, c.calls);
  extra[MemoryIntrinsics] = share(c.memIntrinsics, c.calls);
  extra[ConstantOperands] = share(c.constantOperands, c.instructions);
  extra[ArgumentOperands] = share(c.argumentOperands, c.instructions);
  extra[LoadsFromAllocas] = share(c.loadsFromAllocas, c.loads);
  extra[StoresToAllocas] = share(c.storesToAllocas, c.stores);
  extra[AggregateAllocas] = share(c.aggregateAllocas, c.allocas);
  extra[ResultBool] = share(c.resultBool, c.instructions);
  extra[ResultSmallInt] = share(c.resultSmall, c.instructions);
  extra[ResultInt32] = share(c.result32, c.instructions);
  extra[ResultInt64] = share(c.result64, c.instructions);
  extra[ResultPointer] = share(c.resultPtr, c.instructions);
  extra[ResultFloat] = share(c.resultFloat, c.instructions);
  extra[ResultVector] = share(c.resultVector, c.instructions);
  extra[ResultVoid] = share(c.resultVoid, c.instructions);
  extra[ConstantGlobals] = share(c.constantGlobals, c.globals);
  features.insert(features.end(), std::begin(extra), std::end(extra));
  return features;
}

} // namespace optlm
