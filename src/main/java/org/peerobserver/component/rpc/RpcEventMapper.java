package org.peerobserver.component.rpc;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.peerobserver.proto.rpc.AddrManInfo;
import org.peerobserver.proto.rpc.AddrManInfoNetwork;
import org.peerobserver.proto.rpc.MemoryInfo;
import org.peerobserver.proto.rpc.MempoolInfo;
import org.peerobserver.proto.rpc.NetTotals;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.PeerInfos;
import org.peerobserver.proto.rpc.UploadTarget;

/**
 * Bitcoin Core's JSON answers to upstream's rpc messages (wire reference §3.8). A key a Core version
 * does not send gets upstream's value for "absent" (zero, false, empty); keys we do not know are
 * ignored; a key with the wrong JSON type is refused, because that is not an answer from Bitcoin Core.
 */
final class RpcEventMapper {
    private RpcEventMapper() {
    }

    static PeerInfos peerInfos(JsonNode result) throws BitcoinRpcException {
        if (!result.isArray()) {
            throw shape("getpeerinfo", "result is not an array");
        }
        PeerInfos.Builder infos = PeerInfos.newBuilder();
        int index = 0;
        for (JsonNode peer : result) {
            infos.addInfos(peerInfo(new Fields("getpeerinfo", "peer " + index++, peer)));
        }
        return infos.build();
    }

    private static PeerInfo peerInfo(Fields p) throws BitcoinRpcException {
        PeerInfo.Builder b = PeerInfo.newBuilder()
                .setId((int) p.integer("id"))
                .setAddress(p.text("addr"))
                .setAddressBind(p.text("addrbind"))
                .setAddressLocal(p.text("addrlocal"))
                .setNetwork(p.text("network"))
                .setMappedAs((int) p.integer("mapped_as"))
                .setServices(p.text("services"))
                .setRelayTransactions(p.bool("relaytxes"))
                .setLastSend(p.integer("lastsend"))
                .setLastReceived(p.integer("lastrecv"))
                .setLastTransaction(p.integer("last_transaction"))
                .setLastBlock(p.integer("last_block"))
                .setBytesSent(p.integer("bytessent"))
                .setBytesReceived(p.integer("bytesrecv"))
                .setConnectionTime(p.integer("conntime"))
                .setTimeOffset(p.integer("timeoffset"))
                .setPingTime(p.ping("pingtime"))
                .setMinimumPing(p.ping("minping"))
                .setPingWait(p.ping("pingwait"))
                .setVersion((int) p.integer("version"))
                .setSubversion(p.text("subver"))
                .setInbound(p.bool("inbound"))
                .setBip152HbTo(p.bool("bip152_hb_to"))
                .setBip152HbFrom(p.bool("bip152_hb_from"))
                .setStartingHeight(p.integer("startingheight"))
                .setSyncedHeaders(p.integer("synced_headers"))
                .setSyncedBlocks(p.integer("synced_blocks"))
                .setAddrRelayEnabled(p.bool("addr_relay_enabled"))
                .setAddrProcessed(p.integer("addr_processed"))
                .setAddrRateLimited(p.integer("addr_rate_limited"))
                .setMinfeefilter(p.decimal("minfeefilter"))
                .setConnectionType(p.text("connection_type"))
                .setTransportProtocolType(p.text("transport_protocol_type"))
                // only a patched Bitcoin Core reports these two; any other node leaves them at 0
                .setInvToSend(p.integer("inv_to_send"))
                .setCpuLoad(p.decimal("cpu_load"));
        for (JsonNode height : p.array("inflight")) {
            b.addInflight(p.integer(height, "inflight"));
        }
        for (JsonNode permission : p.array("permissions")) {
            b.addPermissions(p.text(permission, "permissions"));
        }
        for (Map.Entry<String, JsonNode> e : p.entries("bytessent_per_msg")) {
            b.putBytesSentPerMessage(e.getKey(), p.integer(e.getValue(), "bytessent_per_msg." + e.getKey()));
        }
        for (Map.Entry<String, JsonNode> e : p.entries("bytesrecv_per_msg")) {
            b.putBytesReceivedPerMessage(e.getKey(), p.integer(e.getValue(), "bytesrecv_per_msg." + e.getKey()));
        }
        return b.build();
    }

    static MempoolInfo mempoolInfo(JsonNode result) throws BitcoinRpcException {
        Fields m = new Fields("getmempoolinfo", "result", result);
        return MempoolInfo.newBuilder()
                .setLoaded(m.bool("loaded"))
                .setSize(m.integer("size"))
                .setBytes(m.integer("bytes"))
                .setUsage(m.integer("usage"))
                .setTotalFee(m.decimal("total_fee"))
                .setMaxMempool(m.integer("maxmempool"))
                .setMempoolminfee(m.decimal("mempoolminfee"))
                .setMinrelaytxfee(m.decimal("minrelaytxfee"))
                .setIncrementalrelayfee(m.decimal("incrementalrelayfee"))
                .setUnbroadcastcount(m.integer("unbroadcastcount"))
                .setFullrbf(m.bool("fullrbf"))
                .build();
    }

    static int uptime(JsonNode result) throws BitcoinRpcException {
        if (!result.canConvertToLong() || !result.isIntegralNumber() || result.asLong() < 0 || result.asLong() > 0xFFFF_FFFFL) {
            throw shape("uptime", "result is not a number of seconds: " + result);
        }
        return (int) result.asLong();
    }

    static NetTotals netTotals(JsonNode result) throws BitcoinRpcException {
        Fields n = new Fields("getnettotals", "result", result);
        Fields u = n.object("uploadtarget");
        return NetTotals.newBuilder()
                .setTotalBytesReceived(n.integer("totalbytesrecv"))
                .setTotalBytesSent(n.integer("totalbytessent"))
                .setTimeMillis(n.integer("timemillis"))
                .setUploadTarget(UploadTarget.newBuilder()
                        .setTimeframe(u.integer("timeframe"))
                        .setTarget(u.integer("target"))
                        .setTargetReached(u.bool("target_reached"))
                        .setServeHistoricalBlocks(u.bool("serve_historical_blocks"))
                        .setBytesLeftInCycle(u.integer("bytes_left_in_cycle"))
                        .setTimeLeftInCycle(u.integer("time_left_in_cycle")))
                .build();
    }

    static MemoryInfo memoryInfo(JsonNode result) throws BitcoinRpcException {
        Fields all = new Fields("getmemoryinfo", "result", result);
        if (all.get("locked") == null) {
            // upstream requires the section too: without it there is nothing to report
            throw shape("getmemoryinfo", "result has no \"locked\" section");
        }
        Fields l = all.object("locked");
        return MemoryInfo.newBuilder()
                .setUsed(l.integer("used"))
                .setFree(l.integer("free"))
                .setTotal(l.integer("total"))
                .setLocked(l.integer("locked"))
                .setChunksUsed(l.integer("chunks_used"))
                .setChunksFree(l.integer("chunks_free"))
                .build();
    }

    static AddrManInfo addrmanInfo(JsonNode result) throws BitcoinRpcException {
        Fields all = new Fields("getaddrmaninfo", "result", result);
        AddrManInfo.Builder b = AddrManInfo.newBuilder();
        for (Map.Entry<String, JsonNode> e : all.entries()) {
            Fields n = new Fields("getaddrmaninfo", e.getKey(), e.getValue());
            b.putNetworks(e.getKey(), AddrManInfoNetwork.newBuilder()
                    .setNew(n.integer("new"))
                    .setTried(n.integer("tried"))
                    .setTotal(n.integer("total"))
                    .build());
        }
        return b.build();
    }

    private static BitcoinRpcException shape(String method, String what) {
        return new BitcoinRpcException(method + ": unexpected answer: " + what, false);
    }

    /** Typed, defaulting access to one JSON object of an answer; {@code where} names it in errors. */
    private static final class Fields {
        private final String method;
        private final String where;
        private final JsonNode object;

        Fields(String method, String where, JsonNode object) throws BitcoinRpcException {
            if (!object.isObject()) {
                throw shape(method, where + " is not an object");
            }
            this.method = method;
            this.where = where;
            this.object = object;
        }

        private JsonNode get(String key) {
            JsonNode v = object.get(key);
            return v == null || v.isNull() ? null : v;
        }

        long integer(String key) throws BitcoinRpcException {
            JsonNode v = get(key);
            return v == null ? 0 : integer(v, key);
        }

        /** Integral JSON numbers; unsigned 64-bit counters above Long.MAX_VALUE keep their bits. */
        long integer(JsonNode v, String key) throws BitcoinRpcException {
            if (!v.isIntegralNumber()) {
                throw wrongType(key, "an integer", v);
            }
            return v.canConvertToLong() ? v.longValue() : v.bigIntegerValue().longValue();
        }

        double decimal(String key) throws BitcoinRpcException {
            JsonNode v = get(key);
            if (v == null) {
                return 0.0;
            }
            if (!v.isNumber()) {
                throw wrongType(key, "a number", v);
            }
            return v.doubleValue();
        }

        /** Ping times: absent until measured; a negative value (some clients' "none") counts as absent too. */
        double ping(String key) throws BitcoinRpcException {
            double seconds = decimal(key);
            return seconds < 0 ? 0.0 : seconds;
        }

        boolean bool(String key) throws BitcoinRpcException {
            JsonNode v = get(key);
            if (v == null) {
                return false;
            }
            if (!v.isBoolean()) {
                throw wrongType(key, "true or false", v);
            }
            return v.booleanValue();
        }

        String text(String key) throws BitcoinRpcException {
            JsonNode v = get(key);
            return v == null ? "" : text(v, key);
        }

        String text(JsonNode v, String key) throws BitcoinRpcException {
            if (!v.isTextual()) {
                throw wrongType(key, "a string", v);
            }
            return v.textValue();
        }

        Iterable<JsonNode> array(String key) throws BitcoinRpcException {
            JsonNode v = get(key);
            if (v == null) {
                return List.of();
            }
            if (!v.isArray()) {
                throw wrongType(key, "an array", v);
            }
            return v;
        }

        Iterable<Map.Entry<String, JsonNode>> entries(String key) throws BitcoinRpcException {
            JsonNode v = get(key);
            if (v == null) {
                return List.of();
            }
            if (!v.isObject()) {
                throw wrongType(key, "an object", v);
            }
            return v::fields;
        }

        Iterable<Map.Entry<String, JsonNode>> entries() {
            return object::fields;
        }

        /** A nested object; absent counts as empty, so all its fields take their defaults. */
        Fields object(String key) throws BitcoinRpcException {
            JsonNode v = get(key);
            return new Fields(method, where + "." + key, v == null ? BitcoinRpcClient.JSON.createObjectNode() : v);
        }

        private BitcoinRpcException wrongType(String key, String expected, JsonNode v) {
            String shown = v.toString();
            return shape(method, where + " field \"" + key + "\" is not " + expected + ": "
                    + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown));
        }
    }
}
