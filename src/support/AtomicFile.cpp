//===- AtomicFile.cpp - a file written whole or not at all ----------------===//
#include "support/AtomicFile.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

using namespace llvm;

namespace optlm {

Error writeFileAtomically(StringRef path, StringRef text) {
  const std::string temporary = (path + ".tmp." + Twine(::getpid())).str();
  {
    std::error_code error;
    raw_fd_ostream stream(temporary, error, sys::fs::OF_None);
    if (error)
      return createStringError(error, "cannot write '%s': %s", temporary.c_str(),
                               error.message().c_str());
    stream << text;
    stream.close();
    if (stream.has_error()) {
      std::error_code failed = stream.error();
      stream.clear_error();
      sys::fs::remove(temporary);
      return createStringError(failed, "cannot write '%s'", temporary.c_str());
    }
  }
  if (std::error_code error = sys::fs::rename(temporary, path)) {
    sys::fs::remove(temporary);
    return createStringError(error, "cannot rename to '%s': %s", path.str().c_str(),
                             error.message().c_str());
  }
  return Error::success();
}

} // namespace optlm
