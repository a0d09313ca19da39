//===- GGUFWriter.cpp - write a GGUF v3 file -------------------------------===//
#include "lm/gguf/GGUFWriter.h"

#include "support/AtomicFile.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"

#include <cstring>

using llvm::Error;
using llvm::StringRef;

namespace optlm::lm {

namespace {

template <typename T> void writeLE(llvm::raw_ostream &out, T value) {
  char bytes[sizeof(T)];
  llvm::support::endian::write<T, llvm::endianness::little>(bytes, value);
  out.write(bytes, sizeof(T));
}

void writeString(llvm::raw_ostream &out, StringRef text) {
  writeLE<uint64_t>(out, text.size());
  out << text;
}

void writeValue(llvm::raw_ostream &out, const GGUFValue &value) {
  std::visit(
      [&](const auto &item) {
        using T = std::decay_t<decltype(item)>;
        if constexpr (std::is_same_v<T, bool>) {
          writeLE<uint8_t>(out, item ? 1 : 0);
        } else if constexpr (std::is_same_v<T, float>) {
          uint32_t bits;
          std::memcpy(&bits, &item, sizeof(bits));
          writeLE<uint32_t>(out, bits);
        } else if constexpr (std::is_same_v<T, double>) {
          uint64_t bits;
          std::memcpy(&bits, &item, sizeof(bits));
          writeLE<uint64_t>(out, bits);
        } else if constexpr (std::is_same_v<T, std::string>) {
          writeString(out, item);
        } else if constexpr (std::is_same_v<T, GGUFArray>) {
          writeLE<uint32_t>(out, uint32_t(item.elementType));
          writeLE<uint64_t>(out, item.elements.size());
          for (const GGUFValue &element : item.elements)
            writeValue(out, element);
        } else {
          writeLE<T>(out, item);
        }
      },
      value.data);
}

void writePadding(llvm::raw_ostream &out, uint64_t written, uint64_t alignment) {
  static const char zeros[64] = {};
  for (uint64_t pad = llvm::alignTo(written, alignment) - written; pad > 0;) {
    uint64_t chunk = std::min<uint64_t>(pad, sizeof(zeros));
    out.write(zeros, chunk);
    pad -= chunk;
  }
}

/// Checks that every array holds only elementType values, recursively: the
/// format stores one type per array, so a mixed array cannot be written.
bool isHomogeneous(const GGUFValue &value) {
  const GGUFArray *array = value.asArray();
  if (!array)
    return true;
  for (const GGUFValue &element : array->elements)
    if (element.type() != array->elementType || !isHomogeneous(element))
      return false;
  return true;
}

} // namespace

GGUFWriter::GGUFWriter(uint64_t alignment)
    : TheAlignment(llvm::isPowerOf2_64(alignment) ? alignment : kGGUFDefaultAlignment) {
  if (TheAlignment != kGGUFDefaultAlignment)
    set("general.alignment", GGUFValue(uint32_t(TheAlignment)));
}

void GGUFWriter::set(StringRef key, GGUFValue value) {
  for (auto &[existingKey, existingValue] : Metadata)
    if (existingKey == key) {
      existingValue = std::move(value);
      return;
    }
  Metadata.emplace_back(key.str(), std::move(value));
}

llvm::Expected<GGUFWriter::PendingTensor> GGUFWriter::declare(StringRef name, TensorType type,
                                                              llvm::ArrayRef<int64_t> dims) {
  auto fail = [&](const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "tensor '%s': %s",
                                   name.str().c_str(), message.str().c_str());
  };
  if (name.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "tensor with an empty name");
  for (const PendingTensor &tensor : Tensors)
    if (tensor.name == name)
      return fail("declared twice");
  std::optional<TensorTypeTraits> traits = tensorTypeTraits(uint32_t(type));
  if (!traits)
    return fail(llvm::formatv("unsupported type id {0}", uint32_t(type)));
  if (dims.empty() || dims.size() > size_t(kGGUFMaxDims))
    return fail(llvm::formatv("{0} dimensions (1 to {1} allowed)", dims.size(), kGGUFMaxDims));
  int64_t elements = 1;
  for (int64_t dim : dims)
    if (dim <= 0 || llvm::MulOverflow(elements, dim, elements))
      return fail("dimensions must be positive and their product must fit in 64 bits");
  if (dims[0] % traits->blockSize != 0)
    return fail(llvm::formatv("row length {0} is not a multiple of the {1} block size {2}", dims[0],
                              traits->name, traits->blockSize));
  PendingTensor tensor;
  tensor.name = name.str();
  tensor.type = type;
  tensor.dims.assign(dims.begin(), dims.end());
  tensor.byteSize = uint64_t(elements / traits->blockSize) * traits->blockBytes;
  tensor.offset = llvm::alignTo(DataSize, TheAlignment);
  return tensor;
}

Error GGUFWriter::addTensor(StringRef name, TensorType type, llvm::ArrayRef<int64_t> dims,
                            llvm::ArrayRef<uint8_t> bytes) {
  llvm::Expected<PendingTensor> tensor = declare(name, type, dims);
  if (!tensor)
    return tensor.takeError();
  if (bytes.size() != tensor->byteSize)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tensor '%s': %zu bytes given, its shape and type need %llu",
                                   name.str().c_str(), bytes.size(),
                                   (unsigned long long)tensor->byteSize);
  tensor->bytes.assign(bytes.begin(), bytes.end());
  DataSize = tensor->offset + tensor->byteSize;
  Tensors.push_back(std::move(*tensor));
  return Error::success();
}

Error GGUFWriter::addTensor(StringRef name, TensorType type, llvm::ArrayRef<int64_t> dims,
                            llvm::ArrayRef<float> values) {
  llvm::Expected<PendingTensor> tensor = declare(name, type, dims);
  if (!tensor)
    return tensor.takeError();
  int64_t rowLength = dims[0];
  if (int64_t(values.size()) % rowLength != 0 ||
      rowBytes(type, rowLength) * (values.size() / rowLength) != tensor->byteSize)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tensor '%s': %zu values do not match its shape",
                                   name.str().c_str(), values.size());
  tensor->bytes.resize(tensor->byteSize);
  size_t rowSize = rowBytes(type, rowLength);
  for (size_t row = 0; row < values.size() / rowLength; ++row)
    quantizeRow(type, values.data() + row * rowLength, tensor->bytes.data() + row * rowSize,
                rowLength);
  DataSize = tensor->offset + tensor->byteSize;
  Tensors.push_back(std::move(*tensor));
  return Error::success();
}

Error GGUFWriter::addTensor(StringRef name, TensorType type, llvm::ArrayRef<int64_t> dims,
                            RowFiller fill) {
  llvm::Expected<PendingTensor> tensor = declare(name, type, dims);
  if (!tensor)
    return tensor.takeError();
  if (!fill)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "tensor '%s': no row filler given", name.str().c_str());
  tensor->fill = std::move(fill);
  DataSize = tensor->offset + tensor->byteSize;
  Tensors.push_back(std::move(*tensor));
  return Error::success();
}

void GGUFWriter::writeHeader(llvm::raw_ostream &out) const {
  out.write(kGGUFMagic, 4);
  writeLE<uint32_t>(out, 3);
  writeLE<uint64_t>(out, Tensors.size());
  writeLE<uint64_t>(out, Metadata.size());
  for (const auto &[key, value] : Metadata) {
    writeString(out, key);
    writeLE<uint32_t>(out, uint32_t(value.type()));
    writeValue(out, value);
  }
  for (const PendingTensor &tensor : Tensors) {
    writeString(out, tensor.name);
    writeLE<uint32_t>(out, tensor.dims.size());
    for (int64_t dim : tensor.dims)
      writeLE<uint64_t>(out, uint64_t(dim));
    writeLE<uint32_t>(out, uint32_t(tensor.type));
    writeLE<uint64_t>(out, tensor.offset);
  }
}

uint64_t GGUFWriter::headerSize() const {
  std::string header;
  llvm::raw_string_ostream out(header);
  writeHeader(out);
  return header.size();
}

uint64_t GGUFWriter::fileSize() const {
  uint64_t size = llvm::alignTo(headerSize(), TheAlignment) + DataSize;
  return Tensors.empty() ? headerSize() : size;
}

Error GGUFWriter::validate() const {
  // Offsets were laid out with the constructor's alignment; a different
  // general.alignment would make the reader look for tensors elsewhere.
  for (const auto &[key, value] : Metadata)
    if (key == "general.alignment" && value.asUInt64() != std::optional<uint64_t>(TheAlignment))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "general.alignment must be %llu, the alignment the writer "
                                     "was constructed with",
                                     (unsigned long long)TheAlignment);
  for (const auto &[key, value] : Metadata)
    if (!isHomogeneous(value))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "metadata key '%s': an array holds values of a type other "
                                     "than its element type",
                                     key.c_str());
  return Error::success();
}

Error GGUFWriter::write(llvm::raw_ostream &out) const {
  if (Error error = validate())
    return error;
  std::string header;
  llvm::raw_string_ostream headerStream(header);
  writeHeader(headerStream);
  out << header;
  if (Tensors.empty())
    return Error::success();
  writePadding(out, header.size(), TheAlignment);
  uint64_t written = 0; // within the data section
  std::vector<float> rowValues;
  std::vector<uint8_t> rowEncoded;
  for (const PendingTensor &tensor : Tensors) {
    writePadding(out, written, TheAlignment);
    written = tensor.offset;
    if (!tensor.fill) {
      out.write(reinterpret_cast<const char *>(tensor.bytes.data()), tensor.bytes.size());
    } else {
      int64_t rowLength = tensor.dims[0];
      size_t rowSize = rowBytes(tensor.type, rowLength);
      int64_t rows = int64_t(tensor.byteSize / rowSize);
      rowValues.assign(size_t(rowLength), 0.0f);
      rowEncoded.assign(rowSize, 0);
      for (int64_t row = 0; row < rows; ++row) {
        tensor.fill(row, rowValues.data());
        quantizeRow(tensor.type, rowValues.data(), rowEncoded.data(), rowLength);
        out.write(reinterpret_cast<const char *>(rowEncoded.data()), rowSize);
      }
    }
    written += tensor.byteSize;
  }
  return Error::success();
}

llvm::Expected<std::string> GGUFWriter::writeToString() const {
  std::string bytes;
  llvm::raw_string_ostream out(bytes);
  if (Error error = write(out))
    return std::move(error);
  out.flush();
  return bytes;
}

Error GGUFWriter::writeFile(StringRef path) const {
  if (Error error = validate())
    return error;
  return writeFileAtomically(path, [&](llvm::raw_ostream &out) { return write(out); });
}

} // namespace optlm::lm
