#!/bin/bash
# Runs bitcoind (as user bitcoin) and the extractor (`peer-observer "$@"`, as root: BPF) side by side,
# and stops both when either ends. BITCOIN_NETWORK and EXTRACTOR_TYPE choose the rest; extra
# bitcoind options go in BITCOIND_ARGS.
set -euo pipefail

network=${BITCOIN_NETWORK:-regtest}
datadir=/data
case "$network" in
  mainnet) chain=main;    subdir=;          rpc=8332;  p2p_network=mainnet ;;
  signet)  chain=signet;  subdir=signet/;   rpc=38332; p2p_network=signet ;;
  regtest) chain=regtest; subdir=regtest/;  rpc=18443; p2p_network=regtest ;;
  testnet4) chain=testnet4; subdir=testnet4/; rpc=48332; p2p_network=testnet4 ;;
  *) echo "bitcoin-node: BITCOIN_NETWORK must be mainnet, signet, testnet4 or regtest, not '$network'" >&2; exit 2 ;;
esac

args=(-datadir="$datadir" -chain="$chain" -server -printtoconsole=0 -debuglogfile="$datadir/${subdir}debug.log"
      -rpcport="$rpc" -rpcbind=0.0.0.0 -rpcallowip=0.0.0.0/0)
# RPC answers on the compose network and where compose publishes it (127.0.0.1 by default); with the
# cookie (no RPC_USER) only processes in this container can authenticate
if [ -n "${RPC_USER:-}" ]; then
  args+=(-rpcuser="$RPC_USER" -rpcpassword="${RPC_PASSWORD:?RPC_PASSWORD must be set with RPC_USER}")
fi
# the p2p extractor is a peer bitcoind dials; the others need nothing from bitcoind's side
if [[ ",${EXTRACTOR_TYPE:-ebpf}," == *,p2p,* ]]; then
  args+=(-addnode="127.0.0.1:${P2P_EXTRACTOR_PORT:-8555}")
fi
# shellcheck disable=SC2206
args+=(${BITCOIND_ARGS:-})

# what each extractor needs to find this node, unless the environment says otherwise
export BITCOIN_NETWORK="$network" RPC_PORT="${RPC_PORT:-$rpc}" BITCOIN_DATADIR="$datadir"
export P2P_NETWORK="${P2P_NETWORK:-$p2p_network}"
export BITCOIN_DEBUG_LOG="${BITCOIN_DEBUG_LOG:-$datadir/${subdir}debug.log}"
export BITCOIND_PATH=/usr/local/bin/bitcoind

chown bitcoin "$datadir"
setpriv --reuid=bitcoin --regid=bitcoin --init-groups bitcoind "${args[@]}" &
node=$!
peer-observer "$@" &
extractor=$!
trap 'kill -TERM "$node" "$extractor" 2>/dev/null' TERM INT
# whichever ends first takes the other with it, so the container restarts as a whole
set +e
wait -n "$node" "$extractor"
status=$?
kill -TERM "$node" "$extractor" 2>/dev/null
wait
exit "$status"
