#!/bin/sh
# Builds bitcoind and bitcoin-cli with USDT tracepoints into <prefix>/bin, from source verified by a hash.
# usage: build-core.sh <source> <hash> <prefix>
#   a release tarball's URL and its SHA-256, or
#   a git repository and tag, <url>#<tag>, and the commit that tag must name (a FIBRE fork)
# Bitcoin Core v29+ builds with CMake (-DWITH_USDT=ON). FIBRE forks still use autotools
# (--enable-usdt); their wallet needs Berkeley DB, so it is left out there.
set -eu
source=$1 hash=$2 prefix=$3
src=/usr/local/src/bitcoin
case "$source" in
  *'#'*)
    git clone --depth 1 --branch "${source#*#}" "${source%%#*}" "$src"
    commit=$(git -C "$src" rev-parse HEAD)
    [ "$commit" = "$hash" ] || { echo "${source#*#} is commit $commit, not $hash" >&2; exit 1; }
    ;;
  *)
    curl -fsSL -o /tmp/bitcoin.tar.gz "$source"
    echo "$hash  /tmp/bitcoin.tar.gz" | sha256sum -c - >/dev/null \
      || { echo "$source does not have SHA-256 $hash" >&2; exit 1; }
    mkdir -p "$src"
    tar -xzf /tmp/bitcoin.tar.gz -C "$src" --strip-components=1
    rm /tmp/bitcoin.tar.gz
    ;;
esac
cd "$src"
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
