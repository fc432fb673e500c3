package org.peerobserver.support.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HttpLimitsTest {
    @Test
    void limitsThatCannotWorkNameTheirSetting() {
        HttpLimits limits = new HttpLimits();
        assertEquals("HTTP_HEADER_TIMEOUT must be 1 to 3600 seconds, not 0",
                assertThrows(IllegalArgumentException.class, () -> limits.setHeaderTimeout(0)).getMessage());
        assertEquals("HTTP_IDLE_TIMEOUT must be 1 to 3600 seconds, not 86400",
                assertThrows(IllegalArgumentException.class, () -> limits.setIdleTimeout(86400)).getMessage());
        assertEquals("HTTP_MAX_CONNECTIONS must be 1 to 100000 connections, not -1",
                assertThrows(IllegalArgumentException.class, () -> limits.setMaxConnections(-1)).getMessage());
        assertEquals(10, limits.getHeaderTimeout());
        assertEquals(30, limits.getIdleTimeout());
        assertEquals(512, limits.getMaxConnections());
    }
}
