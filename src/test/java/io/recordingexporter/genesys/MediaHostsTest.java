package io.recordingexporter.genesys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The media allow-list and the address rules, on URIs and addresses alone: nothing here resolves or connects. */
class MediaHostsTest {

    private static InetAddress ip(int... bytes) throws Exception {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        return InetAddress.getByAddress(raw);
    }

    private static InetAddress v6(String literal) throws Exception {
        return InetAddress.getByName(literal); // a literal: no name server is asked
    }

    @Test
    void privateLoopbackLinkLocalAndOtherInternalAddressesAreRestricted() throws Exception {
        for (InetAddress internal : List.of(ip(10, 1, 2, 3), ip(172, 16, 0, 9), ip(172, 31, 255, 1), ip(192, 168, 1, 1),
                ip(127, 0, 0, 1), ip(127, 0, 0, 2), ip(169, 254, 169, 254), ip(0, 0, 0, 0), ip(100, 64, 0, 1),
                ip(224, 0, 0, 1), ip(255, 255, 255, 255), v6("::1"), v6("fe80::1"), v6("fd00:ec2::254"), v6("::"),
                v6("::ffff:169.254.169.254"), v6("::ffff:10.0.0.1"))) {
            assertTrue(MediaHosts.restricted(internal), internal + " must not be reachable from a media link");
        }
        for (InetAddress public_ : List.of(ip(52, 95, 148, 10), ip(8, 8, 8, 8), ip(172, 32, 0, 1), ip(100, 128, 0, 1),
                v6("2600:1f18::1"))) {
            assertFalse(MediaHosts.restricted(public_), public_ + " is a public address");
        }
    }

    @Test
    void theDefaultListIsTheRegionsGenesysHostsAndAmazonS3() {
        assertEquals(List.of("api.euw2.pure.cloud", "*.euw2.pure.cloud", "*.amazonaws.com"),
                MediaHosts.defaults("eu_west_2"));
        MediaHosts london = MediaHosts.of("", "eu_west_2");
        assertNull(london.refusal(URI.create("https://prod-euw2-recordings.s3.eu-west-2.amazonaws.com/a/b?X-Amz-Signature=1")));
        assertNull(london.refusal(URI.create("https://api.euw2.pure.cloud/api/v2/downloads/abc")));
        assertNotNull(london.refusal(URI.create("https://amazonaws.com.attacker.example/x")), "a look-alike host");
        assertNotNull(london.refusal(URI.create("https://evilamazonaws.com/x")), "a suffix without its dot");
        assertNotNull(london.refusal(URI.create("https://api.mypurecloud.com/x")), "another region's host");
        assertNotNull(london.refusal(URI.create("http://bucket.s3.amazonaws.com/x")), "plain http");
        assertNotNull(london.refusal(URI.create("file:///etc/passwd")), "not http at all");
        assertNotNull(london.refusal(URI.create("https://169.254.169.254/latest/meta-data/")), "not on the list");
    }

    @Test
    void aListedHostResolvingInsideIsRefusedUnlessItIsNamedItself() throws Exception {
        MediaHosts london = MediaHosts.of("", "eu_west_2");
        assertNotNull(london.refusal("rebound.s3.amazonaws.com", new InetAddress[] {ip(169, 254, 169, 254)}),
                "a wildcard does not vouch for an internal address");
        assertNull(london.refusal("bucket.s3.amazonaws.com", new InetAddress[] {ip(52, 95, 148, 10)}));
        MediaHosts named = MediaHosts.of("media.internal.example,*.amazonaws.com", "eu_west_2");
        assertNull(named.refusal("media.internal.example", new InetAddress[] {ip(10, 0, 0, 7)}),
                "a host the operator named may be internal");
    }

    @Test
    void loopbackNamedExplicitlyAllowsHttpForTestsAndStandIns() {
        MediaHosts local = MediaHosts.of("127.0.0.1", "eu_west_2");
        assertNull(local.refusal(URI.create("http://127.0.0.1:8089/media/x")));
        assertNotNull(local.refusal(URI.create("http://127.0.0.2:8089/media/x")), "127.0.0.2 is not named");
        assertNull(local.refusal(URI.create("http://localhost:8089/media/x")), "localhost is loopback by definition");
        assertNotNull(MediaHosts.of("*.example.com", "eu_west_2").refusal(URI.create("http://localhost:8089/x")),
                "but only where a loopback address is named");
        assertNotNull(local.refusal(URI.create("https://bucket.s3.amazonaws.com/x")), "only what the list names");
        assertNotNull(MediaHosts.of("*.example.com", "eu_west_2").refusal(URI.create("http://a.example.com/x")),
                "http only to a named loopback address");
    }

    @Test
    void entriesThatAreNotHostsAreRefusedAtStart() {
        for (String bad : List.of("https://bucket.s3.amazonaws.com", "host:443", "*", "a*.example.com", " , ")) {
            assertThrows(IllegalArgumentException.class, () -> MediaHosts.of(bad, "eu_west_2"), bad);
        }
    }
}
