package org.mmtune.experiment;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mmtune.data.SampleData;

/**
 * Resolves a config's dataset path: absolute as given; relative against the working directory, then
 * {@code sample-data} via {@link SampleData#locate()}, then against the folders above the mmtune code
 * (so that {@code ../shared/datasets/camvid} works from a repository checkout or its target folder).
 */
public final class DatasetPaths {

    private DatasetPaths() {
    }

    public static Path resolve(String dataset) {
        Path p = Path.of(dataset);
        if (p.isAbsolute() || Files.isDirectory(p)) {
            return p.toAbsolutePath().normalize();
        }
        if (p.normalize().toString().equals("sample-data")) {
            var sd = SampleData.locate();
            if (sd.isPresent()) {
                return sd.get();
            }
        }
        try {
            Path code = Path.of(DatasetPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code.getParent(); dir != null; dir = dir.getParent()) {
                Path c = dir.resolve(p).normalize();
                if (Files.isDirectory(c)) {
                    return c;
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through: report the path as given
        }
        return p.toAbsolutePath().normalize();
    }
}
