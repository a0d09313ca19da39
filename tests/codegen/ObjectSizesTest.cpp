//===- ObjectSizesTest.cpp - sizes equal llvm-size-19's -------------------===//
#include "CodegenTestSupport.h"

#include "codegen/ObjectEmitter.h"
#include "codegen/ObjectSizes.h"

#include "llvm/Support/raw_ostream.h"

#include <gmock/gmock.h>

#include <sstream>

using namespace llvm;
using namespace optlm;
using namespace optlm::testing;
using ::testing::HasSubstr;

namespace {

struct BerkeleySizes {
  uint64_t text = 0, data = 0, bss = 0;
};

/// The first data row of `llvm-size --format=berkeley`.
BerkeleySizes parseBerkeley(StringRef output) {
  BerkeleySizes sizes;
  std::istringstream stream(output.split('\n').second.str());
  stream >> sizes.text >> sizes.data >> sizes.bss;
  return sizes;
}

/// The rows of `llvm-size --format=sysv`: name -> size, summed per name.
std::map<std::string, uint64_t> parseSysv(StringRef output) {
  std::map<std::string, uint64_t> sections;
  SmallVector<StringRef, 32> lines;
  output.split(lines, '\n');
  for (StringRef line : lines) {
    std::istringstream row(line.str());
    std::string name;
    uint64_t size;
    if (line.starts_with(".") && (row >> name >> size))
      sections[name] += size;
  }
  return sections;
}

std::string writeTemporary(ArrayRef<char> bytes, StringRef suffix) {
  SmallString<128> path;
  EXPECT_FALSE(sys::fs::createTemporaryFile("optlm-sizes", suffix, path));
  std::error_code error;
  raw_fd_ostream stream(path, error);
  stream.write(bytes.data(), bytes.size());
  return std::string(path);
}

void expectSizesEqualLlvmSize(StringRef input, StringRef triple) {
  Expected<LoadedModule> loaded = loadFor(input, triple);
  OPTLM_ASSERT_OK(loaded);
  Expected<std::unique_ptr<TargetMachine>> machine = createCodegenTargetMachine(triple);
  OPTLM_ASSERT_OK(machine);
  Expected<SmallVector<char, 0>> object = emitObject(*loaded->module, **machine);
  OPTLM_ASSERT_OK(object);
  Expected<ObjectSizes> sizes = measureObjectSizes(StringRef(object->data(), object->size()));
  OPTLM_ASSERT_OK(sizes);

  std::string objectPath = writeTemporary(*object, "o");
  BerkeleySizes expected =
      parseBerkeley(runTool(OPTLM_LLVM_SIZE_PATH, {"--format=berkeley", objectPath}));
  std::map<std::string, uint64_t> sysv =
      parseSysv(runTool(OPTLM_LLVM_SIZE_PATH, {"--format=sysv", objectPath}));
  sys::fs::remove(objectPath);

  EXPECT_EQ(sizes->text, expected.text) << input.str() << " " << triple.str();
  EXPECT_EQ(sizes->data, expected.data) << input.str() << " " << triple.str();
  EXPECT_EQ(sizes->bss, expected.bss) << input.str() << " " << triple.str();
  EXPECT_EQ(sizes->binarySize(), expected.text + expected.data);
  for (const auto &[name, size] : sizes->sections) {
    ASSERT_TRUE(sysv.count(name)) << name;
    EXPECT_EQ(size, sysv[name]) << name;
  }
}

TEST(ObjectSizes, EqualLlvmSizeOnTestInputs) {
  for (const char *triple : Triples)
    for (const char *name : {"sum.ll", "tiny.c", "tiny.cpp"})
      expectSizesEqualLlvmSize(inputPath("ir", name), triple);
}

TEST(ObjectSizes, ClassifiesSectionsLikeBerkeley) {
  Expected<LoadedModule> loaded =
      loadFor(inputPath("ir", "sections.ll"), "x86_64-unknown-linux-gnu");
  OPTLM_ASSERT_OK(loaded);
  Expected<std::unique_ptr<TargetMachine>> machine =
      createCodegenTargetMachine("x86_64-unknown-linux-gnu");
  OPTLM_ASSERT_OK(machine);
  Expected<SmallVector<char, 0>> object = emitObject(*loaded->module, **machine);
  OPTLM_ASSERT_OK(object);
  Expected<ObjectSizes> sizes = measureObjectSizes(StringRef(object->data(), object->size()));
  OPTLM_ASSERT_OK(sizes);
  // 12 bytes of initialised data, 64 of zeros, 5 bytes of read-only string.
  EXPECT_EQ(sizes->sections[".data"], 12u);
  EXPECT_EQ(sizes->sections[".bss"], 64u);
  EXPECT_EQ(sizes->bss, 64u);
  EXPECT_EQ(sizes->data, 12u);
  EXPECT_GE(sizes->sections[".rodata.str1.1"], 5u);
  EXPECT_GT(sizes->sections[".text"], 0u);
  // Read-only and executable sections, .eh_frame included, are text.
  uint64_t textSections = 0;
  for (const auto &[name, size] : sizes->sections)
    if (name != ".data" && name != ".bss")
      textSections += size;
  EXPECT_EQ(sizes->text, textSections);
  EXPECT_FALSE(sizes->sections.count(".symtab")); // not allocatable
  EXPECT_EQ(sizes->binarySize(), sizes->text + sizes->data);
}

TEST(ObjectSizes, RejectsBytesThatAreNoObject) {
  Expected<ObjectSizes> sizes = measureObjectSizes("definitely not ELF");
  ASSERT_FALSE(bool(sizes));
  EXPECT_THAT(toString(sizes.takeError()), HasSubstr("cannot read the object"));
  Expected<ObjectSizes> empty = measureObjectSizes("");
  EXPECT_FALSE(bool(empty));
  consumeError(empty.takeError());
}

} // namespace
