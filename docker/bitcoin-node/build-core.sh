#!/bin/sh
# Builds bitcoind and bitcoin-cli with USDT tracepoints from a git tag into <prefix>/bin.
# usage: build-core.sh <repository> <tag> <prefix>
# Bitcoin Core v29+ builds with CMake (-DWITH_USDT=ON). FIBRE forks still use autotools
# (--enable-usdt); their wallet needs Berkeley DB, so it is left out there.
set -eu
repository=$1 tag=$2 prefix=$3
git clone --depth 1 --branch "$tag" "$repository" /usr/local/src/bitcoin
cd /usr/local/src/bitcoin
jobs=$(nproc)
if [ -f CMakeLists.txt ]; then
  cmake -B build -DWITH_USDT=ON -DBUILD_TESTS=OFF -DBUILD_BENCH=OFF -DBUILD_FUZZ_BINARY=OFF \
    -DBUILD_GUI=OFF -DENABLE_IPC=OFF -DCMAKE_BUILD_TYPE=Release
  cmake --build build -j "$jobs" --target bitcoind bitcoin-cli
  mkdir -p "$prefix/bin"
  cp build/bin/bitcoind build/bin/bitcoin-cli "$prefix/bin/"
else
  ./autogen.sh
  ./configure --prefix="$prefix" --enable-usdt --disable-wallet --disable-tests --disable-bench \
    --without-gui --without-miniupnpc --without-natpmp
  make -j "$jobs" src/bitcoind src/bitcoin-cli
  mkdir -p "$prefix/bin"
  cp src/bitcoind src/bitcoin-cli "$prefix/bin/"
fi
# a bitcoind without tracepoints would leave the ebpf extractor with nothing to attach to
readelf -n "$prefix/bin/bitcoind" | grep -q 'stapsdt' || { echo "bitcoind has no USDT tracepoints" >&2; exit 1; }
