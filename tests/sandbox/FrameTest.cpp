//===- FrameTest.cpp - the pool's byte protocol ----------------------------===//
#include "sandbox/Frame.h"
#include "testing/Testing.h"

#include "gtest/gtest.h"

using namespace optlm::sandbox;

TEST(SandboxFrame, ReassemblesFramesSplitAtEveryByte) {
  std::string stream = encodeFrame(FrameKind::Query, "is it known?") +
                       encodeFrame(FrameKind::Result, std::string(300, 'x')) +
                       encodeFrame(FrameKind::Fatal, "");
  FrameDecoder decoder(1024);
  std::vector<Frame> frames;
  for (char byte : stream) {
    decoder.append(&byte, 1);
    for (;;) {
      auto frame = decoder.next();
      OPTLM_ASSERT_OK(frame);
      if (!*frame)
        break;
      frames.push_back(std::move(**frame));
    }
  }
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0].kind, FrameKind::Query);
  EXPECT_EQ(frames[0].payload, "is it known?");
  EXPECT_EQ(frames[1].kind, FrameKind::Result);
  EXPECT_EQ(frames[1].payload, std::string(300, 'x'));
  EXPECT_EQ(frames[2].kind, FrameKind::Fatal);
  EXPECT_EQ(frames[2].payload, "");
  EXPECT_EQ(decoder.pendingBytes(), 0u);
}

TEST(SandboxFrame, RejectsUnknownKind) {
  FrameDecoder decoder(1024);
  std::string bytes("\x09\x01\x00\x00\x00z", 6);
  decoder.append(bytes.data(), bytes.size());
  auto frame = decoder.next();
  ASSERT_FALSE(static_cast<bool>(frame));
  EXPECT_NE(llvm::toString(frame.takeError()).find("unknown frame kind"), std::string::npos);
}

TEST(SandboxFrame, RejectsOversizedFrameBeforeItArrives) {
  FrameDecoder decoder(16);
  std::string header =
      encodeFrame(FrameKind::Result, std::string(17, 'a')).substr(0, FrameHeaderSize);
  decoder.append(header.data(), header.size());
  auto frame = decoder.next();
  ASSERT_FALSE(static_cast<bool>(frame));
  EXPECT_NE(llvm::toString(frame.takeError()).find("exceeds the limit"), std::string::npos);
}
