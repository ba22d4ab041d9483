package io.ddm.algorithm;

import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * DDM's date functions for the {@link ShardingFunction#RANGE} and {@link ShardingFunction#HASH} algorithms on
 * DATE, DATETIME and TIMESTAMP columns: the function's value is what the ranges map, or what is hashed.
 */
public enum DateFunction {

    /** {@code year('2019-10-11') = 2019}. */
    YEAR,

    /** {@code month('2019-10-11') = 10}. */
    MONTH,

    /** {@code weekofyear('2019-10-11') = 41}: the ISO 8601 week, as MySQL's {@code WEEKOFYEAR}. */
    WEEKOFYEAR,

    /** {@code day('2019-10-11') = 11}: the day of the month. */
    DAY;

    /**
     * The function's value for a date.
     * @param date the date
     * @return the value
     */
    public long apply(LocalDate date) {
        return switch (this) {
            case YEAR -> date.getYear();
            case MONTH -> date.getMonthValue();
            case WEEKOFYEAR -> date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            case DAY -> date.getDayOfMonth();
        };
    }

    /**
     * The name users write, as in DDM's SQL ({@code weekofyear}).
     * @return the name
     */
    public String propertyName() {
        return name().toLowerCase(Locale.ROOT);
    }

}
