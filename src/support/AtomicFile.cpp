//===- AtomicFile.cpp - a file written whole or not at all ----------------===//
#include "support/AtomicFile.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

using namespace llvm;

namespace optlm {

Error writeFileAtomically(StringRef path, function_ref<Error(raw_ostream &)> write) {
  const std::string temporary = (path + ".tmp." + Twine(::getpid())).str();
  {
    std::error_code error;
    raw_fd_ostream stream(temporary, error, sys::fs::OF_None);
    if (error)
      return createStringError(error, "cannot write '%s': %s", temporary.c_str(),
                               error.message().c_str());
    Error written = write(stream);
    stream.close();
    if (written || stream.has_error()) {
      if (!written)
        written = createStringError(stream.error(), "cannot write '%s': %s", temporary.c_str(),
                                    stream.error().message().c_str());
      stream.clear_error();
      sys::fs::remove(temporary);
      return written;
    }
  }
  if (std::error_code error = sys::fs::rename(temporary, path)) {
    sys::fs::remove(temporary);
    return createStringError(error, "cannot rename to '%s': %s", path.str().c_str(),
                             error.message().c_str());
  }
  return Error::success();
}

Error writeFileAtomically(StringRef path, StringRef text) {
  return writeFileAtomically(path, [&](raw_ostream &stream) {
    stream << text;
    return Error::success();
  });
}

} // namespace optlm
