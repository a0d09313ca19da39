# Shared by the cc end-to-end tests (run-*.sh), which ctest runs with OPTLM,
# OPTLM_BIN, CLANG, PROJECTS, CMAKE, MAKE and WORK set (tests/cc/CMakeLists.txt).
# Each test works in a fresh folder of its own with a fresh results store, so
# that nothing the user has (their store, their OPTLM_CC_* settings) counts.
set -euo pipefail

test_name=$(basename "$0" .sh)
test_name=${test_name#run-}
W="$WORK/$test_name"
rm -rf "$W"
mkdir -p "$W"
for variable in $(env | sed -n 's/^\(OPTLM_CC_[A-Z_]*\)=.*/\1/p'); do unset "$variable"; done
export OPTLM_CC_STORE="$W/store.sqlite"
export OPTLM_STORE="$W/store.sqlite"
export OPTLM_CC_LOG="$W/build.log"
# Objects must equal clang -Oz's when the store knows nothing: no model.
export OPTLM_CC_MODEL=off
# optlm cc's scratch folders (and clang's temporaries) go here, where the
# tests can see that none is left behind.
export TMPDIR="$W/tmp"
mkdir -p "$TMPDIR"
# Diagnostics are compared byte for byte: the same clang, the same name.
CLANG_DIR=$(dirname "$CLANG")
export PATH="$CLANG_DIR:$PATH"
CC_OPTLM="$OPTLM cc"

fail() {
  echo "FAIL ($test_name): $*" >&2
  if [ -f "$OPTLM_CC_LOG" ]; then
    echo "--- build log" >&2
    cat "$OPTLM_CC_LOG" >&2
  fi
  exit 1
}

# same_file A B WHAT: the two files are byte for byte equal.
same_file() {
  cmp -s "$1" "$2" || { diff <(od -c "$1" | head -40) <(od -c "$2" | head -40) >&2 || true; fail "$3: $1 and $2 differ"; }
}

# log_count FIELD VALUE: how many log lines have "FIELD":"VALUE".
log_count() {
  if [ ! -f "$OPTLM_CC_LOG" ]; then echo 0; return; fi
  jq -c "select(.$1 == \"$2\")" "$OPTLM_CC_LOG" | wc -l
}
