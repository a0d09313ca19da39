//===- GGUFValue.h - GGUF metadata values ---------------------------*- C++ -*-===//
//
// The value of one GGUF metadata key, shared by the reader and the writer.
// The variant's alternatives are in the order of the GGUF type ids, so the
// active index is the type id written in the file.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace optlm::lm {

/// GGUF metadata value type ids, as stored in the file.
enum class GGUFValueType : uint32_t {
  UInt8 = 0,
  Int8 = 1,
  UInt16 = 2,
  Int16 = 3,
  UInt32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  UInt64 = 10,
  Int64 = 11,
  Float64 = 12,
};
inline constexpr uint32_t kGGUFValueTypeCount = 13;

/// "u32", "string", "array", ...; "unknown" outside the enumeration.
std::string_view valueTypeName(GGUFValueType type);

struct GGUFValue;

/// A homogeneous array: every element has elementType (arrays may nest).
struct GGUFArray {
  GGUFValueType elementType = GGUFValueType::UInt8;
  std::vector<GGUFValue> elements;
};

struct GGUFValue {
  std::variant<uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, float, bool, std::string,
               GGUFArray, uint64_t, int64_t, double>
      data;

  GGUFValue() = default;
  template <typename T>
  requires std::is_constructible_v<decltype(data), T &&> GGUFValue(T &&value)
      : data(std::forward<T>(value)) {}
  GGUFValue(const char *text) : data(std::string(text)) {}
  GGUFValue(llvm::StringRef text) : data(text.str()) {}

  GGUFValueType type() const { return static_cast<GGUFValueType>(data.index()); }

  bool isInteger() const;
  /// The value as a signed / unsigned 64-bit integer when it is an integer
  /// type and fits; nullopt otherwise (bools are not integers here).
  std::optional<int64_t> asInt64() const;
  std::optional<uint64_t> asUInt64() const;
  /// f32 or f64 as double; integers are not converted.
  std::optional<double> asDouble() const;
  const std::string *asString() const { return std::get_if<std::string>(&data); }
  const GGUFArray *asArray() const { return std::get_if<GGUFArray>(&data); }
  const bool *asBool() const { return std::get_if<bool>(&data); }

  /// Builds an array value from a list of scalars of one C++ type.
  template <typename T>
  static GGUFValue array(GGUFValueType elementType, const std::vector<T> &items) {
    GGUFArray result;
    result.elementType = elementType;
    result.elements.reserve(items.size());
    for (const T &item : items)
      result.elements.emplace_back(item);
    return GGUFValue(std::move(result));
  }

  /// A short human-readable rendering ("[32016 strings]" for long arrays).
  std::string summary(size_t maxElements = 8) const;
};

} // namespace optlm::lm
