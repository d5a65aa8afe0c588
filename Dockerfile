# Recording Exporter: build with Maven, run on a plain JRE.
#   docker build -t recording-exporter .
#   docker run -p 8080:8080 -p 8081:8081 -v exporter-data:/opt/recording-exporter/data recording-exporter
#   docker build --target sandbox -t recording-exporter-sandbox .       # the service plus the sandbox, for demos
#   docker run --rm recording-exporter-sandbox --sandbox --exit-when-idle
# The default (last) target is the service alone: no simulator, no S3Proxy, and --sandbox is refused there.
# Base images are arguments so a mirror or a pinned digest can be swapped in without editing this file.
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# Dependencies first: this layer is rebuilt only when pom.xml changes, not on every source edit.
# go-offline fetches the plugins; resolve adds the BOM-managed dependency versions go-offline misses.
COPY pom.xml ./
RUN mvn -B -q dependency:go-offline dependency:resolve
# Tests are not run here, so src/test is not copied; the sandbox (src/sandbox) is built beside the service.
COPY src/main/ src/main/
COPY src/sandbox/ src/sandbox/
COPY routes/ routes/
COPY config/ config/
RUN mvn -B -q package -DskipTests

FROM ${RUNTIME_IMAGE} AS runtime
# The HEALTHCHECK needs curl. The Temurin images ship it, so this is normally a no-op; other Debian/Ubuntu bases get it.
RUN if ! command -v curl >/dev/null 2>&1; then \
        apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates \
        && rm -rf /var/lib/apt/lists/*; \
    fi
# Fixed uid/gid so volume ownership is predictable across hosts and rebuilds.
RUN groupadd --gid 10001 exporter \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /opt/recording-exporter \
        --shell /usr/sbin/nologin exporter
WORKDIR /opt/recording-exporter
# lib/ changes least often, so it gets its own layer before the application jar.
COPY --from=build /build/target/lib/ lib/
COPY --from=build /build/target/recording-exporter.jar ./
# Also in the jar, but files in the working directory win: mount over these to change routes or settings.
COPY --from=build /build/routes/ routes/
COPY --from=build /build/config/ config/
# Ledger (H2), audit trail, spool and sandbox S3 all live under ./data; only this directory is writable by the app.
RUN mkdir data && chown 10001:10001 data
VOLUME /opt/recording-exporter/data
USER 10001:10001
EXPOSE 8080 8081
# Size the heap from the container's memory limit, leaving half for direct buffers (the HTTP server's and the AWS
# SDK's), metaspace and threads; die on OOM so the orchestrator restarts a clean JVM.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
# Liveness, not readiness: a Genesys or S3 outage makes the service not ready, which must not restart the container.
# Follows EXPORTER_MANAGEMENT_PORT if the management port is moved (default 8081).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://localhost:${EXPORTER_MANAGEMENT_PORT:-8081}/observe/health/live" || exit 1
ENTRYPOINT ["java", "-jar", "recording-exporter.jar"]

# The demo image: the service with the sandbox beside it (target/sandbox), which --sandbox loads.
FROM runtime AS sandbox
COPY --from=build /build/target/sandbox/ sandbox/

# The service image, the default target.
FROM runtime AS service
