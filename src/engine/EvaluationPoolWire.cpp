//===- EvaluationPoolWire.cpp - evaluation results as bytes ----------------===//
#include "engine/EvaluationPoolWire.h"

namespace optlm::wire {

namespace {

class Writer {
public:
  void u8(uint8_t value) { Bytes.push_back(static_cast<char>(value)); }
  void u64(uint64_t value) {
    for (int i = 0; i < 8; ++i)
      Bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
  void text(llvm::StringRef value) {
    u64(value.size());
    Bytes.append(value.data(), value.size());
  }
  std::string take() { return std::move(Bytes); }

private:
  std::string Bytes;
};

class Reader {
public:
  explicit Reader(llvm::StringRef bytes) : Bytes(bytes) {}

  bool u8(uint8_t &value) {
    if (Bytes.size() - Offset < 1)
      return fail();
    value = static_cast<uint8_t>(Bytes[Offset++]);
    return true;
  }
  bool u64(uint64_t &value) {
    if (Bytes.size() - Offset < 8)
      return fail();
    value = 0;
    for (int i = 0; i < 8; ++i)
      value |= uint64_t(static_cast<uint8_t>(Bytes[Offset + i])) << (8 * i);
    Offset += 8;
    return true;
  }
  bool text(std::string &value) {
    uint64_t size = 0;
    if (!u64(size) || size > Bytes.size() - Offset)
      return fail();
    value = Bytes.substr(Offset, size).str();
    Offset += size;
    return true;
  }
  llvm::Error finish(llvm::StringRef what) {
    if (Failed)
      return llvm::createStringError("malformed %s: truncated or corrupt", what.str().c_str());
    if (Offset != Bytes.size())
      return llvm::createStringError("malformed %s: %zu trailing bytes", what.str().c_str(),
                                     Bytes.size() - Offset);
    return llvm::Error::success();
  }

  /// Marks the input corrupt (a value out of range); always false.
  bool fail() {
    Failed = true;
    return false;
  }

private:
  llvm::StringRef Bytes;
  size_t Offset = 0;
  bool Failed = false;
};

constexpr uint8_t LastOutcome = static_cast<uint8_t>(Outcome::OutOfMemory);
constexpr uint8_t LastTarget = static_cast<uint8_t>(Target::AArch64);
// Bounds a corrupt count before it turns into a huge allocation loop.
constexpr uint64_t MaxSections = 1u << 16;

void writeObject(Writer &out, const ObjectMeasurement &object) {
  out.u64(object.binarySize);
  out.u64(object.textSize);
  out.u64(object.dataSize);
  out.u64(object.bssSize);
  out.u64(object.sections.size());
  for (const auto &[name, size] : object.sections) {
    out.text(name);
    out.u64(size);
  }
}

bool readObject(Reader &in, ObjectMeasurement &object) {
  uint64_t sectionCount = 0;
  if (!in.u64(object.binarySize) || !in.u64(object.textSize) || !in.u64(object.dataSize) ||
      !in.u64(object.bssSize) || !in.u64(sectionCount))
    return false;
  if (sectionCount > MaxSections)
    return in.fail();
  for (uint64_t i = 0; i < sectionCount; ++i) {
    std::string name;
    uint64_t size = 0;
    if (!in.text(name) || !in.u64(size))
      return false;
    object.sections[name] = size;
  }
  return true;
}

} // namespace

std::string encodeResult(const EvaluationResult &result) {
  Writer out;
  out.u8(static_cast<uint8_t>(result.outcome));
  out.text(result.pipeline);
  out.text(result.message);
  out.text(result.capturedStderr);
  out.u8(result.fromCache ? 1 : 0);
  out.u8(result.measurement ? 1 : 0);
  if (const auto &m = result.measurement) {
    writeObject(out, objectPart(*m));
    out.u64(m->instructionCount);
    out.u64(m->basicBlockCount);
    out.u64(m->functionCount);
    out.u64(m->irHash);
  }
  return out.take();
}

llvm::Expected<EvaluationResult> decodeResult(llvm::StringRef bytes) {
  Reader in(bytes);
  EvaluationResult result;
  uint8_t outcome = 0, fromCache = 0, hasMeasurement = 0;
  if (in.u8(outcome) && (outcome <= LastOutcome || in.fail()) && in.text(result.pipeline) &&
      in.text(result.message) && in.text(result.capturedStderr) && in.u8(fromCache) &&
      in.u8(hasMeasurement)) {
    result.outcome = static_cast<Outcome>(outcome);
    result.fromCache = fromCache != 0;
    if (hasMeasurement) {
      Measurement m;
      ObjectMeasurement object;
      if (readObject(in, object) && in.u64(m.instructionCount) && in.u64(m.basicBlockCount) &&
          in.u64(m.functionCount) && in.u64(m.irHash)) {
        applyObjectPart(m, object);
        result.measurement = std::move(m);
      }
    }
  }
  if (llvm::Error error = in.finish("evaluation result"))
    return std::move(error);
  return result;
}

std::string encodeObjectQuery(const ObjectQuery &query) {
  Writer out;
  out.u8(static_cast<uint8_t>(query.target));
  out.u64(query.irHash);
  return out.take();
}

llvm::Expected<ObjectQuery> decodeObjectQuery(llvm::StringRef bytes) {
  Reader in(bytes);
  uint8_t target = 0;
  ObjectQuery query{Target::X86_64, 0};
  if (in.u8(target) && (target <= LastTarget || in.fail()) && in.u64(query.irHash))
    query.target = static_cast<Target>(target);
  if (llvm::Error error = in.finish("object query"))
    return std::move(error);
  return query;
}

std::string encodeObjectReply(const std::optional<ObjectMeasurement> &object) {
  if (!object)
    return "";
  Writer out;
  writeObject(out, *object);
  return out.take();
}

llvm::Expected<std::optional<ObjectMeasurement>> decodeObjectReply(llvm::StringRef bytes) {
  if (bytes.empty())
    return std::nullopt;
  Reader in(bytes);
  ObjectMeasurement object;
  readObject(in, object);
  if (llvm::Error error = in.finish("object reply"))
    return std::move(error);
  return std::optional<ObjectMeasurement>(std::move(object));
}

} // namespace optlm::wire
