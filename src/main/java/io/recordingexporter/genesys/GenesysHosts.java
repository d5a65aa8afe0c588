package io.recordingexporter.genesys;

import com.mypurecloud.sdk.v2.PureCloudRegionHosts;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The API and login base URLs of a Genesys Cloud region, or the overrides a deployer (or the sandbox) sets. The login
 * host is the API host with {@code api.} replaced by {@code login.}, as Genesys names them.
 */
public record GenesysHosts(String apiBaseUrl, String loginBaseUrl) {

    public static GenesysHosts of(String region, String apiOverride, String loginOverride) {
        String api = isSet(apiOverride) ? apiOverride : regionHost(region).getApiHost();
        String login = isSet(loginOverride) ? loginOverride : loginHostOf(regionHost(region).getApiHost());
        return new GenesysHosts(stripSlash(api), stripSlash(login));
    }

    static String loginHostOf(String apiHost) {
        int scheme = apiHost.indexOf("://");
        String host = apiHost.substring(scheme + 3);
        return apiHost.substring(0, scheme + 3) + "login." + host.substring(host.indexOf('.') + 1);
    }

    private static PureCloudRegionHosts regionHost(String region) {
        try {
            return PureCloudRegionHosts.valueOf(region.trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            String known = Arrays.stream(PureCloudRegionHosts.values()).map(Enum::name).collect(Collectors.joining(", "));
            throw new IllegalArgumentException("GENESYS_REGION '" + region + "' is not a Genesys Cloud region; one of: " + known);
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
