package io.ddm.keygen;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of the MySQL named locks that hold snowflake worker ids ({@link WorkerIdLease}): readable for usual schemas,
 * within MySQL's 64 characters for any.
 */
public final class WorkerLockNames {

    /** MySQL's limit on the length of a lock name. */
    public static final int MAX_LENGTH = 64;

    /** Schemas up to this many characters keep the readable name {@code ddm.<schema>.worker.<id>}. */
    private static final int READABLE_SCHEMA_LENGTH = MAX_LENGTH - "ddm.".length() - ".worker.".length() - 4;

    private static final int HASH_CHARACTERS = 8;

    /** Characters of a long schema kept in front of its hash. */
    private static final int SCHEMA_PREFIX_LENGTH = MAX_LENGTH - "ddm.".length() - 1 - HASH_CHARACTERS - ".w.".length() - 4;

    private WorkerLockNames() {
    }

    /**
     * The name of the lock of one worker id: {@code ddm.<schema>.worker.<id>}, or for a schema too long for
     * MySQL's 64 characters {@code ddm.<first 44 characters of the schema>.<hash of the whole schema>.w.<id>}.
     * @param schema the logical schema
     * @param workerId the worker id
     * @return the lock name, at most 64 characters
     */
    public static String of(String schema, int workerId) {
        int length = schema.codePointCount(0, schema.length());
        if (length <= READABLE_SCHEMA_LENGTH) {
            return "ddm." + schema + ".worker." + workerId;
        }
        String prefix = schema.substring(0, schema.offsetByCodePoints(0, SCHEMA_PREFIX_LENGTH));
        return "ddm." + prefix + "." + hash(schema) + ".w." + workerId;
    }

    private static String hash(String schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARACTERS);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
        }
    }

}
