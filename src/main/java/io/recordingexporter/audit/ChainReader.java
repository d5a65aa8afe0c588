package io.recordingexporter.audit;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** The lines of one audit chain in order, wherever it is kept: a trail's files, or the ledger's copy. */
public interface ChainReader extends Closeable {

    /** The next line; null after the last. */
    String readLine() throws IOException;

    /** The lines of {@code files}, one after the other (a trail's files in chain order). */
    static ChainReader of(List<Path> files) {
        Iterator<Path> remaining = files.iterator();
        return new ChainReader() {
            private BufferedReader current;

            @Override
            public String readLine() throws IOException {
                while (true) {
                    if (current == null) {
                        if (!remaining.hasNext()) {
                            return null;
                        }
                        current = Files.newBufferedReader(remaining.next(), StandardCharsets.UTF_8);
                    }
                    String line = current.readLine();
                    if (line != null) {
                        return line;
                    }
                    current.close();
                    current = null;
                }
            }

            @Override
            public void close() throws IOException {
                if (current != null) {
                    current.close();
                }
            }
        };
    }
}
