#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian machine: the system LMDB (liblmdb-dev, found through
# pkg-config `lmdb`) and its inspection tools. Does nothing when they are already there.
set -euo pipefail
if pkg-config --exists lmdb && command -v mdb_stat >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liblmdb-dev lmdb-utils pkg-config >/dev/null
pkg-config --exists lmdb
