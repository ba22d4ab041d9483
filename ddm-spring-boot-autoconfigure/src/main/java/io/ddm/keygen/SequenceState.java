package io.ddm.keygen;

import org.jspecify.annotations.Nullable;

/**
 * Where one sequence stands, as this instance sees it.
 *
 * @param name the sequence's name (its logical table)
 * @param table the logical table
 * @param column the column it fills
 * @param next the next value this instance hands out from its block, or {@code null} while it holds no unused block
 * @param blockEnd the first value after this instance's block, or {@code null} while it holds no unused block
 * @param blockSize values reserved per block
 * @param server the server holding the sequence (the default shard's primary)
 * @param firstUnreserved the first value no instance has reserved yet, or {@code null} when not read from the server
 */
public record SequenceState(String name, String table, String column, @Nullable Long next, @Nullable Long blockEnd, int blockSize,
        String server, @Nullable Long firstUnreserved) {
}
