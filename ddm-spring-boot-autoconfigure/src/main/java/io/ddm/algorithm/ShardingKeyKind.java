package io.ddm.algorithm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;

/**
 * The kinds of sharding-key values DDM's algorithms accept, and the conversions from what JDBC and
 * ShardingSphere hand over (Long, BigDecimal, java.sql.Date, String literals, ...).
 */
public enum ShardingKeyKind {

    /** TINYINT to BIGINT, and DECIMAL without fraction. */
    INTEGER("integer (TINYINT..BIGINT)"),

    /** CHAR and VARCHAR. */
    STRING("string (CHAR, VARCHAR)"),

    /** DATE, DATETIME and TIMESTAMP. */
    DATE("date (DATE, DATETIME, TIMESTAMP)");

    private final String description;

    ShardingKeyKind(String description) {
        this.description = description;
    }

    /**
     * Human-readable description used in error messages.
     * @return the description
     */
    public String description() {
        return this.description;
    }

    /**
     * The kind of a value as it arrives at routing time, or {@code null} for unsupported Java types.
     * @param value a sharding value
     * @return its kind, or {@code null}
     */
    static ShardingKeyKind of(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || (value instanceof BigDecimal decimal && isIntegral(decimal))) {
            return INTEGER;
        }
        if (value instanceof CharSequence || value instanceof Character) {
            return STRING;
        }
        if ((value instanceof Date && !(value instanceof java.sql.Time)) || value instanceof LocalDate || value instanceof LocalDateTime
                || value instanceof OffsetDateTime || value instanceof ZonedDateTime || value instanceof Instant) {
            return DATE;
        }
        return null;
    }

    /**
     * The kind of a column of this JDBC type, or {@code null} when no algorithm accepts it.
     * @param sqlType the {@link java.sql.Types} code
     * @param decimalDigits digits after the point (DECIMAL and NUMERIC count as integers only without)
     * @return the kind, or {@code null}
     */
    public static ShardingKeyKind ofSqlType(int sqlType, int decimalDigits) {
        return switch (sqlType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
            case Types.DECIMAL, Types.NUMERIC -> (decimalDigits == 0) ? INTEGER : null;
            case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR -> STRING;
            case Types.DATE, Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> DATE;
            default -> null;
        };
    }

    /**
     * Reads a string key given for an integer column as the integer the server stores ({@code '15'} is 15).
     * @param text the key's text
     * @return the integer, as Long or (beyond 64 bits) BigInteger
     * @throws NumberFormatException when the text is not an integer
     */
    public static Object parseInteger(CharSequence text) {
        String trimmed = text.toString().strip();
        if (!trimmed.matches("[+-]?[0-9]+")) {
            throw new NumberFormatException(trimmed);
        }
        BigInteger number = new BigInteger(trimmed.startsWith("+") ? trimmed.substring(1) : trimmed);
        return (number.bitLength() < 64) ? (Object) number.longValue() : number;
    }

    private static boolean isIntegral(BigDecimal decimal) {
        return decimal.signum() == 0 || decimal.scale() <= 0 || decimal.stripTrailingZeros().scale() <= 0;
    }

    static long toLong(Object value) {
        if (value instanceof BigInteger big) {
            return big.longValueExact();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.longValueExact();
        }
        return ((Number) value).longValue();
    }

    /**
     * Converts a date-like value to a calendar date. Strings such as {@code '2024-03-05'} or
     * {@code '2024-03-05 10:00:00'} (SQL literals) are read by their date part.
     * @param value the value
     * @return the date, or {@code null} when the value is not date-like
     */
    static LocalDate toLocalDate(Object value) {
        if (value instanceof LocalDate date) {
            return date;
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.toLocalDate();
        }
        if (value instanceof java.sql.Date sqlDate) {
            return sqlDate.toLocalDate();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime().toLocalDate();
        }
        if (value instanceof java.sql.Time) {
            // A time of day has no date; java.sql.Time.toInstant() would throw.
            return null;
        }
        if (value instanceof Date date) {
            return date.toInstant().atZone(ZoneId.systemDefault()).toLocalDate();
        }
        if (value instanceof OffsetDateTime dateTime) {
            return dateTime.toLocalDate();
        }
        if (value instanceof ZonedDateTime dateTime) {
            return dateTime.toLocalDate();
        }
        if (value instanceof Instant instant) {
            return instant.atZone(ZoneId.systemDefault()).toLocalDate();
        }
        if (value instanceof CharSequence text && text.length() >= 10) {
            try {
                return LocalDate.parse(text.subSequence(0, 10));
            }
            catch (DateTimeParseException ex) {
                return null;
            }
        }
        return null;
    }

}
