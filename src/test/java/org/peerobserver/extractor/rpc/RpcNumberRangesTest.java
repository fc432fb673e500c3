package org.peerobserver.extractor.rpc;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.peerobserver.proto.rpc.AddrManInfoNetwork;
import org.peerobserver.proto.rpc.MemoryInfo;
import org.peerobserver.proto.rpc.MempoolInfo;
import org.peerobserver.proto.rpc.NetTotals;
import org.peerobserver.proto.rpc.PeerInfo;
import org.peerobserver.proto.rpc.UploadTarget;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every number the mapper publishes, against the range of its protobuf field: the edges of the range
 * pass with their exact bits, one past either edge is refused and left at 0, never wrapped. The table
 * is checked against the message descriptors, so a numeric field added to the proto without a row here
 * fails the build.
 */
class RpcNumberRangesTest {
    private static final BigInteger UINT32_MAX = BigInteger.valueOf(0xFFFF_FFFFL);
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** Where a JSON key sits in an answer, and the message its value lands in. */
    private enum Place {
        PEER(PeerInfo.getDescriptor()),
        MEMPOOL(MempoolInfo.getDescriptor()),
        NET_TOTALS(NetTotals.getDescriptor()),
        UPLOAD_TARGET(UploadTarget.getDescriptor()),
        MEMORY(MemoryInfo.getDescriptor()),
        ADDRMAN(AddrManInfoNetwork.getDescriptor());

        final Descriptor descriptor;

        Place(Descriptor descriptor) {
            this.descriptor = descriptor;
        }

        Message map(String key, String value, RpcEventMapper.Refusals refusals) throws Exception {
            String field = "{\"" + key + "\":" + value + "}";
            return switch (this) {
                case PEER -> RpcEventMapper.peerInfos(json("[" + field + "]"), refusals).getInfos(0);
                case MEMPOOL -> RpcEventMapper.mempoolInfo(json(field), refusals);
                case NET_TOTALS -> RpcEventMapper.netTotals(json(field), refusals);
                case UPLOAD_TARGET -> RpcEventMapper.netTotals(json("{\"uploadtarget\":" + field + "}"), refusals).getUploadTarget();
                case MEMORY -> RpcEventMapper.memoryInfo(json("{\"locked\":" + field + "}"), refusals);
                case ADDRMAN -> RpcEventMapper.addrmanInfo(json("{\"ipv4\":" + field + "}"), refusals).getNetworksOrThrow("ipv4");
            };
        }
    }

    /** One JSON key: where it is, the protobuf field it fills, and that field's type. */
    private record Row(Place place, String key, String protoField) {
        FieldDescriptor field() {
            return place.descriptor.findFieldByName(protoField);
        }

        @Override
        public String toString() {
            return place + " " + key;
        }
    }

    private static final List<Row> ROWS = rows(
            Place.PEER, "id=id mapped_as=mapped_as version=version lastsend=last_send lastrecv=last_received"
                    + " last_transaction=last_transaction last_block=last_block bytessent=bytes_sent bytesrecv=bytes_received"
                    + " conntime=connection_time timeoffset=time_offset pingtime=ping_time minping=minimum_ping"
                    + " pingwait=ping_wait startingheight=starting_height synced_headers=synced_headers"
                    + " synced_blocks=synced_blocks addr_processed=addr_processed addr_rate_limited=addr_rate_limited"
                    + " minfeefilter=minfeefilter inv_to_send=inv_to_send cpu_load=cpu_load",
            Place.MEMPOOL, "size=size bytes=bytes usage=usage total_fee=total_fee maxmempool=max_mempool"
                    + " mempoolminfee=mempoolminfee minrelaytxfee=minrelaytxfee incrementalrelayfee=incrementalrelayfee"
                    + " unbroadcastcount=unbroadcastcount",
            Place.NET_TOTALS, "totalbytesrecv=total_bytes_received totalbytessent=total_bytes_sent timemillis=time_millis",
            Place.UPLOAD_TARGET, "timeframe=timeframe target=target bytes_left_in_cycle=bytes_left_in_cycle"
                    + " time_left_in_cycle=time_left_in_cycle",
            Place.MEMORY, "used=used free=free total=total locked=locked chunks_used=chunks_used chunks_free=chunks_free",
            Place.ADDRMAN, "new=new tried=tried total=total");

    private static List<Row> rows(Object... placesAndKeys) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < placesAndKeys.length; i += 2) {
            for (String pair : ((String) placesAndKeys[i + 1]).split(" ")) {
                String[] kv = pair.split("=");
                rows.add(new Row((Place) placesAndKeys[i], kv[0], kv[1]));
            }
        }
        return rows;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) throws Exception {
        return BitcoinRpcClient.JSON.readTree(text);
    }

    private static boolean numeric(FieldDescriptor f) {
        return !f.isRepeated() && Set.of(FieldDescriptor.Type.UINT32, FieldDescriptor.Type.INT64, FieldDescriptor.Type.UINT64,
                FieldDescriptor.Type.DOUBLE).contains(f.getType());
    }

    @Test
    void theTableHasEveryNumericFieldOfEveryMessage() {
        for (Place place : Place.values()) {
            Set<String> inProto = place.descriptor.getFields().stream().filter(RpcNumberRangesTest::numeric)
                    .map(FieldDescriptor::getName).collect(Collectors.toCollection(TreeSet::new));
            Set<String> inTable = ROWS.stream().filter(r -> r.place() == place).map(Row::protoField)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(inProto, inTable, place.name());
        }
    }

    static Stream<Row> integerRows() {
        return ROWS.stream().filter(r -> r.field().getType() != FieldDescriptor.Type.DOUBLE);
    }

    static Stream<Row> decimalRows() {
        return ROWS.stream().filter(r -> r.field().getType() == FieldDescriptor.Type.DOUBLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integerRows")
    void integersPassAtTheEdgesOfTheirRangeAndAreRefusedOnePast(Row row) throws Exception {
        BigInteger min = switch (row.field().getType()) {
            case INT64 -> INT64_MIN;
            default -> BigInteger.ZERO;
        };
        BigInteger max = switch (row.field().getType()) {
            case UINT32 -> UINT32_MAX;
            case INT64 -> INT64_MAX;
            default -> UINT64_MAX;
        };
        for (BigInteger edge : List.of(min, max)) {
            assertEquals(List.of(), refusedFor(row, edge.toString()), row + " = " + edge);
            // protobuf's Java API keeps unsigned values in the signed type of the same width: the same bits
            assertEquals(row.field().getType() == FieldDescriptor.Type.UINT32 ? (Object) edge.intValue() : (Object) edge.longValue(),
                    value(row, edge.toString()), row + " = " + edge);
        }
        for (String bad : List.of(min.subtract(BigInteger.ONE).toString(), max.add(BigInteger.ONE).toString(), "1.5", "\"7\"", "true")) {
            List<String> refused = refusedFor(row, bad);
            assertEquals(1, refused.size(), row + " = " + bad);
            assertEquals(row.key(), refused.get(0), row + " = " + bad);
            assertEquals(0L, ((Number) value(row, bad)).longValue(), row + " = " + bad + " is left at 0, not wrapped");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decimalRows")
    void decimalsMustBeFiniteNumbers(Row row) throws Exception {
        assertEquals(0.00001234, value(row, "0.00001234"));
        for (String bad : List.of("1e400", "-1e400", "\"0.1\"", "false")) {
            assertEquals(List.of(row.key()), refusedFor(row, bad), row + " = " + bad);
            assertEquals(0.0, value(row, bad), row + " = " + bad);
        }
    }

    @Test
    void repeatedAndMapValuesAreCheckedOneByOne() throws Exception {
        List<String> refused = new ArrayList<>();
        PeerInfo p = RpcEventMapper.peerInfos(json("[{\"inflight\":[1,-1,18446744073709551615,18446744073709551616],"
                + "\"bytessent_per_msg\":{\"tx\":-3,\"inv\":61},\"bytesrecv_per_msg\":{\"block\":1e30,\"ping\":8}}]"),
                (method, field, why) -> refused.add(field)).getInfos(0);
        assertEquals(List.of(1L, -1L), p.getInflightList());  // the second is 2^64-1, as bits
        assertEquals(Map.of("inv", 61L), p.getBytesSentPerMessageMap());
        assertEquals(Map.of("ping", 8L), p.getBytesReceivedPerMessageMap());
        assertEquals(List.of("inflight", "inflight", "bytessent_per_msg", "bytesrecv_per_msg"), refused);
    }

    private static List<String> refusedFor(Row row, String value) throws Exception {
        List<String> refused = new ArrayList<>();
        row.place().map(row.key(), value, (method, field, why) -> refused.add(field));
        return refused.stream().map(f -> f.substring(f.lastIndexOf('.') + 1)).toList();
    }

    private static Object value(Row row, String json) throws Exception {
        return row.place().map(row.key(), json, (method, field, why) -> { }).getField(row.field());
    }
}
