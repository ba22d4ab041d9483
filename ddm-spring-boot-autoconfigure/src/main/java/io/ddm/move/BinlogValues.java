package io.ddm.move;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;

import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;

/**
 * Converts the values of binary log row events, as the client's deserializer types them (with
 * {@code DATE_AND_TIME_AS_LONG_MICRO}, {@code CHAR_AND_BINARY_AS_BYTE_ARRAY} and
 * {@code INVALID_DATE_AND_TIME_AS_MIN_VALUE}), into values a target server stores identically: numbers as numbers
 * (unsigned ones widened), strings and binaries as their bytes, temporal values as literal text (the target session
 * runs with {@code time_zone = '+00:00'}).
 */
final class BinlogValues {

    /** The data types ({@code information_schema.COLUMNS.DATA_TYPE}) whose binary log values are converted exactly. */
    static final Set<String> SUPPORTED_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "float",
            "double", "bit", "date", "datetime", "timestamp", "time", "year", "char", "varchar", "binary", "varbinary",
            "tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob", "enum", "set", "json");

    private static final Set<String> TEXT_TYPES = Set.of("char", "varchar", "tinytext", "text", "mediumtext", "longtext");

    private static final Map<String, Charset> CHARSETS = Map.of("utf8mb4", StandardCharsets.UTF_8, "utf8mb3", StandardCharsets.UTF_8,
            "utf8", StandardCharsets.UTF_8, "latin1", Charset.forName("windows-1252"), "ascii", StandardCharsets.US_ASCII);

    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);

    /** The client decodes dates before the Gregorian cutover with a Julian calendar; decode those the same way. */
    private static final long GREGORIAN_CUTOVER_MILLIS = new GregorianCalendar().getGregorianChange().getTime();

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private BinlogValues() {
    }

    /**
     * The columns of the tables whose data types this conversion does not support.
     * @param tables the tables
     * @return {@code database.table.column (type)} descriptions, empty when every column is supported
     */
    static List<String> unsupportedColumns(List<ShardTable> tables) {
        List<String> result = new ArrayList<>();
        for (ShardTable table : tables) {
            for (ShardTable.Column column : table.columns()) {
                if (!SUPPORTED_TYPES.contains(column.dataType())) {
                    result.add(table + "." + column.name() + " (" + column.columnType() + ")");
                }
            }
        }
        return result;
    }

    /**
     * The value to bind for a column.
     * @param column the column
     * @param value the value from the row event, {@code null} for SQL NULL
     * @return {@code null}, a {@link Long}, {@link BigDecimal}, {@link Float}, {@link Double}, {@link String} or
     *     {@code byte[]}
     * @throws IOException when a MySQL binary JSON value cannot be decoded
     */
    static Object toTarget(ShardTable.Column column, Serializable value) throws IOException {
        if (value == null) {
            return null;
        }
        return switch (column.dataType()) {
            case "tinyint", "smallint", "mediumint", "int" -> integer(column, ((Number) value).longValue());
            case "bigint" -> column.unsigned() ? unsigned(((Number) value).longValue()) : ((Number) value).longValue();
            case "year" -> yearValue(((Number) value).intValue());
            case "enum" -> ((Number) value).longValue();
            case "set" -> unsigned(((Number) value).longValue());
            case "bit" -> unsigned(bits((BitSet) value));
            case "decimal" -> (BigDecimal) value;
            case "float" -> ((Number) value).floatValue();
            case "double" -> ((Number) value).doubleValue();
            case "date" -> date(((Number) value).longValue());
            case "datetime" -> datetime(((Number) value).longValue());
            case "timestamp" -> timestamp(((Number) value).longValue());
            case "time" -> time(((Number) value).longValue());
            case "json" -> (value instanceof byte[] bytes) ? JsonBinary.parseAsString(bytes) : value.toString();
            default -> value;
        };
    }

    /**
     * The value to compare a primary key column with in a {@code WHERE} clause. Text compares as text (so the
     * server can use the key's index); bytes that do not survive decoding stay bytes.
     * @param column the key column
     * @param value the value to bind, from {@link #toTarget}
     * @return the value to bind
     */
    static Object toKey(ShardTable.Column column, Object value) {
        if (value instanceof byte[] bytes && TEXT_TYPES.contains(column.dataType()) && column.characterSet() != null) {
            Charset charset = CHARSETS.get(column.characterSet().toLowerCase(Locale.ROOT));
            if (charset != null) {
                String text = new String(bytes, charset);
                if (Arrays.equals(text.getBytes(charset), bytes)) {
                    return text;
                }
            }
        }
        return value;
    }

    private static Object integer(ShardTable.Column column, long value) {
        if (!column.unsigned()) {
            return value;
        }
        return switch (column.dataType()) {
            case "tinyint" -> value & 0xFFL;
            case "smallint" -> value & 0xFFFFL;
            case "mediumint" -> value & 0xFFFFFFL;
            default -> value & 0xFFFFFFFFL;
        };
    }

    private static Object unsigned(long value) {
        return (value >= 0) ? (Object) value : new BigDecimal(Long.toUnsignedString(value));
    }

    private static long bits(BitSet bits) {
        long[] words = bits.toLongArray();
        return (words.length == 0) ? 0 : words[0];
    }

    private static long yearValue(int year) {
        // The client adds 1900 to the stored byte; YEAR 0000 is stored as 0, and 1900 is no valid YEAR otherwise.
        return (year == 1900) ? 0 : year;
    }

    private static String date(long micros) {
        if (micros == Long.MIN_VALUE) {
            return "0000-00-00";
        }
        return DATE.format(civil(micros));
    }

    private static String datetime(long micros) {
        if (micros == Long.MIN_VALUE) {
            return "0000-00-00 00:00:00";
        }
        return DATETIME.format(civil(micros));
    }

    private static String timestamp(long micros) {
        if (micros == 0 || micros == Long.MIN_VALUE) {
            return "0000-00-00 00:00:00";
        }
        return DATETIME.format(LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000, ZoneOffset.UTC));
    }

    private static String time(long micros) {
        long fraction = Math.floorMod(micros, MICROS_PER_SECOND);
        long seconds = Math.floorDiv(micros, MICROS_PER_SECOND);
        return String.format(Locale.ROOT, "%d:%02d:%02d.%06d", seconds / 3600, (seconds / 60) % 60, seconds % 60, fraction);
    }

    /** The wall-clock date and time the client encoded as microseconds since 1970 in UTC. */
    private static LocalDateTime civil(long micros) {
        long millis = Math.floorDiv(micros, 1000L);
        int microOfSecond = (int) Math.floorMod(micros, MICROS_PER_SECOND);
        if (millis >= GREGORIAN_CUTOVER_MILLIS) {
            return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND), microOfSecond * 1000, ZoneOffset.UTC);
        }
        GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("GMT"), Locale.ROOT);
        calendar.setTimeInMillis(millis);
        int year = calendar.get(Calendar.YEAR);
        if (calendar.get(Calendar.ERA) == GregorianCalendar.BC) {
            year = 1 - year;
        }
        return LocalDateTime.of(year, calendar.get(Calendar.MONTH) + 1, calendar.get(Calendar.DAY_OF_MONTH),
                calendar.get(Calendar.HOUR_OF_DAY), calendar.get(Calendar.MINUTE), calendar.get(Calendar.SECOND), microOfSecond * 1000);
    }

}
