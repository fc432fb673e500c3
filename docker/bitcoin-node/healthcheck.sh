#!/bin/bash
# Healthy when bitcoind answers RPC and the extractor's health endpoint says UP.
set -eu
auth=()
if [ -n "${RPC_USER:-}" ]; then
  auth=(-rpcuser="$RPC_USER" -rpcpassword="$RPC_PASSWORD")
fi
bitcoin-cli -datadir=/data -chain="$(case "${BITCOIN_NETWORK:-regtest}" in mainnet) echo main ;; *) echo "$BITCOIN_NETWORK" ;; esac)" \
  "${auth[@]}" getblockcount >/dev/null
curl -fsS "http://127.0.0.1:${MANAGEMENT_PORT:-9876}/observe/health" >/dev/null
