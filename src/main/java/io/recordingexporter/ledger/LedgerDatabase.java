package io.recordingexporter.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;

/** Opens the ledger's connection pool and brings its schema up to date before anything reads it. */
public final class LedgerDatabase {

    private static final String H2_FILE_PREFIX = "jdbc:h2:file:";

    private LedgerDatabase() {}

    public static HikariDataSource open(String url, String user, String password, int poolSize) throws Exception {
        createH2Folder(url);
        HikariConfig config = new HikariConfig();
        config.setPoolName("ledger");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(5_000);
        // a ledger that is down must not block start-up: requests fail with 503 until it is back
        config.setInitializationFailTimeout(-1);
        HikariDataSource dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }

    private static void createH2Folder(String url) throws Exception {
        if (url.startsWith(H2_FILE_PREFIX)) {
            String file = url.substring(H2_FILE_PREFIX.length()).split(";", 2)[0];
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
    }
}
