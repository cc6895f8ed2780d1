package org.mmtune.data;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the bundled {@code sample-data/} folder. */
public final class SampleData {

    /** System property that overrides where the sample data lives. */
    public static final String PROPERTY = "mmtune.sampleData";

    private SampleData() {
    }

    /**
     * The sample-data folder: the {@value #PROPERTY} property if set, else {@code sample-data} in the
     * working directory, else next to (or one above) the folder holding the mmtune jar or classes.
     */
    public static Optional<Path> locate() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null) {
            Path p = Path.of(prop);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        Path cwd = Path.of("sample-data");
        if (Files.isDirectory(cwd)) {
            return Optional.of(cwd.toAbsolutePath());
        }
        try {
            Path code = Path.of(SampleData.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code.getParent(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("sample-data");
                if (Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
