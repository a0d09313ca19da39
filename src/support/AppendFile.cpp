//===- AppendFile.cpp - lines added to a file that others read ------------===//
#include "support/AppendFile.h"

#include <cerrno>
#include <fcntl.h>
#include <string>
#include <unistd.h>

using namespace llvm;

namespace optlm {

namespace {

Error systemError(const char *what, StringRef path, int error) {
  std::error_code code(error, std::generic_category());
  return createStringError(code, "cannot %s '%s': %s", what, path.str().c_str(),
                           code.message().c_str());
}

} // namespace

Error appendToFile(StringRef path, StringRef bytes, AppendSync sync) {
  const std::string pathText = path.str();
  const int fd = ::open(pathText.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    return systemError("open", path, errno);
  // One write, so that the piece lands whole after whatever others
  // appended; a short write (a full disk) is an error, not a retry that
  // could put someone else's line in the middle of this one.
  ssize_t written;
  do
    written = ::write(fd, bytes.data(), bytes.size());
  while (written < 0 && errno == EINTR);
  if (written != ssize_t(bytes.size())) {
    const int error = written < 0 ? errno : ENOSPC;
    ::close(fd);
    return systemError("write", path, error);
  }
  if (sync == AppendSync::Yes && ::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    return systemError("sync", path, error);
  }
  ::close(fd);
  return Error::success();
}

} // namespace optlm
