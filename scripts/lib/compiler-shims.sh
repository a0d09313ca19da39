# Compiler shims for Debian package builds. Sourced by scripts/cc-debian-check
# and scripts/corpus-debian.
#
# Many packages' rules name their compiler (zlib's: CC=$(DEB_HOST_GNU_TYPE)-gcc,
# bzip2's: gcc) instead of taking CC from the environment, so a build runs
# with a folder first on PATH whose gcc, cc, g++, c++ and triple-prefixed
# names run the compiler the build is meant to use.

make_shims() { # folder c-compiler c++-compiler [extra argument]
  # (each compiler a command line: flags after its path come before the build's)
  local folder=$1 cc=$2 cxx=$3 extra=${4:-} name
  mkdir -p "$folder"
  for name in cc gcc x86_64-linux-gnu-gcc gcc-12 x86_64-linux-gnu-gcc-12; do
    printf '#!/bin/sh\nexec %s "$@" %s\n' "$cc" "$extra" > "$folder/$name"
  done
  for name in c++ g++ x86_64-linux-gnu-g++ g++-12 x86_64-linux-gnu-g++-12; do
    printf '#!/bin/sh\nexec %s "$@" %s\n' "$cxx" "$extra" > "$folder/$name"
  done
  chmod +x "$folder"/*
}
