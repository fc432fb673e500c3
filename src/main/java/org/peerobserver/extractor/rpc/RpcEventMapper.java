package org.peerobserver.extractor.rpc;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.peerobserver.proto.rpc.AddrManInfo;
import org.peerobserver.proto.rpc.AddrManInfoNetwork;
import org.peerobserver.proto.rpc.MemoryInfo;
import org.peerobserver.proto.rpc.MempoolInfo;
import org.peerobserver.proto.rpc.NetTotals;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.PeerInfos;
import org.peerobserver.proto.rpc.UploadTarget;
import org.peerobserver.support.SafeText;

/**
 * Bitcoin Core's JSON answers to upstream's rpc messages (wire reference §3.8). A key a Core version
 * does not send gets upstream's value for "absent" (zero, false, empty); keys we do not know are
 * ignored. A value of the wrong JSON type, or a number outside its protobuf field's range (a negative
 * count, a counter past 2^64), is not an answer Bitcoin Core gives: that field alone is refused (told to
 * {@link Refusals}) and left absent, never wrapped into another number; the rest of the answer is published.
 */
final class RpcEventMapper {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    /** Where refused fields are told: {@code field} is the key's path without node-chosen names. */
    interface Refusals {
        void refused(String method, String field, String why);
    }

    private RpcEventMapper() {
    }

    static PeerInfos peerInfos(JsonNode result, Refusals refusals) throws BitcoinRpcException {
        if (!result.isArray()) {
            throw shape("getpeerinfo", "result is not an array");
        }
        PeerInfos.Builder infos = PeerInfos.newBuilder();
        int index = 0;
        for (JsonNode peer : result) {
            infos.addInfos(peerInfo(new Fields("getpeerinfo", "peer " + index++, "", peer, refusals)));
        }
        return infos.build();
    }

    private static PeerInfo peerInfo(Fields p) {
        PeerInfo.Builder b = PeerInfo.newBuilder()
                .setId(p.uint32("id"))
                .setAddress(p.text("addr"))
                .setAddressBind(p.text("addrbind"))
                .setAddressLocal(p.text("addrlocal"))
                .setNetwork(p.text("network"))
                .setMappedAs(p.uint32("mapped_as"))
                .setServices(p.text("services"))
                .setRelayTransactions(p.bool("relaytxes"))
                .setLastSend(p.int64("lastsend"))
                .setLastReceived(p.int64("lastrecv"))
                .setLastTransaction(p.int64("last_transaction"))
                .setLastBlock(p.int64("last_block"))
                .setBytesSent(p.uint64("bytessent"))
                .setBytesReceived(p.uint64("bytesrecv"))
                .setConnectionTime(p.int64("conntime"))
                .setTimeOffset(p.int64("timeoffset"))
                .setPingTime(p.ping("pingtime"))
                .setMinimumPing(p.ping("minping"))
                .setPingWait(p.ping("pingwait"))
                .setVersion(p.uint32("version"))
                .setSubversion(p.text("subver"))
                .setInbound(p.bool("inbound"))
                .setBip152HbTo(p.bool("bip152_hb_to"))
                .setBip152HbFrom(p.bool("bip152_hb_from"))
                .setStartingHeight(p.int64("startingheight"))
                .setSyncedHeaders(p.int64("synced_headers"))
                .setSyncedBlocks(p.int64("synced_blocks"))
                .setAddrRelayEnabled(p.bool("addr_relay_enabled"))
                .setAddrProcessed(p.uint64("addr_processed"))
                .setAddrRateLimited(p.uint64("addr_rate_limited"))
                .setMinfeefilter(p.decimal("minfeefilter"))
                .setConnectionType(p.text("connection_type"))
                .setTransportProtocolType(p.text("transport_protocol_type"))
                // only a patched Bitcoin Core reports these two; any other node leaves them at 0
                .setInvToSend(p.uint64("inv_to_send"))
                .setCpuLoad(p.decimal("cpu_load"));
        for (JsonNode height : p.array("inflight")) {
            p.uint64(height, "inflight").ifPresent(b::addInflight);
        }
        for (JsonNode permission : p.array("permissions")) {
            p.text(permission, "permissions").ifPresent(b::addPermissions);
        }
        for (Map.Entry<String, JsonNode> e : p.entries("bytessent_per_msg")) {
            p.uint64(e.getValue(), "bytessent_per_msg").ifPresent(v -> b.putBytesSentPerMessage(e.getKey(), v));
        }
        for (Map.Entry<String, JsonNode> e : p.entries("bytesrecv_per_msg")) {
            p.uint64(e.getValue(), "bytesrecv_per_msg").ifPresent(v -> b.putBytesReceivedPerMessage(e.getKey(), v));
        }
        return b.build();
    }

    static MempoolInfo mempoolInfo(JsonNode result, Refusals refusals) throws BitcoinRpcException {
        Fields m = new Fields("getmempoolinfo", "result", "", result, refusals);
        return MempoolInfo.newBuilder()
                .setLoaded(m.bool("loaded"))
                .setSize(m.int64("size"))
                .setBytes(m.int64("bytes"))
                .setUsage(m.int64("usage"))
                .setTotalFee(m.decimal("total_fee"))
                .setMaxMempool(m.int64("maxmempool"))
                .setMempoolminfee(m.decimal("mempoolminfee"))
                .setMinrelaytxfee(m.decimal("minrelaytxfee"))
                .setIncrementalrelayfee(m.decimal("incrementalrelayfee"))
                .setUnbroadcastcount(m.int64("unbroadcastcount"))
                .setFullrbf(m.bool("fullrbf"))
                .build();
    }

    /** The whole answer is the one field: a refused value leaves nothing to publish. */
    static int uptime(JsonNode result, Refusals refusals) throws BitcoinRpcException {
        Optional<Long> seconds = Fields.integer("uptime", "result", "uptime", result, BigInteger.ZERO,
                BigInteger.valueOf(UINT32_MAX), "an unsigned 32-bit integer", refusals);
        if (seconds.isEmpty()) {
            throw shape("uptime", "result is not a number of seconds: " + SafeText.of(result.toString(), 40));
        }
        return (int) (long) seconds.get();
    }

    static NetTotals netTotals(JsonNode result, Refusals refusals) throws BitcoinRpcException {
        Fields n = new Fields("getnettotals", "result", "", result, refusals);
        Fields u = n.object("uploadtarget");
        return NetTotals.newBuilder()
                .setTotalBytesReceived(n.uint64("totalbytesrecv"))
                .setTotalBytesSent(n.uint64("totalbytessent"))
                .setTimeMillis(n.uint64("timemillis"))
                .setUploadTarget(UploadTarget.newBuilder()
                        .setTimeframe(u.uint64("timeframe"))
                        .setTarget(u.uint64("target"))
                        .setTargetReached(u.bool("target_reached"))
                        .setServeHistoricalBlocks(u.bool("serve_historical_blocks"))
                        .setBytesLeftInCycle(u.uint64("bytes_left_in_cycle"))
                        .setTimeLeftInCycle(u.uint64("time_left_in_cycle")))
                .build();
    }

    static MemoryInfo memoryInfo(JsonNode result, Refusals refusals) throws BitcoinRpcException {
        Fields all = new Fields("getmemoryinfo", "result", "", result, refusals);
        if (all.get("locked") == null) {
            // upstream requires the section too: without it there is nothing to report
            throw shape("getmemoryinfo", "result has no \"locked\" section");
        }
        Fields l = all.object("locked");
        return MemoryInfo.newBuilder()
                .setUsed(l.uint64("used"))
                .setFree(l.uint64("free"))
                .setTotal(l.uint64("total"))
                .setLocked(l.uint64("locked"))
                .setChunksUsed(l.uint64("chunks_used"))
                .setChunksFree(l.uint64("chunks_free"))
                .build();
    }

    static AddrManInfo addrmanInfo(JsonNode result, Refusals refusals) throws BitcoinRpcException {
        Fields all = new Fields("getaddrmaninfo", "result", "", result, refusals);
        AddrManInfo.Builder b = AddrManInfo.newBuilder();
        for (Map.Entry<String, JsonNode> e : all.entries()) {
            if (!e.getValue().isObject()) {
                refusals.refused("getaddrmaninfo", "network", "network " + SafeText.of(e.getKey(), 40) + " is not an object");
                continue;
            }
            // the network's name is the node's to choose: it stays out of the field path
            Fields n = new Fields("getaddrmaninfo", SafeText.of(e.getKey(), 40), "", e.getValue(), refusals);
            b.putNetworks(e.getKey(), AddrManInfoNetwork.newBuilder()
                    .setNew(n.uint64("new"))
                    .setTried(n.uint64("tried"))
                    .setTotal(n.uint64("total"))
                    .build());
        }
        return b.build();
    }

    private static BitcoinRpcException shape(String method, String what) {
        return new BitcoinRpcException(method + ": unexpected answer: " + what, false);
    }

    /**
     * Typed, defaulting access to one JSON object of an answer: {@code where} names it in messages,
     * {@code path} prefixes its keys in the field names told to {@link Refusals}.
     */
    private static final class Fields {
        private final String method;
        private final String where;
        private final String path;
        private final JsonNode object;
        private final Refusals refusals;

        Fields(String method, String where, String path, JsonNode object, Refusals refusals) throws BitcoinRpcException {
            if (!object.isObject()) {
                throw shape(method, where + " is not an object");
            }
            this.method = method;
            this.where = where;
            this.path = path;
            this.object = object;
            this.refusals = refusals;
        }

        private JsonNode get(String key) {
            JsonNode v = object.get(key);
            return v == null || v.isNull() ? null : v;
        }

        int uint32(String key) {
            JsonNode v = get(key);
            return v == null ? 0 : integer(method, where, path + key, v, BigInteger.ZERO, BigInteger.valueOf(UINT32_MAX),
                    "an unsigned 32-bit integer", refusals).orElse(0L).intValue();
        }

        long int64(String key) {
            JsonNode v = get(key);
            return v == null ? 0 : integer(method, where, path + key, v, BigInteger.valueOf(Long.MIN_VALUE),
                    BigInteger.valueOf(Long.MAX_VALUE), "a signed 64-bit integer", refusals).orElse(0L);
        }

        long uint64(String key) {
            JsonNode v = get(key);
            return v == null ? 0 : uint64(v, key).orElse(0L);
        }

        /** Unsigned 64-bit values above Long.MAX_VALUE keep their bits, as protobuf's Java API holds uint64. */
        Optional<Long> uint64(JsonNode v, String key) {
            return integer(method, where, path + key, v, BigInteger.ZERO, UINT64_MAX, "an unsigned 64-bit integer", refusals);
        }

        /** An integral JSON number within [min, max], else refused. */
        static Optional<Long> integer(String method, String where, String field, JsonNode v, BigInteger min, BigInteger max,
                String expected, Refusals refusals) {
            if (!v.isIntegralNumber()) {
                refuse(method, where, field, expected, v, refusals);
                return Optional.empty();
            }
            if (v.canConvertToLong()) {
                long value = v.longValue();
                if (BigInteger.valueOf(value).compareTo(min) >= 0 && BigInteger.valueOf(value).compareTo(max) <= 0) {
                    return Optional.of(value);
                }
            } else if (v.bigIntegerValue().compareTo(min) >= 0 && v.bigIntegerValue().compareTo(max) <= 0) {
                return Optional.of(v.bigIntegerValue().longValue());
            }
            refuse(method, where, field, expected, v, refusals);
            return Optional.empty();
        }

        double decimal(String key) {
            JsonNode v = get(key);
            if (v == null) {
                return 0.0;
            }
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                refuse(method, where, path + key, "a finite number", v, refusals);
                return 0.0;
            }
            return v.doubleValue();
        }

        /** Ping times: absent until measured; a negative value (some clients' "none") counts as absent too. */
        double ping(String key) {
            double seconds = decimal(key);
            return seconds < 0 ? 0.0 : seconds;
        }

        boolean bool(String key) {
            JsonNode v = get(key);
            if (v == null) {
                return false;
            }
            if (!v.isBoolean()) {
                refuse(method, where, path + key, "true or false", v, refusals);
                return false;
            }
            return v.booleanValue();
        }

        String text(String key) {
            JsonNode v = get(key);
            return v == null ? "" : text(v, key).orElse("");
        }

        Optional<String> text(JsonNode v, String key) {
            if (!v.isTextual()) {
                refuse(method, where, path + key, "a string", v, refusals);
                return Optional.empty();
            }
            return Optional.of(v.textValue());
        }

        Iterable<JsonNode> array(String key) {
            JsonNode v = get(key);
            if (v == null) {
                return List.of();
            }
            if (!v.isArray()) {
                refuse(method, where, path + key, "an array", v, refusals);
                return List.of();
            }
            return v;
        }

        Iterable<Map.Entry<String, JsonNode>> entries(String key) {
            JsonNode v = get(key);
            if (v == null) {
                return List.of();
            }
            if (!v.isObject()) {
                refuse(method, where, path + key, "an object", v, refusals);
                return List.of();
            }
            return v::fields;
        }

        Iterable<Map.Entry<String, JsonNode>> entries() {
            return object::fields;
        }

        /** A nested object; absent (or refused) counts as empty, so all its fields take their defaults. */
        Fields object(String key) throws BitcoinRpcException {
            JsonNode v = get(key);
            if (v != null && !v.isObject()) {
                refuse(method, where, path + key, "an object", v, refusals);
                v = null;
            }
            return new Fields(method, where + "." + key, path + key + ".", v == null ? BitcoinRpcClient.JSON.createObjectNode() : v,
                    refusals);
        }

        private static void refuse(String method, String where, String field, String expected, JsonNode v, Refusals refusals) {
            refusals.refused(method, field, where + " field \"" + field + "\" is not " + expected + ": "
                    + SafeText.of(v.toString(), 40));
        }
    }
}
