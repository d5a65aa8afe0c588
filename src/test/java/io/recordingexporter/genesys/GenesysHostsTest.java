package io.recordingexporter.genesys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GenesysHostsTest {

    @Test
    void londonRegionUsesTheEuw2Hosts() {
        GenesysHosts hosts = GenesysHosts.of("eu_west_2", "", "");
        assertEquals("https://api.euw2.pure.cloud", hosts.apiBaseUrl(), "API host of London");
        assertEquals("https://login.euw2.pure.cloud", hosts.loginBaseUrl(), "login host of London");
    }

    @Test
    void dublinIsNotLondon() {
        assertEquals("https://login.mypurecloud.ie", GenesysHosts.of("eu_west_1", null, null).loginBaseUrl());
    }

    @Test
    void overridesWinAndLoseTheirTrailingSlash() {
        GenesysHosts hosts = GenesysHosts.of("eu_west_2", "http://127.0.0.1:9000/", "http://127.0.0.1:9001");
        assertEquals("http://127.0.0.1:9000", hosts.apiBaseUrl());
        assertEquals("http://127.0.0.1:9001", hosts.loginBaseUrl());
    }

    @Test
    void unknownRegionNamesTheKnownOnes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> GenesysHosts.of("london", "", ""));
        assertTrue(error.getMessage().contains("eu_west_2"), "the message lists valid regions: " + error.getMessage());
    }
}
