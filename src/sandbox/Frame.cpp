//===- Frame.cpp - the byte protocol between the pool and a child ---------===//
#include "sandbox/Frame.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace optlm::sandbox {

static void putHeader(char *header, FrameKind kind, uint32_t size) {
  header[0] = static_cast<char>(kind);
  for (int i = 0; i < 4; ++i)
    header[1 + i] = static_cast<char>((size >> (8 * i)) & 0xff);
}

static bool isKnownKind(uint8_t byte) {
  return byte >= static_cast<uint8_t>(FrameKind::Result) &&
         byte <= static_cast<uint8_t>(FrameKind::Run);
}

std::string encodeFrame(FrameKind kind, llvm::StringRef payload) {
  std::string bytes(FrameHeaderSize, '\0');
  putHeader(bytes.data(), kind, static_cast<uint32_t>(payload.size()));
  bytes.append(payload.data(), payload.size());
  return bytes;
}

llvm::Expected<std::optional<Frame>> FrameDecoder::next() {
  size_t available = Buffer.size() - Consumed;
  if (available < FrameHeaderSize)
    return std::nullopt;
  const auto *header = reinterpret_cast<const unsigned char *>(Buffer.data() + Consumed);
  if (!isKnownKind(header[0]))
    return llvm::createStringError("protocol error: unknown frame kind %u", unsigned(header[0]));
  uint32_t size = 0;
  for (int i = 0; i < 4; ++i)
    size |= uint32_t(header[1 + i]) << (8 * i);
  if (size > MaxPayload)
    return llvm::createStringError("protocol error: frame of %u bytes exceeds the limit of %zu",
                                   size, MaxPayload);
  if (available < FrameHeaderSize + size)
    return std::nullopt;
  Frame frame{static_cast<FrameKind>(header[0]), Buffer.substr(Consumed + FrameHeaderSize, size)};
  Consumed += FrameHeaderSize + size;
  // Compact once the consumed prefix dominates, keeping appends amortized.
  if (Consumed > 4096 && Consumed * 2 > Buffer.size()) {
    Buffer.erase(0, Consumed);
    Consumed = 0;
  }
  return std::optional<Frame>(std::move(frame));
}

bool sendAll(int socket, const void *data, size_t size) {
  const char *bytes = static_cast<const char *>(data);
  while (size > 0) {
    ssize_t written = ::send(socket, bytes, size, MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    bytes += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

bool sendFrame(int socket, FrameKind kind, const char *payload, size_t size) {
  char header[FrameHeaderSize];
  putHeader(header, kind, static_cast<uint32_t>(size));
  return sendAll(socket, header, sizeof header) && sendAll(socket, payload, size);
}

static llvm::Error receiveExactly(int socket, char *data, size_t size) {
  while (size > 0) {
    ssize_t got = ::read(socket, data, size);
    if (got < 0) {
      if (errno == EINTR)
        continue;
      return llvm::createStringError("reading from the pool: %s", std::strerror(errno));
    }
    if (got == 0)
      return llvm::createStringError("the pool closed the connection");
    data += got;
    size -= static_cast<size_t>(got);
  }
  return llvm::Error::success();
}

llvm::Expected<Frame> receiveFrame(int socket, size_t maxPayload) {
  unsigned char header[FrameHeaderSize];
  if (llvm::Error error = receiveExactly(socket, reinterpret_cast<char *>(header), sizeof header))
    return std::move(error);
  if (!isKnownKind(header[0]))
    return llvm::createStringError("protocol error: unknown frame kind %u", unsigned(header[0]));
  uint32_t size = 0;
  for (int i = 0; i < 4; ++i)
    size |= uint32_t(header[1 + i]) << (8 * i);
  if (size > maxPayload)
    return llvm::createStringError("protocol error: frame too large");
  Frame frame{static_cast<FrameKind>(header[0]), std::string(size, '\0')};
  if (llvm::Error error = receiveExactly(socket, frame.payload.data(), size))
    return std::move(error);
  return frame;
}

} // namespace optlm::sandbox
