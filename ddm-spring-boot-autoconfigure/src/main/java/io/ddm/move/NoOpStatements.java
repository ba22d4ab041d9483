package io.ddm.move;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Statements on the moving shard's database that change nothing there, which the change stream may pass over instead
 * of failing the move: what another instance of the application runs at its start, while this one moves the shard
 * ({@code CREATE DATABASE IF NOT EXISTS} of the shard database, {@code CREATE TABLE IF NOT EXISTS} of a table the move
 * copies, which exists on both sides). A {@code CREATE TABLE IF NOT EXISTS} of a table the move does not copy does
 * create one, and still fails the move.
 */
final class NoOpStatements {

    private static final Pattern CREATE_DATABASE = Pattern.compile(
            "^\\s*CREATE\\s+(?:DATABASE|SCHEMA)\\s+IF\\s+NOT\\s+EXISTS\\s+`?([^`\\s;]+)`?\\s*;?\\s*$", Pattern.CASE_INSENSITIVE);

    private static final Pattern CREATE_TABLE = Pattern.compile(
            "^\\s*CREATE\\s+TABLE\\s+IF\\s+NOT\\s+EXISTS\\s+(?:`?([^`\\s.(]+)`?\\s*\\.\\s*)?`?([^`\\s.(]+)`?[\\s(]",
            Pattern.CASE_INSENSITIVE);

    private NoOpStatements() {
    }

    /**
     * The statements that change nothing in a shard database whose tables the move copies.
     * @param database the shard database
     * @param tables the names of the tables the move copies
     * @return whether a statement is one of them
     */
    static Predicate<String> of(String database, Collection<String> tables) {
        Set<String> copied = tables.stream().map((table) -> table.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return (sql) -> {
            Matcher createDatabase = CREATE_DATABASE.matcher(sql);
            if (createDatabase.matches()) {
                return createDatabase.group(1).equalsIgnoreCase(database);
            }
            Matcher createTable = CREATE_TABLE.matcher(sql);
            return createTable.find() && (createTable.group(1) == null || createTable.group(1).equalsIgnoreCase(database))
                    && copied.contains(createTable.group(2).toLowerCase(Locale.ROOT));
        };
    }

}
