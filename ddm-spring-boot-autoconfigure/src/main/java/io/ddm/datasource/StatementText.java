package io.ddm.datasource;

/**
 * What a statement is, told from its text without parsing it: for checks that run on every statement and must cost
 * next to nothing.
 */
public final class StatementText {

    private static final String[] DDL = { "CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME" };

    private StatementText() {
    }

    /**
     * Whether a statement is DDL, by its first keyword after blanks and comments. The text of a MySQL executable
     * comment ({@code /*!50001 CREATE ... *}{@code /}) counts as statement text.
     * @param sql a statement
     * @return whether it starts with CREATE, ALTER, DROP, TRUNCATE or RENAME
     */
    public static boolean isDdl(String sql) {
        int start = statementStart(sql);
        for (String keyword : DDL) {
            int end = start + keyword.length();
            if (sql.regionMatches(true, start, keyword, 0, keyword.length())
                    && (end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_')) {
                return true;
            }
        }
        return false;
    }

    private static int statementStart(String sql) {
        int i = 0;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            }
            else if (sql.startsWith("/*!", i)) {
                i += 3;
                while (i < length && Character.isDigit(sql.charAt(i))) {
                    i++;
                }
            }
            else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = (end < 0) ? length : end + 2;
            }
            else if (c == '#' || sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = (end < 0) ? length : end + 1;
            }
            else {
                return i;
            }
        }
        return length;
    }

}
