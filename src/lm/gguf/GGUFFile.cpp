//===- GGUFFile.cpp - read and validate a GGUF model file ------------------===//
//
// The parser reads the header through a bounds-checked cursor: every length
// and count is compared with the bytes that remain before anything is
// allocated or read, so a hostile file costs at most a bounded amount of
// memory and never reads past the buffer.
//
//===----------------------------------------------------------------------===//
#include "lm/gguf/GGUFFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sys/mman.h>

using llvm::Error;
using llvm::Expected;
using llvm::StringRef;

namespace optlm::lm {

std::string_view ggmlTypeName(uint32_t typeId) {
  // GGML's names, including the types optlm does not support, so that an
  // error can say which type a file uses. Empty for ids GGML never used.
  static constexpr std::string_view names[] = {
      "f32",      "f16",      "q4_0",    "q4_1",  "",       "",      "q5_0",  "q5_1",
      "q8_0",     "q8_1",     "q2_K",    "q3_K",  "q4_K",   "q5_K",  "q6_K",  "q8_K",
      "iq2_xxs",  "iq2_xs",   "iq3_xxs", "iq1_s", "iq4_nl", "iq3_s", "iq2_s", "iq4_xs",
      "i8",       "i16",      "i32",     "i64",   "f64",    "iq1_m", "bf16",  "q4_0_4_4",
      "q4_0_4_8", "q4_0_8_8", "tq1_0",   "tq2_0"};
  return typeId < std::size(names) ? names[typeId] : std::string_view();
}

/// Messages quote keys and names from the file: keep them on one line and
/// of reasonable length whatever bytes the file holds.
static std::string printable(const std::string &message) {
  const size_t limit = 400;
  std::string result;
  for (unsigned char c : message) {
    if (result.size() >= limit) {
      result += "...";
      break;
    }
    if (c < 0x20 || c == 0x7f)
      result += llvm::formatv("\\x{0:x-2}", unsigned(c)).str();
    else
      result += char(c);
  }
  return result;
}

/// Reads the header of a GGUF buffer; friend of GGUFFile.
class GGUFParser {
public:
  GGUFParser(GGUFFile &file, StringRef fileName)
      : File(file), FileName(fileName),
        Begin(reinterpret_cast<const uint8_t *>(file.Buffer->getBufferStart())),
        Size(file.Buffer->getBufferSize()) {}

  Error parse();

private:
  Error fail(const llvm::Twine &message) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: %s (at byte %llu)",
                                   FileName.str().c_str(), printable(message.str()).c_str(),
                                   (unsigned long long)Position);
  }

  uint64_t remaining() const { return Size - Position; }

  Error need(uint64_t bytes, StringRef what) const {
    if (bytes > remaining())
      return fail(
          llvm::formatv("file truncated: {0} needs {1} bytes, {2} left", what, bytes, remaining()));
    return Error::success();
  }

  template <typename T> Expected<T> read(StringRef what) {
    if (Error error = need(sizeof(T), what))
      return std::move(error);
    T value = llvm::support::endian::read<T, llvm::endianness::little>(Begin + Position);
    Position += sizeof(T);
    return value;
  }

  Expected<std::string> readString(StringRef what);
  Expected<GGUFValue> readValue(GGUFValueType type, int depth, StringRef key);
  Error readMetadata(uint64_t count);
  Error readTensorInfos(uint64_t count);
  Error applyAlignment();
  Error placeTensors();

  GGUFFile &File;
  StringRef FileName;
  const uint8_t *Begin;
  uint64_t Size;
  uint64_t Position = 0;
  uint64_t ArrayElementsDecoded = 0;
};

Expected<std::string> GGUFParser::readString(StringRef what) {
  Expected<uint64_t> length = read<uint64_t>(what);
  if (!length)
    return length.takeError();
  if (*length > remaining())
    return fail(llvm::formatv("{0}: string length {1} exceeds the {2} bytes left in the file", what,
                              *length, remaining()));
  std::string text(reinterpret_cast<const char *>(Begin + Position), size_t(*length));
  Position += *length;
  return text;
}

/// The fewest bytes one value of a type takes in the file.
static uint64_t minimumEncodedSize(GGUFValueType type) {
  switch (type) {
  case GGUFValueType::UInt8:
  case GGUFValueType::Int8:
  case GGUFValueType::Bool:
    return 1;
  case GGUFValueType::UInt16:
  case GGUFValueType::Int16:
    return 2;
  case GGUFValueType::UInt32:
  case GGUFValueType::Int32:
  case GGUFValueType::Float32:
    return 4;
  case GGUFValueType::UInt64:
  case GGUFValueType::Int64:
  case GGUFValueType::Float64:
  case GGUFValueType::String:
    return 8;
  case GGUFValueType::Array:
    return 12;
  }
  return 1;
}

Expected<GGUFValue> GGUFParser::readValue(GGUFValueType type, int depth, StringRef key) {
  auto scalar = [&](auto tag) -> Expected<GGUFValue> {
    using T = decltype(tag);
    Expected<T> value = read<T>(key);
    if (!value)
      return value.takeError();
    return GGUFValue(*value);
  };
  switch (type) {
  case GGUFValueType::UInt8:
    return scalar(uint8_t());
  case GGUFValueType::Int8:
    return scalar(int8_t());
  case GGUFValueType::UInt16:
    return scalar(uint16_t());
  case GGUFValueType::Int16:
    return scalar(int16_t());
  case GGUFValueType::UInt32:
    return scalar(uint32_t());
  case GGUFValueType::Int32:
    return scalar(int32_t());
  case GGUFValueType::UInt64:
    return scalar(uint64_t());
  case GGUFValueType::Int64:
    return scalar(int64_t());
  case GGUFValueType::Float32: {
    Expected<uint32_t> bits = read<uint32_t>(key);
    if (!bits)
      return bits.takeError();
    float value;
    std::memcpy(&value, &*bits, sizeof(value));
    return GGUFValue(value);
  }
  case GGUFValueType::Float64: {
    Expected<uint64_t> bits = read<uint64_t>(key);
    if (!bits)
      return bits.takeError();
    double value;
    std::memcpy(&value, &*bits, sizeof(value));
    return GGUFValue(value);
  }
  case GGUFValueType::Bool: {
    Expected<uint8_t> byte = read<uint8_t>(key);
    if (!byte)
      return byte.takeError();
    if (*byte > 1)
      return fail(llvm::formatv("key '{0}': bool value {1} is neither 0 nor 1", key, *byte));
    return GGUFValue(*byte == 1);
  }
  case GGUFValueType::String: {
    Expected<std::string> text = readString(key);
    if (!text)
      return text.takeError();
    return GGUFValue(std::move(*text));
  }
  case GGUFValueType::Array: {
    if (depth >= kGGUFMaxArrayDepth)
      return fail(
          llvm::formatv("key '{0}': arrays nested deeper than {1}", key, kGGUFMaxArrayDepth));
    Expected<uint32_t> elementTypeId = read<uint32_t>(key);
    if (!elementTypeId)
      return elementTypeId.takeError();
    if (*elementTypeId >= kGGUFValueTypeCount)
      return fail(llvm::formatv("key '{0}': unknown array element type {1}", key, *elementTypeId));
    auto elementType = static_cast<GGUFValueType>(*elementTypeId);
    Expected<uint64_t> count = read<uint64_t>(key);
    if (!count)
      return count.takeError();
    uint64_t minimum = minimumEncodedSize(elementType);
    if (*count > remaining() / minimum)
      return fail(llvm::formatv("key '{0}': array of {1} {2} elements cannot fit in the {3} "
                                "bytes left in the file",
                                key, *count, valueTypeName(elementType), remaining()));
    ArrayElementsDecoded += *count;
    if (ArrayElementsDecoded > kGGUFMaxArrayElements)
      return fail(llvm::formatv("key '{0}': more than {1} array elements in the metadata", key,
                                kGGUFMaxArrayElements));
    GGUFArray array;
    array.elementType = elementType;
    array.elements.reserve(size_t(*count));
    for (uint64_t i = 0; i < *count; ++i) {
      Expected<GGUFValue> element = readValue(elementType, depth + 1, key);
      if (!element)
        return element.takeError();
      array.elements.push_back(std::move(*element));
    }
    return GGUFValue(std::move(array));
  }
  }
  return fail(llvm::formatv("key '{0}': unknown value type", key));
}

Error GGUFParser::readMetadata(uint64_t count) {
  // Smallest key/value: empty key length (8), type (4), one byte of value.
  if (count > remaining() / 13)
    return fail(
        llvm::formatv("{0} metadata entries cannot fit in the {1} bytes left", count, remaining()));
  File.Metadata.reserve(size_t(count));
  for (uint64_t i = 0; i < count; ++i) {
    Expected<std::string> key = readString("metadata key");
    if (!key)
      return key.takeError();
    if (key->empty())
      return fail(llvm::formatv("metadata entry {0} has an empty key", i));
    if (File.MetadataIndex.count(*key))
      return fail(llvm::formatv("duplicate metadata key '{0}'", *key));
    Expected<uint32_t> typeId = read<uint32_t>(*key);
    if (!typeId)
      return typeId.takeError();
    if (*typeId >= kGGUFValueTypeCount)
      return fail(llvm::formatv("key '{0}' has unknown value type {1}", *key, *typeId));
    Expected<GGUFValue> value = readValue(static_cast<GGUFValueType>(*typeId), 0, *key);
    if (!value)
      return value.takeError();
    File.MetadataIndex[*key] = File.Metadata.size();
    File.Metadata.emplace_back(std::move(*key), std::move(*value));
  }
  return Error::success();
}

Error GGUFParser::applyAlignment() {
  const GGUFValue *value = File.find("general.alignment");
  if (!value)
    return Error::success();
  std::optional<uint64_t> alignment = value->asUInt64();
  if (!alignment)
    return fail(llvm::formatv("general.alignment must be an unsigned integer, not {0}",
                              valueTypeName(value->type())));
  if (*alignment == 0 || !llvm::isPowerOf2_64(*alignment) || *alignment > kGGUFMaxAlignment)
    return fail(llvm::formatv("general.alignment {0} is not a power of two up to {1}", *alignment,
                              kGGUFMaxAlignment));
  File.TheAlignment = *alignment;
  return Error::success();
}

Error GGUFParser::readTensorInfos(uint64_t count) {
  // Smallest tensor info: name length (8), n_dims (4), one dim (8), type (4),
  // offset (8).
  if (count > remaining() / 32)
    return fail(llvm::formatv("{0} tensors cannot fit in the {1} bytes left", count, remaining()));
  File.Tensors.reserve(size_t(count));
  for (uint64_t i = 0; i < count; ++i) {
    GGUFTensor tensor;
    Expected<std::string> name = readString("tensor name");
    if (!name)
      return name.takeError();
    if (name->empty())
      return fail(llvm::formatv("tensor {0} has an empty name", i));
    if (File.TensorIndex.count(*name))
      return fail(llvm::formatv("duplicate tensor name '{0}'", *name));
    tensor.name = std::move(*name);
    Expected<uint32_t> dimCount = read<uint32_t>(tensor.name);
    if (!dimCount)
      return dimCount.takeError();
    if (*dimCount == 0 || *dimCount > uint32_t(kGGUFMaxDims))
      return fail(llvm::formatv("tensor '{0}' has {1} dimensions (1 to {2} allowed)", tensor.name,
                                *dimCount, kGGUFMaxDims));
    int64_t elements = 1;
    for (uint32_t d = 0; d < *dimCount; ++d) {
      Expected<uint64_t> dim = read<uint64_t>(tensor.name);
      if (!dim)
        return dim.takeError();
      if (*dim == 0 || *dim > uint64_t(std::numeric_limits<int64_t>::max()))
        return fail(
            llvm::formatv("tensor '{0}' has dimension {1} of size {2}", tensor.name, d, *dim));
      if (llvm::MulOverflow(elements, int64_t(*dim), elements))
        return fail(llvm::formatv("tensor '{0}': element count overflows", tensor.name));
      tensor.dims.push_back(int64_t(*dim));
    }
    tensor.elementCount = elements;
    Expected<uint32_t> typeId = read<uint32_t>(tensor.name);
    if (!typeId)
      return typeId.takeError();
    std::optional<TensorTypeTraits> traits = tensorTypeTraits(*typeId);
    if (!traits) {
      std::string_view known = ggmlTypeName(*typeId);
      return fail(llvm::formatv(
          "tensor '{0}' has type {1}{2}, which optlm does not support", tensor.name, *typeId,
          known.empty() ? std::string(" (unknown)") : " (" + std::string(known) + ")"));
    }
    tensor.type = static_cast<TensorType>(*typeId);
    if (tensor.dims[0] % traits->blockSize != 0)
      return fail(llvm::formatv("tensor '{0}': row length {1} is not a multiple of the {2} "
                                "block size {3}",
                                tensor.name, tensor.dims[0], traits->name, traits->blockSize));
    uint64_t blocks = uint64_t(elements) / uint64_t(traits->blockSize);
    if (blocks > std::numeric_limits<uint64_t>::max() / traits->blockBytes)
      return fail(llvm::formatv("tensor '{0}': byte size overflows", tensor.name));
    tensor.byteSize = blocks * traits->blockBytes;
    Expected<uint64_t> offset = read<uint64_t>(tensor.name);
    if (!offset)
      return offset.takeError();
    tensor.offset = *offset;
    File.TensorIndex[tensor.name] = File.Tensors.size();
    File.Tensors.push_back(std::move(tensor));
  }
  return Error::success();
}

Error GGUFParser::placeTensors() {
  uint64_t headerEnd = Position;
  uint64_t dataOffset = llvm::alignTo(headerEnd, File.TheAlignment);
  if (dataOffset < headerEnd) // alignTo wrapped around
    return fail("data section offset overflows");
  File.DataOffset = dataOffset;
  if (File.Tensors.empty())
    return Error::success();
  if (dataOffset > Size)
    return fail(llvm::formatv("file truncated: the data section would start at byte {0} of a "
                              "{1}-byte file",
                              dataOffset, Size));
  uint64_t dataSize = Size - dataOffset;
  for (GGUFTensor &tensor : File.Tensors) {
    if (tensor.offset % File.TheAlignment != 0)
      return fail(llvm::formatv("tensor '{0}': data offset {1} is not a multiple of the "
                                "alignment {2}",
                                tensor.name, tensor.offset, File.TheAlignment));
    if (tensor.offset > dataSize || tensor.byteSize > dataSize - tensor.offset)
      return fail(llvm::formatv("tensor '{0}': data [{1}, +{2}) lies outside the {3}-byte data "
                                "section",
                                tensor.name, tensor.offset, tensor.byteSize, dataSize));
    tensor.data = Begin + dataOffset + tensor.offset;
  }
  return Error::success();
}

Error GGUFParser::parse() {
  if (Size < 4 || std::memcmp(Begin, kGGUFMagic, 4) != 0)
    return fail("not a GGUF file (the magic bytes 'GGUF' are missing)");
  Position = 4;
  Expected<uint32_t> version = read<uint32_t>("version");
  if (!version)
    return version.takeError();
  if (*version == 1)
    return fail("GGUF version 1 is not supported (it predates 64-bit counts); convert the "
                "file to version 3");
  if (*version != 2 && *version != 3) {
    if (*version != 0 && (*version & 0xffff) == 0)
      return fail(llvm::formatv("GGUF version {0} looks byte-swapped: big-endian GGUF files are "
                                "not supported",
                                llvm::byteswap(*version)));
    return fail(llvm::formatv("unsupported GGUF version {0} (2 and 3 are supported)", *version));
  }
  File.Version = *version;
  Expected<uint64_t> tensorCount = read<uint64_t>("tensor count");
  if (!tensorCount)
    return tensorCount.takeError();
  Expected<uint64_t> metadataCount = read<uint64_t>("metadata count");
  if (!metadataCount)
    return metadataCount.takeError();
  if (Error error = readMetadata(*metadataCount))
    return error;
  if (Error error = applyAlignment())
    return error;
  if (Error error = readTensorInfos(*tensorCount))
    return error;
  return placeTensors();
}

namespace {

/// A file's bytes in private anonymous memory, asked to be backed by
/// transparent huge pages (GGUFFile::Residence::Private).
class PrivateFileBuffer final : public llvm::MemoryBuffer {
public:
  static Expected<std::unique_ptr<llvm::MemoryBuffer>> read(StringRef path, uint64_t size) {
    // mmap(0) fails; an empty file still needs a buffer (and a parse error).
    size_t length = std::max<uint64_t>(size, 1);
    void *memory =
        ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
      return llvm::createStringError(std::error_code(errno, std::generic_category()),
                                     "%s: cannot allocate %llu bytes: %s", path.str().c_str(),
                                     static_cast<unsigned long long>(size), strerror(errno));
#ifdef MADV_HUGEPAGE
    // Advice only: without transparent huge pages the bytes still load.
    ::madvise(memory, length, MADV_HUGEPAGE);
#endif
    std::unique_ptr<PrivateFileBuffer> buffer(
        new PrivateFileBuffer(static_cast<char *>(memory), length, size, path));
    auto withPath = [&](Error error) {
      std::error_code code = llvm::errorToErrorCode(std::move(error));
      return llvm::createStringError(code, "%s: %s", path.str().c_str(), code.message().c_str());
    };
    Expected<llvm::sys::fs::file_t> file = llvm::sys::fs::openNativeFileForRead(path);
    if (!file)
      return withPath(file.takeError());
    uint64_t done = 0;
    Error failure = Error::success();
    while (done < size) {
      Expected<size_t> got = llvm::sys::fs::readNativeFile(
          *file, llvm::MutableArrayRef<char>(static_cast<char *>(memory) + done,
                                             std::min<uint64_t>(size - done, 1u << 30)));
      if (!got) {
        failure = withPath(got.takeError());
        break;
      }
      if (*got == 0) {
        failure =
            llvm::createStringError(llvm::inconvertibleErrorCode(),
                                    "%s: the file shrank while it was read", path.str().c_str());
        break;
      }
      done += *got;
    }
    llvm::sys::fs::closeFile(*file);
    if (failure)
      return std::move(failure);
    return std::move(buffer);
  }

  ~PrivateFileBuffer() override { ::munmap(Memory, Length); }
  StringRef getBufferIdentifier() const override { return Name; }
  BufferKind getBufferKind() const override { return MemoryBuffer_MMap; }

private:
  PrivateFileBuffer(char *memory, size_t length, uint64_t size, StringRef name)
      : Memory(memory), Length(length), Name(name.str()) {
    init(memory, memory + size, /*RequiresNullTerminator=*/false);
  }

  char *Memory;
  size_t Length;
  std::string Name;
};

} // namespace

Expected<std::unique_ptr<GGUFFile>> GGUFFile::open(StringRef path, Residence residence) {
  // Reading a device or a pipe would never end (/dev/zero) or block; only
  // regular files have a size to validate against.
  llvm::sys::fs::file_status status;
  if (std::error_code error = llvm::sys::fs::status(path, status))
    return llvm::createStringError(error, "%s: %s", path.str().c_str(), error.message().c_str());
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: not a regular file",
                                   path.str().c_str());
  if (residence == Residence::Private) {
    auto buffer = PrivateFileBuffer::read(path, status.getSize());
    if (!buffer)
      return buffer.takeError();
    auto file = fromBuffer(std::move(*buffer));
    if (file)
      (*file)->Writable = true;
    return file;
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "%s: %s", path.str().c_str(),
                                   buffer.getError().message().c_str());
  return fromBuffer(std::move(*buffer));
}

Expected<std::unique_ptr<GGUFFile>>
GGUFFile::fromBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer) {
  if (!buffer)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "no GGUF buffer given");
  // Tensor rows are read as floats and halves in place; a buffer that is not
  // suitably aligned is copied once into one that is.
  if (reinterpret_cast<uintptr_t>(buffer->getBufferStart()) % 16 != 0)
    buffer =
        llvm::MemoryBuffer::getMemBufferCopy(buffer->getBuffer(), buffer->getBufferIdentifier());
  std::unique_ptr<GGUFFile> file(new GGUFFile());
  file->Buffer = std::move(buffer);
  StringRef name = file->Buffer->getBufferIdentifier();
  GGUFParser parser(*file, name.empty() ? StringRef("<gguf>") : name);
  if (Error error = parser.parse())
    return std::move(error);
  return std::move(file);
}

// --- metadata accessors -------------------------------------------------------

const GGUFValue *GGUFFile::find(StringRef key) const {
  auto found = MetadataIndex.find(key);
  return found == MetadataIndex.end() ? nullptr : &Metadata[found->second].second;
}

const GGUFTensor *GGUFFile::findTensor(StringRef name) const {
  auto found = TensorIndex.find(name);
  return found == TensorIndex.end() ? nullptr : &Tensors[found->second];
}

static Error missingKey(StringRef key) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s",
                                 printable("metadata key '" + key.str() + "' is missing").c_str());
}

static Error wrongType(StringRef key, const GGUFValue &value, StringRef wanted) {
  std::string what(valueTypeName(value.type()));
  if (const GGUFArray *array = value.asArray())
    what += " of " + std::string(valueTypeName(array->elementType));
  std::string message = "metadata key '" + key.str() + "' is " + what + " (" + value.summary(4) +
                        "), not " + wanted.str();
  return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", printable(message).c_str());
}

Expected<StringRef> GGUFFile::getString(StringRef key) const {
  const GGUFValue *value = find(key);
  if (!value)
    return missingKey(key);
  if (const std::string *text = value->asString())
    return StringRef(*text);
  return wrongType(key, *value, "a string");
}

template <typename T> static std::optional<T> integerAs(const GGUFValue &value) {
  if (std::optional<int64_t> signedValue = value.asInt64()) {
    if (*signedValue >= int64_t(std::numeric_limits<T>::min()) &&
        (*signedValue < 0 || uint64_t(*signedValue) <= uint64_t(std::numeric_limits<T>::max())))
      return T(*signedValue);
    return std::nullopt;
  }
  if (std::optional<uint64_t> unsignedValue = value.asUInt64())
    if (*unsignedValue <= uint64_t(std::numeric_limits<T>::max()))
      return T(*unsignedValue);
  return std::nullopt;
}

template <typename T>
static Expected<T> getInteger(const GGUFFile &file, StringRef key, StringRef wanted) {
  const GGUFValue *value = file.find(key);
  if (!value)
    return missingKey(key);
  if (std::optional<T> result = integerAs<T>(*value))
    return *result;
  return wrongType(key, *value, wanted);
}

Expected<uint32_t> GGUFFile::getU32(StringRef key) const {
  return getInteger<uint32_t>(*this, key, "an integer in the u32 range");
}
Expected<int32_t> GGUFFile::getI32(StringRef key) const {
  return getInteger<int32_t>(*this, key, "an integer in the i32 range");
}
Expected<uint64_t> GGUFFile::getU64(StringRef key) const {
  return getInteger<uint64_t>(*this, key, "an integer in the u64 range");
}

Expected<float> GGUFFile::getF32(StringRef key) const {
  const GGUFValue *value = find(key);
  if (!value)
    return missingKey(key);
  if (std::optional<double> number = value->asDouble())
    return float(*number);
  return wrongType(key, *value, "a float");
}

Expected<bool> GGUFFile::getBool(StringRef key) const {
  const GGUFValue *value = find(key);
  if (!value)
    return missingKey(key);
  if (const bool *flag = value->asBool())
    return *flag;
  return wrongType(key, *value, "a bool");
}

Expected<std::vector<std::string>> GGUFFile::getStringArray(StringRef key) const {
  const GGUFValue *value = find(key);
  if (!value)
    return missingKey(key);
  const GGUFArray *array = value->asArray();
  if (!array || array->elementType != GGUFValueType::String)
    return wrongType(key, *value, "an array of strings");
  std::vector<std::string> result;
  result.reserve(array->elements.size());
  for (const GGUFValue &element : array->elements)
    result.push_back(*element.asString());
  return result;
}

Expected<std::vector<float>> GGUFFile::getF32Array(StringRef key) const {
  const GGUFValue *value = find(key);
  if (!value)
    return missingKey(key);
  const GGUFArray *array = value->asArray();
  if (!array || (array->elementType != GGUFValueType::Float32 &&
                 array->elementType != GGUFValueType::Float64))
    return wrongType(key, *value, "an array of floats");
  std::vector<float> result;
  result.reserve(array->elements.size());
  for (const GGUFValue &element : array->elements)
    result.push_back(float(*element.asDouble()));
  return result;
}

Expected<std::vector<int32_t>> GGUFFile::getI32Array(StringRef key) const {
  const GGUFValue *value = find(key);
  if (!value)
    return missingKey(key);
  const GGUFArray *array = value->asArray();
  if (!array)
    return wrongType(key, *value, "an array of integers");
  std::vector<int32_t> result;
  result.reserve(array->elements.size());
  for (const GGUFValue &element : array->elements) {
    std::optional<int32_t> number = integerAs<int32_t>(element);
    if (!number)
      return wrongType(key, *value, "an array of integers in the i32 range");
    result.push_back(*number);
  }
  return result;
}

std::optional<StringRef> GGUFFile::stringOr(StringRef key) const {
  const GGUFValue *value = find(key);
  const std::string *text = value ? value->asString() : nullptr;
  return text ? std::optional<StringRef>(*text) : std::nullopt;
}

std::optional<uint32_t> GGUFFile::u32Or(StringRef key) const {
  const GGUFValue *value = find(key);
  return value ? integerAs<uint32_t>(*value) : std::nullopt;
}

std::optional<float> GGUFFile::f32Or(StringRef key) const {
  const GGUFValue *value = find(key);
  std::optional<double> number = value ? value->asDouble() : std::nullopt;
  return number ? std::optional<float>(float(*number)) : std::nullopt;
}

} // namespace optlm::lm
