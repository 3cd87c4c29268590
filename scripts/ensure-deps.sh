#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian machine: the system LMDB (liblmdb-dev, found through
# pkg-config `lmdb`) and its inspection tools, and jemalloc (libjemalloc-dev, pkg-config `jemalloc`), the
# allocator the sealhall executable links. Does nothing when they are already there.
# With --bench it also installs wrk, the HTTP load generator of `make bench`, and strace, which
# scripts/commit-io.sh traces the writer with.
set -euo pipefail
packages=()
pkg-config --exists lmdb && command -v mdb_stat >/dev/null || packages+=(liblmdb-dev lmdb-utils pkg-config)
pkg-config --exists jemalloc || packages+=(libjemalloc-dev pkg-config)
if [ "${1:-}" = "--bench" ]; then
  command -v wrk >/dev/null || packages+=(wrk)
  command -v strace >/dev/null || packages+=(strace)
fi
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
pkg-config --exists lmdb jemalloc
