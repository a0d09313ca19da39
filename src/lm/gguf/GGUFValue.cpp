//===- GGUFValue.cpp - GGUF metadata values --------------------------------===//
#include "lm/gguf/GGUFValue.h"

#include <limits>
#include <type_traits>

namespace optlm::lm {

std::string_view valueTypeName(GGUFValueType type) {
  switch (type) {
  case GGUFValueType::UInt8:
    return "u8";
  case GGUFValueType::Int8:
    return "i8";
  case GGUFValueType::UInt16:
    return "u16";
  case GGUFValueType::Int16:
    return "i16";
  case GGUFValueType::UInt32:
    return "u32";
  case GGUFValueType::Int32:
    return "i32";
  case GGUFValueType::Float32:
    return "f32";
  case GGUFValueType::Bool:
    return "bool";
  case GGUFValueType::String:
    return "string";
  case GGUFValueType::Array:
    return "array";
  case GGUFValueType::UInt64:
    return "u64";
  case GGUFValueType::Int64:
    return "i64";
  case GGUFValueType::Float64:
    return "f64";
  }
  return "unknown";
}

bool GGUFValue::isInteger() const {
  return std::visit(
      [](const auto &value) {
        using T = std::decay_t<decltype(value)>;
        return std::is_integral_v<T> && !std::is_same_v<T, bool>;
      },
      data);
}

std::optional<int64_t> GGUFValue::asInt64() const {
  return std::visit(
      [](const auto &value) -> std::optional<int64_t> {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool> || !std::is_integral_v<T>)
          return std::nullopt;
        else if constexpr (std::is_same_v<T, uint64_t>)
          return value <= uint64_t(std::numeric_limits<int64_t>::max())
                     ? std::optional<int64_t>(int64_t(value))
                     : std::nullopt;
        else
          return int64_t(value);
      },
      data);
}

std::optional<uint64_t> GGUFValue::asUInt64() const {
  return std::visit(
      [](const auto &value) -> std::optional<uint64_t> {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool> || !std::is_integral_v<T>)
          return std::nullopt;
        else if constexpr (std::is_signed_v<T>)
          return value >= 0 ? std::optional<uint64_t>(uint64_t(value)) : std::nullopt;
        else
          return uint64_t(value);
      },
      data);
}

std::optional<double> GGUFValue::asDouble() const {
  if (const float *f = std::get_if<float>(&data))
    return double(*f);
  if (const double *d = std::get_if<double>(&data))
    return *d;
  return std::nullopt;
}

std::string GGUFValue::summary(size_t maxElements) const {
  return std::visit(
      [&](const auto &value) -> std::string {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>)
          return value ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) {
          std::string shown = value.size() > 60 ? value.substr(0, 57) + "..." : value;
          std::string quoted = "\"";
          for (char c : shown) {
            if (c == '\n')
              quoted += "\\n";
            else if (c == '"' || c == '\\')
              quoted += std::string("\\") + c;
            else if (static_cast<unsigned char>(c) < 0x20)
              quoted += '?';
            else
              quoted += c;
          }
          return quoted + "\"";
        } else if constexpr (std::is_same_v<T, GGUFArray>) {
          std::string elementName(valueTypeName(value.elementType));
          if (value.elements.size() > maxElements)
            return "[" + std::to_string(value.elements.size()) + " x " + elementName + "]";
          std::string text = "[";
          for (size_t i = 0; i < value.elements.size(); ++i)
            text += (i ? ", " : "") + value.elements[i].summary(maxElements);
          return text + "]";
        } else if constexpr (std::is_floating_point_v<T>) {
          char buffer[64];
          snprintf(buffer, sizeof(buffer), "%g", double(value));
          return buffer;
        } else {
          return std::to_string(value);
        }
      },
      data);
}

} // namespace optlm::lm
