package io.ddm.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the first configured logical table that a SQL statement names, in one pass over the text without
 * allocating: a cheap approximation of ShardingSphere's parse, which the metrics cannot see. Skips string literals
 * ({@code '...'}, and {@code "..."} as MySQL reads them by default) and comments; compares plain and back-quoted
 * identifiers case-insensitively ({@code `T_ORDER`} and {@code shop.t_order} both name {@code t_order}). A column
 * or alias spelled like a configured table also matches. The answer for each of the first
 * {@value #REMEMBERED_TEXTS} texts (of up to {@value #REMEMBERED_TEXT_LENGTH} characters) is remembered: an application
 * runs the same few texts again and again.
 */
final class TableFinder {

    /** Returned when the statement names no configured table. */
    static final int NONE = -1;

    /** Texts up to this long are remembered with their table. */
    static final int REMEMBERED_TEXT_LENGTH = 2_048;

    /** How many texts are remembered with their table; others are searched each time. */
    static final int REMEMBERED_TEXTS = 1_024;

    private final String[] tables;

    private final Map<String, Integer> remembered = new ConcurrentHashMap<>();

    /**
     * Creates a finder.
     * @param tables logical table names; their positions are the indexes {@link #find(String)} returns
     */
    TableFinder(List<String> tables) {
        this.tables = tables.toArray(new String[0]);
    }

    /**
     * The first configured table named in a statement, in the order of the text.
     * @param sql the statement
     * @return the table's index, or {@link #NONE}
     */
    int find(String sql) {
        if (sql == null || this.tables.length == 0) {
            return NONE;
        }
        Integer known = this.remembered.get(sql);
        if (known != null) {
            return known;
        }
        int table = search(sql);
        if (sql.length() <= REMEMBERED_TEXT_LENGTH && this.remembered.size() < REMEMBERED_TEXTS) {
            this.remembered.put(sql, table);
        }
        return table;
    }

    private int search(String sql) {
        int length = sql.length();
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipQuoted(sql, i, c);
            }
            else if (c == '`') {
                int close = closingBackQuote(sql, i);
                int table = match(sql, i + 1, close);
                if (table != NONE) {
                    return table;
                }
                i = close + 1;
            }
            else if (c == '#' || (c == '-' && isDashComment(sql, i))) {
                i = skipLine(sql, i);
            }
            else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = (end < 0) ? length : end + 2;
            }
            else if (isIdentifierPart(c)) {
                int start = i;
                while (i < length && isIdentifierPart(sql.charAt(i))) {
                    i++;
                }
                int table = match(sql, start, i);
                if (table != NONE) {
                    return table;
                }
            }
            else {
                i++;
            }
        }
        return NONE;
    }

    private int match(String sql, int start, int end) {
        int length = end - start;
        for (int table = 0; table < this.tables.length; table++) {
            String name = this.tables[table];
            if (name.length() == length && sql.regionMatches(true, start, name, 0, length)) {
                return table;
            }
        }
        return NONE;
    }

    /** The index after a quoted literal; a doubled quote or a backslash escapes, as in MySQL. */
    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
            }
            else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                }
                else {
                    return i + 1;
                }
            }
            else {
                i++;
            }
        }
        return sql.length();
    }

    /** The index of the back quote closing an identifier (a doubled back quote escapes), or the text's length. */
    private static int closingBackQuote(String sql, int start) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == '`') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '`') {
                    i += 2;
                }
                else {
                    return i;
                }
            }
            else {
                i++;
            }
        }
        return sql.length();
    }

    private static int skipLine(String sql, int start) {
        int end = sql.indexOf('\n', start);
        return (end < 0) ? sql.length() : end + 1;
    }

    /** MySQL's {@code --} comment needs a space or control character after the dashes ({@code 5--1} is arithmetic). */
    private static boolean isDashComment(String sql, int index) {
        return sql.startsWith("--", index) && (index + 2 == sql.length() || sql.charAt(index + 2) <= ' ');
    }

    private static boolean isIdentifierPart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
                || c > 0x7F;
    }

}
