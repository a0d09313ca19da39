# Sourced by the scripts that build Debian source packages (corpus-debian,
# cc-debian-check): installs the package-building tools and adds a deb-src
# entry for the same archive and suites as the deb one, so that
# `apt-get source` and `apt-get build-dep` work. Needs root. Returns non-zero
# when apt fails.
prepare_debian_sources() {
  export DEBIAN_FRONTEND=noninteractive
  local need=() tool src
  for tool in dpkg-dev devscripts fakeroot; do
    dpkg-query -W -f='${Status}' "$tool" 2>/dev/null | grep -q "ok installed" || need+=("$tool")
  done
  if ((${#need[@]})); then
    apt-get update -q && apt-get install -y -q --no-install-recommends "${need[@]}" || return 1
  fi
  if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    src=/etc/apt/sources.list.d/optlm-deb-src.sources
    awk 'BEGIN{RS=""; ORS="\n\n"} /Types: deb/ && /debian\/?$|debian\n/ {sub(/Types: deb/, "Types: deb-src"); print}' \
      /etc/apt/sources.list.d/debian.sources > "$src" 2>/dev/null
    if [ ! -s "$src" ] && [ -r /etc/apt/sources.list ]; then
      grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > /etc/apt/sources.list.d/optlm-deb-src.list
      rm -f "$src"
    fi
    apt-get update -q || return 1
  fi
}
