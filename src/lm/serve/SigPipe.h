//===- SigPipe.h - survive writes to closed connections ------------*- C++ -*-===//
//
// Debian's cpp-httplib sends with plain send(2), so writing to a connection
// the peer has closed raises SIGPIPE, whose default action kills the whole
// process: a client hanging up mid-stream would take the server down, and a
// server dying mid-request would take the client's program with it. Both
// sides therefore ignore SIGPIPE (the failed write is then an ordinary
// error), unless the program installed a handler of its own.
//
//===----------------------------------------------------------------------===//
#pragma once

namespace optlm::lm {

/// Idempotent and thread-safe.
void ignoreSigPipe();

} // namespace optlm::lm
