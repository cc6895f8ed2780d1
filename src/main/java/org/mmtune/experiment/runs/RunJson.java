package org.mmtune.experiment.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.mmtune.util.IoProblems;

/** The lenient JSON reading shared by the run-folder readers (readers accept keys added later). */
final class RunJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RunJson() {
    }

    /**
     * One line naming {@code file} and why reading it failed: {@code permission denied}, {@code not readable
     * as JSON (…)} for bad JSON, else {@code cannot read (<reason>)}.
     */
    static String problem(Path file, IOException e) {
        if (e instanceof JsonProcessingException) {
            return file + ": not readable as JSON (" + e.getMessage().lines().findFirst().orElse("") + ")";
        }
        return file + ": " + (e instanceof AccessDeniedException ? IoProblems.describe(e)
                : "cannot read (" + IoProblems.describe(e) + ")");
    }

    static String text(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Double number(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        return v != null && v.isNumber() ? v.asDouble() : null;
    }

    static Integer integer(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        return v != null && v.isNumber() ? v.asInt() : null;
    }

    /** A time given either as epoch seconds (possibly fractional), epoch millis, or ISO-8601 text. */
    static Instant instant(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            // values beyond year 5138 in seconds are millis
            return d > 1e11 ? Instant.ofEpochMilli((long) d) : Instant.ofEpochMilli(Math.round(d * 1000));
        }
        String s = v.asText();
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
