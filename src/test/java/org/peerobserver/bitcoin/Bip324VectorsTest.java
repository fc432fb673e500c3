package org.peerobserver.bitcoin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every test vector BIP324 publishes (src/test/resources/bip324, BSD-3-Clause, see its README). */
class Bip324VectorsTest {

    static List<Map<String, String>> rows(String name) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                Bip324VectorsTest.class.getResourceAsStream("/bip324/" + name), StandardCharsets.US_ASCII))) {
            String[] header = r.readLine().split(",", -1);
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] cells = line.split(",", -1);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], i < cells.length ? cells[i] : "");
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static byte[] hex(String s) {
        return Hashes.fromHex(s);
    }

    @Test
    void ellswiftDecode() throws IOException {
        List<Map<String, String>> rows = rows("ellswift_decode_test_vectors.csv");
        assertEquals(76, rows.size());
        for (Map<String, String> row : rows) {
            assertEquals(row.get("x"), Hashes.hex(ElligatorSwift.decode(hex(row.get("ellswift")))), row.get("comment"));
        }
    }

    @Test
    void xswiftecInverse() throws IOException {
        List<Map<String, String>> rows = rows("xswiftec_inv_test_vectors.csv");
        assertEquals(32, rows.size());
        int found = 0;
        for (Map<String, String> row : rows) {
            byte[] u = hex(row.get("u"));
            byte[] x = hex(row.get("x"));
            for (int c = 0; c < 8; c++) {
                String expected = row.get("case" + c + "_t");
                byte[] t = ElligatorSwift.inverse(x, u, c);
                if (expected.isEmpty()) {
                    assertNull(t, row.get("comment") + " case " + c);
                } else {
                    assertEquals(expected, Hashes.hex(t), row.get("comment") + " case " + c);
                    byte[] encoded = new byte[64];
                    System.arraycopy(u, 0, encoded, 0, 32);
                    System.arraycopy(t, 0, encoded, 32, 32);
                    assertArrayEquals(x, ElligatorSwift.decode(encoded));
                    found++;
                }
            }
        }
        // the file has 98 non-empty t cells: each was checked above
        assertEquals(98, found);
    }

    @Test
    void packetEncoding() throws IOException {
        List<Map<String, String>> rows = rows("packet_encoding_test_vectors.csv");
        assertEquals(7, rows.size());
        for (Map<String, String> row : rows) {
            String idx = row.get("in_idx");
            byte[] secret = hex(row.get("in_priv_ours"));
            byte[] ours = hex(row.get("in_ellswift_ours"));
            byte[] theirs = hex(row.get("in_ellswift_theirs"));
            boolean initiating = row.get("in_initiating").equals("1");
            assertEquals(row.get("mid_x_ours"), Hashes.hex(ElligatorSwift.publicXBytes(secret)), idx);
            assertEquals(row.get("mid_x_ours"), Hashes.hex(ElligatorSwift.decode(ours)), idx);
            assertEquals(row.get("mid_x_theirs"), Hashes.hex(ElligatorSwift.decode(theirs)), idx);
            assertEquals(row.get("mid_x_shared"), Hashes.hex(ElligatorSwift.ecdhX(theirs, secret)), idx);
            Bip324Cipher cipher = new Bip324Cipher(new ElligatorSwift.KeyPair(secret, ours), theirs, initiating, BitcoinNetwork.MAINNET);
            assertEquals(row.get("mid_shared_secret"), Hashes.hex(cipher.sharedSecret()), idx);
            assertEquals(row.get("mid_initiator_l"), Hashes.hex(cipher.keys()[0]), idx);
            assertEquals(row.get("mid_initiator_p"), Hashes.hex(cipher.keys()[1]), idx);
            assertEquals(row.get("mid_responder_l"), Hashes.hex(cipher.keys()[2]), idx);
            assertEquals(row.get("mid_responder_p"), Hashes.hex(cipher.keys()[3]), idx);
            assertEquals(row.get("mid_send_garbage_terminator"), Hashes.hex(cipher.sendTerminator()), idx);
            assertEquals(row.get("mid_recv_garbage_terminator"), Hashes.hex(cipher.receiveTerminator()), idx);
            assertEquals(row.get("out_session_id"), Hashes.hex(cipher.sessionId()), idx);
            for (int i = 0; i < Integer.parseInt(idx); i++) {
                cipher.encrypt(new byte[0], 0, 0, new byte[0], false);
            }
            byte[] once = hex(row.get("in_contents"));
            int times = Integer.parseInt(row.get("in_multiply"));
            byte[] contents = new byte[once.length * times];
            for (int i = 0; i < times; i++) {
                System.arraycopy(once, 0, contents, i * once.length, once.length);
            }
            String out = Hashes.hex(cipher.encrypt(contents, 0, contents.length, hex(row.get("in_aad")), row.get("in_ignore").equals("1")));
            if (!row.get("out_ciphertext").isEmpty()) {
                assertEquals(row.get("out_ciphertext"), out, idx);
            }
            if (!row.get("out_ciphertext_endswith").isEmpty()) {
                assertTrue(out.endsWith(row.get("out_ciphertext_endswith")), idx);
            }
        }
    }
}
