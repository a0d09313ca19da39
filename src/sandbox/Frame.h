//===- Frame.h - the byte protocol between the pool and a child --*- C++ -*-===//
//
// A child and its parent talk over one Unix stream socket in frames: a kind
// byte, a 32-bit little-endian payload length, the payload. The child sends
// its result, its queries, and (from LLVM's error hooks) a fatal message or
// an out-of-memory notice; the parent sends replies, and to a child that
// runs several jobs, the index of the next one. A stream socket rather
// than a pipe because it is two-way and because send(MSG_NOSIGNAL) lets
// either side write to a peer that has died without taking a SIGPIPE.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace optlm::sandbox {

enum class FrameKind : uint8_t {
  Result = 1,      ///< child -> parent: the job's answer; the last frame
  Query = 2,       ///< child -> parent: a question; the child waits for a Reply
  Reply = 3,       ///< parent -> child
  Fatal = 4,       ///< child -> parent: LLVM's fatal-error message
  OutOfMemory = 5, ///< child -> parent: an allocation failed
  Run = 6,         ///< parent -> reused child: the next job's index
};

constexpr size_t FrameHeaderSize = 5;

struct Frame {
  FrameKind kind;
  std::string payload;
};

/// Header and payload as one string.
std::string encodeFrame(FrameKind kind, llvm::StringRef payload);

/// Reassembles frames from a byte stream that arrives in arbitrary pieces.
/// A frame of unknown kind or larger than the limit is a protocol error:
/// the peer is broken and the stream cannot be trusted any further.
class FrameDecoder {
public:
  explicit FrameDecoder(size_t maxPayload) : MaxPayload(maxPayload) {}

  void append(const char *data, size_t size) { Buffer.append(data, size); }

  /// The next complete frame, std::nullopt if more bytes are needed.
  llvm::Expected<std::optional<Frame>> next();

  /// Bytes received that do not yet form a whole frame.
  size_t pendingBytes() const { return Buffer.size() - Consumed; }

private:
  size_t MaxPayload;
  std::string Buffer;
  size_t Consumed = 0;
};

/// Writes all bytes to a socket, retrying on EINTR and partial writes, never
/// raising SIGPIPE. Does not allocate, so that it is usable from LLVM's
/// out-of-memory hook. Returns false if the peer is gone.
bool sendAll(int socket, const void *data, size_t size);

/// sendAll of one frame, without allocating.
bool sendFrame(int socket, FrameKind kind, const char *payload, size_t size);

/// Blocks until one whole frame has arrived (EINTR and short reads
/// handled). Errors when the peer closes the socket or breaks the protocol.
llvm::Expected<Frame> receiveFrame(int socket, size_t maxPayload);

} // namespace optlm::sandbox
