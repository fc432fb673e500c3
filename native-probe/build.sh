#!/bin/sh
# Called by the Maven build: builds native-probe when its tools are installed. Without them the
# build still succeeds, and the bitcoin-ebpf component says at start that the BPF object is missing.
# usage: build.sh <dir for probes.bpf.o> <dir for usdt-target>
cd "$(dirname "$0")" || exit 1
for tool in clang llvm-strip make cc; do
  if ! command -v "$tool" >/dev/null; then
    echo "native-probe: $tool not found, BPF programs not built (bitcoin-ebpf will not start)" >&2
    exit 0
  fi
done
for header in bpf/usdt.bpf.h sys/sdt.h; do
  if ! echo "#include <$header>" | cc -E - >/dev/null 2>&1; then
    echo "native-probe: <$header> not found (libbpf-dev, systemtap-sdt-dev), BPF programs not built" >&2
    exit 0
  fi
done
exec make -s OBJ_DIR="$1" BIN_DIR="$2"
