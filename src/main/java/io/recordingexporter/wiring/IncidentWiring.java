package io.recordingexporter.wiring;

import io.recordingexporter.incident.IncidentOutbox;
import io.recordingexporter.incident.ServiceNowCredentials;
import io.recordingexporter.ledger.IncidentQueue;
import io.recordingexporter.resilience.RetryPolicy;
import io.recordingexporter.settings.ServiceNowSettings;
import java.time.Clock;
import java.util.function.LongUnaryOperator;
import org.apache.camel.spi.Registry;

/** Incidents: the outbox of failed recordings told to ServiceNow's Table API, retried until delivered. */
public final class IncidentWiring {

    private IncidentWiring() {}

    public static void open(ServiceNowSettings settings, IncidentQueue incidents, LongUnaryOperator draw, Clock clock,
            Registry registry) {
        ServiceNowCredentials credentials = new ServiceNowCredentials(settings.instanceUrl(), settings.username(),
                settings.password(), settings.clientId(), settings.clientSecret(), ServiceNowCredentials.REQUEST_TIMEOUT,
                clock);
        registry.bind("incidentOutbox", new IncidentOutbox(incidents, settings.instanceUrl(), credentials,
                settings.assignmentGroup(), new RetryPolicy(settings.retryBaseDelay(), settings.retryMaxDelay()), clock,
                draw));
    }
}
