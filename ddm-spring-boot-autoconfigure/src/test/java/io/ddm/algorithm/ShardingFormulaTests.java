package io.ddm.algorithm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;

import com.google.common.collect.Range;
import io.ddm.algorithm.ShardingFormula.KeyRangeTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ShardingFormula}: DDM's formulas, computed by hand in each test, accepted and rejected key
 * types, and range narrowing.
 */
class ShardingFormulaTests {

    private static final LocalDate MARCH_5_2024 = LocalDate.of(2024, 3, 5);

    // mod-hash

    @Test
    void modHashOfAnIntegerIsTheKeyModuloTheTargets() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0);
        assertThat(formula.indexOf(15L)).isEqualTo(15 % 8);
        assertThat(formula.indexOf(16)).isZero();
        assertThat(formula.indexOf(0L)).isZero();
        assertThat(formula.indexOf(Long.MAX_VALUE)).isEqualTo((int) (Long.MAX_VALUE % 8));
    }

    @Test
    void modHashOfANegativeIntegerIsMadeNonNegative() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH, 4, 0);
        // Java: -7 % 4 == -3, DDM takes the absolute value.
        assertThat(formula.indexOf(-7L)).isEqualTo(3);
        assertThat(formula.indexOf(-8)).isZero();
        assertThat(formula.indexOf(Long.MIN_VALUE)).isEqualTo((int) Math.abs(Long.MIN_VALUE % 4));
    }

    @Test
    void modHashAcceptsEveryIntegerType() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0);
        int expected = 21 % 8;
        assertThat(formula.indexOf(21)).isEqualTo(expected);
        assertThat(formula.indexOf(21L)).isEqualTo(expected);
        assertThat(formula.indexOf((short) 21)).isEqualTo(expected);
        assertThat(formula.indexOf((byte) 21)).isEqualTo(expected);
        assertThat(formula.indexOf(BigInteger.valueOf(21))).isEqualTo(expected);
        assertThat(formula.indexOf(new BigDecimal("21"))).isEqualTo(expected);
        assertThat(formula.indexOf(new BigDecimal("21.000"))).isEqualTo(expected);
        assertThat(formula.indexOf(new BigDecimal("2.1E+1"))).isEqualTo(expected);
    }

    @Test
    void modHashOfAStringIsItsJavaHashCodeModuloTheTargets() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0);
        // "abc".hashCode() == 96354 == 12044 * 8 + 2
        assertThat(formula.indexOf("abc")).isEqualTo(96354 % 8).isEqualTo(2);
        // "beijing".hashCode() == -227176258: negative, so the absolute value of the remainder.
        assertThat(formula.indexOf("beijing")).isEqualTo(Math.abs(-227176258 % 8)).isEqualTo(2);
        assertThat(formula.indexOf("Beijing")).isEqualTo(1437477022 % 8).isEqualTo(6);
        // Integer.MIN_VALUE as hashCode must not produce a negative index.
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(formula.indexOf("polygenelubricants")).isZero();
    }

    @Test
    void modHashIsCaseSensitiveForStrings() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH, 7, 0);
        // "abc".hashCode() == 96354, "ABC".hashCode() == 64578
        assertThat(formula.indexOf("abc")).isEqualTo(96354 % 7).isEqualTo(6);
        assertThat(formula.indexOf("ABC")).isEqualTo(64578 % 7).isEqualTo(3);
        assertThat(formula.indexOf("abc")).isNotEqualTo(formula.indexOf("ABC"));
    }

    @Test
    void modHashCiUpperCasesStringsFirst() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH_CI, 16, 0);
        int expected = Math.abs("ABC".hashCode() % 16);
        assertThat(formula.indexOf("abc")).isEqualTo(expected);
        assertThat(formula.indexOf("ABC")).isEqualTo(expected);
        assertThat(formula.indexOf("aBc")).isEqualTo(expected);
        assertThat(formula.indexOf("BEIJING")).isEqualTo(formula.indexOf("beijing")).isEqualTo(Math.abs("BEIJING".hashCode() % 16));
    }

    @Test
    void modHashCiTreatsIntegersLikeModHash() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH_CI, 8, 0);
        assertThat(formula.indexOf(15L)).isEqualTo(7);
        assertThat(formula.indexOf(-7L)).isEqualTo(7);
    }

    // hash

    @Test
    void hashMatchesDdmsDocumentedExample() {
        // DDM: 8 shards, crc32("16") % 102400 = 49364, bucket width 102400 / 8 = 12800, 49364 / 12800 = 3.
        CRC32 crc = new CRC32();
        crc.update("16".getBytes(StandardCharsets.UTF_8));
        assertThat(crc.getValue()).isEqualTo(1212055764L);
        assertThat(crc.getValue() % 102400).isEqualTo(49364L);
        assertThat(49364 / (102400 / 8)).isEqualTo(3);
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.HASH, 8, 0);
        assertThat(formula.indexOf(16L)).isEqualTo(3);
        assertThat(formula.indexOf(16)).isEqualTo(3);
        assertThat(formula.indexOf(BigInteger.valueOf(16))).isEqualTo(3);
        assertThat(formula.indexOf(new BigDecimal("16.00"))).isEqualTo(3);
        assertThat(formula.indexOf("16")).isEqualTo(3);
    }

    @Test
    void hashBucketsTheCrc32OfTheKeyText() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.HASH, 8, 0);
        // crc32("100") = 595022058, % 102400 = 78058, / 12800 = 6
        assertThat(formula.indexOf(100L)).isEqualTo(78058 / 12800).isEqualTo(6);
        // crc32("abc") = 891568578, % 102400 = 74178, / 12800 = 5
        assertThat(formula.indexOf("abc")).isEqualTo(74178 / 12800).isEqualTo(5);
        // crc32("-5") = 926977075, % 102400 = 52275, / 12800 = 4
        assertThat(formula.indexOf(-5L)).isEqualTo(52275 / 12800).isEqualTo(4);
    }

    @Test
    void hashPutsTheRemainderOfAnUnevenRingIntoTheLastTarget() {
        // 7 targets: width 102400 / 7 = 14628, 7 * 14628 = 102396; crc32("17474") % 102400 = 102398 -> bucket 7 -> 6.
        CRC32 crc = new CRC32();
        crc.update("17474".getBytes(StandardCharsets.UTF_8));
        assertThat(crc.getValue() % 102400).isEqualTo(102398L);
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.HASH, 7, 0);
        assertThat(formula.indexOf(17474L)).isEqualTo(6);
    }

    @Test
    void hashIsCaseSensitive() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.HASH, 1024, 0);
        assertThat(formula.indexOf("abc")).isEqualTo((int) (891568578L % 102400) / (102400 / 1024));
        assertThat(formula.indexOf("ABC")).isNotEqualTo(formula.indexOf("abc"));
    }

    // right-shift

    @Test
    void rightShiftShiftsTheKeyBeforeTheModulo() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.RIGHT_SHIFT, 4, 4);
        assertThat(formula.indexOf(0L)).isZero();
        assertThat(formula.indexOf(15L)).isZero();
        assertThat(formula.indexOf(16L)).isEqualTo((16 >> 4) % 4).isEqualTo(1);
        assertThat(formula.indexOf(1000)).isEqualTo((1000 >> 4) % 4).isEqualTo(2);
        assertThat(formula.indexOf(BigInteger.valueOf(1000))).isEqualTo(2);
        // Arithmetic shift of a negative key: -17 >> 2 == -5, |-5 % 4| == 1.
        assertThat(ShardingFormula.of(ShardingFunction.RIGHT_SHIFT, 4, 2).indexOf(-17L)).isEqualTo(1);
    }

    @Test
    void rightShiftWithZeroBitsIsModHash() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.RIGHT_SHIFT, 8, 0);
        assertThat(formula.indexOf(15L)).isEqualTo(7);
    }

    @Test
    void rightShiftRejectsStrings() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.RIGHT_SHIFT, 4, 4);
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf("1000"))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("right-shift", "integer", "java.lang.String", "'1000'"));
    }

    // range

    private static ShardingFormula ranges() {
        return ShardingFormula.ofRanges(3, List.of(new KeyRangeTarget(0, 99, 0), new KeyRangeTarget(100, 199, 1),
                new KeyRangeTarget(200, 299, 2), new KeyRangeTarget(1000, 1999, 0)));
    }

    @Test
    void rangeMapsKeysToTheShardOfTheirRange() {
        ShardingFormula formula = ranges();
        assertThat(formula.indexOf(50L)).isZero();
        assertThat(formula.indexOf(150)).isEqualTo(1);
        assertThat(formula.indexOf(BigDecimal.valueOf(250))).isEqualTo(2);
        assertThat(formula.indexOf((short) 1500)).isZero();
    }

    @Test
    void rangeBoundariesAreInclusive() {
        ShardingFormula formula = ranges();
        assertThat(formula.indexOf(0L)).isZero();
        assertThat(formula.indexOf(99L)).isZero();
        assertThat(formula.indexOf(100L)).isEqualTo(1);
        assertThat(formula.indexOf(199L)).isEqualTo(1);
        assertThat(formula.indexOf(200L)).isEqualTo(2);
        assertThat(formula.indexOf(299L)).isEqualTo(2);
        assertThat(formula.indexOf(1000L)).isZero();
        assertThat(formula.indexOf(1999L)).isZero();
    }

    @Test
    void rangeRejectsKeysOutsideEveryRange() {
        ShardingFormula formula = ranges();
        for (long key : new long[] { -1, 300, 999, 2000 }) {
            assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf(key))
                .satisfies((ex) -> assertThat(ex.getMessage()).contains("key " + key + " ", "outside every configured range",
                        "[0..99]->0"));
        }
    }

    @Test
    void rangeRejectsNonIntegers() {
        ShardingFormula formula = ranges();
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf("50"))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("range accepts integer", "java.lang.String", "'50'"));
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf(new BigDecimal("50.5")))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("range accepts integer", "java.math.BigDecimal", "'50.5'"));
    }

    // list

    private static ShardingFormula lists() {
        Map<String, Integer> lists = new LinkedHashMap<>();
        lists.put("CN", 0);
        lists.put("JP", 0);
        lists.put("US", 1);
        lists.put("7", 2);
        lists.put("-3", 1);
        return ShardingFormula.ofLists(3, lists);
    }

    @Test
    void listMapsStringsToTheirShard() {
        ShardingFormula formula = lists();
        assertThat(formula.indexOf("CN")).isZero();
        assertThat(formula.indexOf("JP")).isZero();
        assertThat(formula.indexOf("US")).isEqualTo(1);
        assertThat(formula.indexOf(new StringBuilder("US"))).isEqualTo(1);
    }

    @Test
    void listMapsIntegersOfEveryTypeByTheirDecimalText() {
        ShardingFormula formula = lists();
        assertThat(formula.indexOf(7)).isEqualTo(2);
        assertThat(formula.indexOf(7L)).isEqualTo(2);
        assertThat(formula.indexOf((byte) 7)).isEqualTo(2);
        assertThat(formula.indexOf(BigInteger.valueOf(7))).isEqualTo(2);
        assertThat(formula.indexOf(new BigDecimal("7.00"))).isEqualTo(2);
        assertThat(formula.indexOf(-3L)).isEqualTo(1);
        assertThat(formula.indexOf("7")).isEqualTo(2);
    }

    @Test
    void listRejectsUnknownValues() {
        ShardingFormula formula = lists();
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf("FR"))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("'FR'", "no configured list"));
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf(8L))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("'8'", "no configured list"));
        // Lists are exact: case matters.
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf("cn"))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("'cn'"));
    }

    @Test
    void listRejectsDates() {
        ShardingFormula formula = lists();
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf(MARCH_5_2024))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("list accepts integer", "string", "java.time.LocalDate"));
    }

    // date functions

    @Test
    void yyyymmIsYearTimesTwelvePlusMonth() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.YYYYMM, 8, 0);
        assertThat(formula.indexOf(MARCH_5_2024)).isEqualTo((2024 * 12 + 3) % 8);
        assertThat(formula.indexOf(LocalDate.of(2023, 12, 31))).isEqualTo((2023 * 12 + 12) % 8);
        // Consecutive months go to consecutive targets, wrapping after n months.
        assertThat(formula.indexOf(LocalDate.of(2024, 4, 1))).isEqualTo((formula.indexOf(MARCH_5_2024) + 1) % 8);
    }

    @Test
    void yyyyddIsYearTimes366PlusDayOfYear() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.YYYYDD, 8, 0);
        // 2024-03-05 is day 31 + 29 + 5 = 65 of the leap year 2024.
        assertThat(formula.indexOf(MARCH_5_2024)).isEqualTo((2024 * 366 + 65) % 8);
        assertThat(formula.indexOf(LocalDate.of(2024, 12, 31))).isEqualTo((2024 * 366 + 366) % 8);
        assertThat(formula.indexOf(LocalDate.of(2023, 12, 31))).isEqualTo((2023 * 366 + 365) % 8);
    }

    @Test
    void yyyyweekIsYearTimes54PlusIsoWeek() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.YYYYWEEK, 8, 0);
        // 2024-01-01 is a Monday, so ISO week 1 starts on it; 2024-03-05 is day 65, in week (65 - 1) / 7 + 1 = 10.
        assertThat(formula.indexOf(MARCH_5_2024)).isEqualTo((2024 * 54 + 10) % 8);
        assertThat(formula.indexOf(LocalDate.of(2024, 1, 1))).isEqualTo((2024 * 54 + 1) % 8);
        assertThat(formula.indexOf(LocalDate.of(2024, 1, 7))).isEqualTo((2024 * 54 + 1) % 8);
        assertThat(formula.indexOf(LocalDate.of(2024, 1, 8))).isEqualTo((2024 * 54 + 2) % 8);
    }

    @Test
    void mmIsTheMonth() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MM, 12, 0);
        assertThat(formula.indexOf(MARCH_5_2024)).isEqualTo(3);
        assertThat(formula.indexOf(LocalDate.of(2024, 12, 1))).isZero();
        assertThat(ShardingFormula.of(ShardingFunction.MM, 5, 0).indexOf(LocalDate.of(2024, 11, 1))).isEqualTo(11 % 5);
    }

    @Test
    void ddIsTheDayOfMonth() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.DD, 31, 0);
        assertThat(formula.indexOf(MARCH_5_2024)).isEqualTo(5);
        assertThat(formula.indexOf(LocalDate.of(2024, 1, 31))).isZero();
        assertThat(ShardingFormula.of(ShardingFunction.DD, 8, 0).indexOf(LocalDate.of(2024, 1, 30))).isEqualTo(30 % 8);
    }

    @Test
    void mmddIsTheDayOfYear() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MMDD, 366, 0);
        assertThat(formula.indexOf(MARCH_5_2024)).isEqualTo(65);
        assertThat(formula.indexOf(LocalDate.of(2023, 3, 5))).isEqualTo(64);
        assertThat(formula.indexOf(LocalDate.of(2024, 12, 31))).isZero();
        assertThat(ShardingFormula.of(ShardingFunction.MMDD, 8, 0).indexOf(MARCH_5_2024)).isEqualTo(65 % 8);
    }

    @Test
    void weekIsMySqlDayOfWeekWithSundayAsOne() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.WEEK, 8, 0);
        // 2024-03-03 is a Sunday.
        assertThat(formula.indexOf(LocalDate.of(2024, 3, 3))).isEqualTo(1);
        assertThat(formula.indexOf(LocalDate.of(2024, 3, 4))).isEqualTo(2);
        assertThat(formula.indexOf(MARCH_5_2024)).isEqualTo(3);
        assertThat(formula.indexOf(LocalDate.of(2024, 3, 9))).isEqualTo(7);
        assertThat(ShardingFormula.of(ShardingFunction.WEEK, 7, 0).indexOf(LocalDate.of(2024, 3, 9))).isZero();
        assertThat(ShardingFormula.of(ShardingFunction.WEEK, 3, 0).indexOf(LocalDate.of(2024, 3, 9))).isEqualTo(7 % 3);
    }

    @Test
    void dateFunctionsAcceptEveryDateType() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.YYYYDD, 1024, 0);
        int expected = (2024 * 366 + 65) % 1024;
        assertThat(formula.indexOf(MARCH_5_2024)).isEqualTo(expected);
        assertThat(formula.indexOf(LocalDateTime.of(2024, 3, 5, 23, 59, 59))).isEqualTo(expected);
        assertThat(formula.indexOf(java.sql.Date.valueOf("2024-03-05"))).isEqualTo(expected);
        assertThat(formula.indexOf(Timestamp.valueOf("2024-03-05 23:30:00"))).isEqualTo(expected);
        assertThat(formula.indexOf(Timestamp.valueOf("2024-03-05 00:00:00"))).isEqualTo(expected);
        Date utilDate = Date.from(LocalDateTime.of(2024, 3, 5, 12, 0).atZone(ZoneId.systemDefault()).toInstant());
        assertThat(formula.indexOf(utilDate)).isEqualTo(expected);
        assertThat(formula.indexOf(OffsetDateTime.of(2024, 3, 5, 23, 0, 0, 0, ZoneOffset.ofHours(-8)))).isEqualTo(expected);
        assertThat(formula.indexOf("2024-03-05")).isEqualTo(expected);
        assertThat(formula.indexOf("2024-03-05 10:00:00")).isEqualTo(expected);
        assertThat(formula.indexOf("2024-03-05 10:00:00.123456")).isEqualTo(expected);
    }

    @Test
    void dateFunctionsRejectIntegersAndNonDateStrings() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.YYYYMM, 8, 0);
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf(202403L))
            .satisfies((ex) -> assertThat(ex.getMessage())
                .isEqualTo("yyyymm accepts date (DATE, DATETIME, TIMESTAMP) values, but the sharding key was java.lang.Long '202403'"));
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf("March 5th"))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("yyyymm", "date", "java.lang.String", "'March 5th'"));
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf("2024-13-05"))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("yyyymm", "'2024-13-05'"));
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf("2024"))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("yyyymm", "'2024'"));
    }

    // wrong types and NULL

    @Test
    void wrongTypesAreRejectedNamingTheFunctionAndTheClass() {
        ShardingFormula modHash = ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0);
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> modHash.indexOf(MARCH_5_2024))
            .satisfies((ex) -> assertThat(ex.getMessage()).isEqualTo("mod-hash accepts integer (TINYINT..BIGINT) or string"
                    + " (CHAR, VARCHAR) values, but the sharding key was java.time.LocalDate '2024-03-05'"));
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> modHash.indexOf(1.5d))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("mod-hash", "java.lang.Double", "'1.5'"));
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> modHash.indexOf(new BigDecimal("10.5")))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("mod-hash", "java.math.BigDecimal", "'10.5'"));
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> modHash.indexOf(true))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("mod-hash", "java.lang.Boolean"));
        UUID uuid = UUID.fromString("00000000-0000-0000-0000-000000000001");
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> modHash.indexOf(uuid))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("mod-hash", "java.util.UUID"));
        ShardingFormula hash = ShardingFormula.of(ShardingFunction.HASH, 8, 0);
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> hash.indexOf(java.sql.Date.valueOf("2024-03-05")))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("hash accepts", "java.sql.Date"));
        ShardingFormula mm = ShardingFormula.of(ShardingFunction.MM, 12, 0);
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> mm.indexOf(3))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("mm accepts date", "java.lang.Integer", "'3'"));
    }

    /**
     * BIGINT UNSIGNED values above {@code Long.MAX_VALUE} arrive as {@link BigInteger}. Bug: they escape as a bare
     * {@link ArithmeticException} ("BigInteger out of long range") that names neither the key nor the function.
     */
    @Test
    void integersBeyondSixtyFourBitsAreRejectedWithAShardingKeyException() {
        BigInteger unsignedMax = new BigInteger("18446744073709551615");
        List<ShardingFormula> formulas = List.of(ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0),
                ShardingFormula.of(ShardingFunction.MOD_HASH_CI, 8, 0), ShardingFormula.of(ShardingFunction.RIGHT_SHIFT, 8, 4),
                ranges(), lists());
        for (ShardingFormula formula : formulas) {
            assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf(unsignedMax))
                .satisfies((ex) -> assertThat(ex.getMessage()).contains(formula.function().propertyName(), "18446744073709551615"));
        }
        assertThatExceptionOfType(ShardingKeyException.class)
            .isThrownBy(() -> ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0).indexOf(new BigDecimal("1E+30")))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("mod-hash", "java.math.BigDecimal"));
    }

    @Test
    void hashAcceptsIntegersBeyondSixtyFourBits() {
        // crc32 of the decimal text: no 64-bit limit.
        CRC32 crc = new CRC32();
        crc.update("18446744073709551615".getBytes(StandardCharsets.UTF_8));
        int expected = (int) Math.min((crc.getValue() % 102400) / (102400 / 8), 7);
        assertThat(ShardingFormula.of(ShardingFunction.HASH, 8, 0).indexOf(new BigInteger("18446744073709551615"))).isEqualTo(expected);
    }

    /**
     * {@code java.sql.Time} extends {@code java.util.Date} but is no date. Bug: date functions take it for a DATE and
     * call {@code Time.toInstant()}, which throws {@link UnsupportedOperationException} with no message.
     */
    @Test
    void timeOfDayIsRejectedByDateFunctions() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MM, 12, 0);
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf(java.sql.Time.valueOf("10:00:00")))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("mm accepts date", "java.sql.Time"));
    }

    @Test
    void nullIsRejectedByEveryFunction() {
        for (ShardingFunction function : ShardingFunction.values()) {
            ShardingFormula formula = switch (function) {
                case RANGE -> ranges();
                case LIST -> lists();
                default -> ShardingFormula.of(function, 4, 1);
            };
            assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf(null))
                .satisfies((ex) -> assertThat(ex.getMessage()).contains("NULL", function.propertyName()));
        }
    }

    @Test
    void atLeastOneTargetIsRequired() {
        assertThatExceptionOfType(IllegalArgumentException.class)
            .isThrownBy(() -> ShardingFormula.of(ShardingFunction.MOD_HASH, 0, 0))
            .withMessageContaining("at least 1");
    }

    // range narrowing

    @Test
    void aClosedSingleValueRangeIsThatKeysIndex() {
        assertThat(ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0).indexesOf(Range.closed(15L, 15L))).containsExactly(7);
        assertThat(ShardingFormula.of(ShardingFunction.HASH, 8, 0).indexesOf(Range.closed(16L, 16L))).containsExactly(3);
        assertThat(ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0).indexesOf(Range.closed("abc", "abc"))).containsExactly(2);
        assertThat(lists().indexesOf(Range.closed("US", "US"))).containsExactly(1);
        assertThat(ranges().indexesOf(Range.closed(150L, 150L))).containsExactly(1);
    }

    @Test
    void modHashNarrowsABoundedIntegerRange() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0);
        // BETWEEN 10 AND 12 -> 10 % 8, 11 % 8, 12 % 8
        assertThat(formula.indexesOf(Range.closed(10L, 12L))).containsExactly(2, 3, 4);
        assertThat(formula.indexesOf(Range.closed(10, 12))).containsExactly(2, 3, 4);
        // > 10 AND < 13 -> 11, 12
        assertThat(formula.indexesOf(Range.open(10L, 13L))).containsExactly(3, 4);
        // >= 10 AND < 12 -> 10, 11
        assertThat(formula.indexesOf(Range.closedOpen(10L, 12L))).containsExactly(2, 3);
        // > 10 AND <= 12 -> 11, 12
        assertThat(formula.indexesOf(Range.openClosed(10L, 12L))).containsExactly(3, 4);
        // Wrapping around the targets: 14, 15, 16, 17 -> 6, 7, 0, 1
        assertThat(formula.indexesOf(Range.closed(14L, 17L))).containsExactly(0, 1, 6, 7);
        // Negative keys: |-2 % 8|, |-1 % 8|, 0, 1 -> 2, 1, 0, 1
        assertThat(formula.indexesOf(Range.closed(-2L, 1L))).containsExactly(0, 1, 2);
    }

    @Test
    void aRangeSpanningAtLeastAllTargetsTouchesAllTargets() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH, 8, 0);
        assertThat(formula.indexesOf(Range.closed(100L, 107L))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(formula.indexesOf(Range.closed(0L, 1_000_000_000L))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(formula.indexesOf(Range.closed(Long.MIN_VALUE, Long.MAX_VALUE))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        // Seven keys cannot cover eight targets.
        assertThat(formula.indexesOf(Range.closed(100L, 106L))).hasSize(7).doesNotContain(107 % 8);
    }

    @Test
    void modHashCiNarrowsIntegerRanges() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.MOD_HASH_CI, 8, 0);
        assertThat(formula.indexesOf(Range.closed(10L, 12L))).containsExactly(2, 3, 4);
    }

    @Test
    void rightShiftNarrowsByTheShiftedKeys() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.RIGHT_SHIFT, 4, 4);
        // 0..47 >> 4 = 0..2
        assertThat(formula.indexesOf(Range.closed(0L, 47L))).containsExactly(0, 1, 2);
        // 16..31 >> 4 = 1
        assertThat(formula.indexesOf(Range.closed(16L, 31L))).containsExactly(1);
        assertThat(formula.indexesOf(Range.closed(0L, 1000L))).containsExactly(0, 1, 2, 3);
    }

    @Test
    void hashRangesEnumerateSmallIntegerRangesAndStringRangesTouchAllTargets() {
        ShardingFormula hash = ShardingFormula.of(ShardingFunction.HASH, 8, 0);
        assertThat(hash.indexesOf(Range.closed(10L, 12L)))
            .containsExactlyInAnyOrderElementsOf(new java.util.TreeSet<>(List.of(hash.indexOf(10L), hash.indexOf(11L), hash.indexOf(12L))));
        assertThat(hash.indexesOf(Range.closed(1L, 100_000L))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(ShardingFormula.of(ShardingFunction.MOD_HASH, 4, 0).indexesOf(Range.closed("a", "b")))
            .containsExactly(0, 1, 2, 3);
        assertThat(ShardingFormula.of(ShardingFunction.MOD_HASH_CI, 4, 0).indexesOf(Range.closed("a", "b")))
            .containsExactly(0, 1, 2, 3);
        assertThat(lists().indexesOf(Range.closed(1L, 2L))).containsExactly(0, 1, 2);
    }

    @Test
    void unboundedRangesTouchAllTargets() {
        ShardingFormula modHash = ShardingFormula.of(ShardingFunction.MOD_HASH, 4, 0);
        assertThat(modHash.indexesOf(Range.atLeast(10L))).containsExactly(0, 1, 2, 3);
        assertThat(modHash.indexesOf(Range.lessThan(10L))).containsExactly(0, 1, 2, 3);
        assertThat(modHash.indexesOf(Range.all())).containsExactly(0, 1, 2, 3);
        ShardingFormula yyyymm = ShardingFormula.of(ShardingFunction.YYYYMM, 4, 0);
        assertThat(yyyymm.indexesOf(Range.greaterThan(MARCH_5_2024))).containsExactly(0, 1, 2, 3);
    }

    @Test
    void dateRangesAreNarrowedDayByDay() {
        ShardingFormula yyyymm = ShardingFormula.of(ShardingFunction.YYYYMM, 12, 0);
        // January to March 2024: (2024 * 12 + 1..3) % 12 = 1..3
        assertThat(yyyymm.indexesOf(Range.closed(LocalDate.of(2024, 1, 15), LocalDate.of(2024, 3, 10))))
            .containsExactlyInAnyOrder((2024 * 12 + 1) % 12, (2024 * 12 + 2) % 12, (2024 * 12 + 3) % 12);
        ShardingFormula dd = ShardingFormula.of(ShardingFunction.DD, 31, 0);
        // 2024-03-30 .. 2024-04-02: days 30, 31, 1, 2
        assertThat(dd.indexesOf(Range.closed(LocalDate.of(2024, 3, 30), LocalDate.of(2024, 4, 2))))
            .containsExactlyInAnyOrder(30, 31 % 31, 1, 2);
        ShardingFormula week = ShardingFormula.of(ShardingFunction.WEEK, 8, 0);
        // Monday to Wednesday: DAYOFWEEK 2, 3, 4
        assertThat(week.indexesOf(Range.closed(LocalDate.of(2024, 3, 4), LocalDate.of(2024, 3, 6)))).containsExactly(2, 3, 4);
        ShardingFormula yyyydd = ShardingFormula.of(ShardingFunction.YYYYDD, 8, 0);
        assertThat(yyyydd.indexesOf(Range.closed("2024-03-05", "2024-03-06 12:00:00")))
            .containsExactlyInAnyOrder((2024 * 366 + 65) % 8, (2024 * 366 + 66) % 8);
        assertThat(yyyydd.indexesOf(Range.closed(Timestamp.valueOf("2024-03-05 10:00:00"), Timestamp.valueOf("2024-03-05 11:00:00"))))
            .containsExactly((2024 * 366 + 65) % 8);
    }

    @Test
    void longDateRangesTouchAllTargets() {
        ShardingFormula yyyymm = ShardingFormula.of(ShardingFunction.YYYYMM, 4, 0);
        assertThat(yyyymm.indexesOf(Range.closed(LocalDate.of(2000, 1, 1), LocalDate.of(2030, 1, 1)))).containsExactly(0, 1, 2, 3);
        ShardingFormula mm = ShardingFormula.of(ShardingFunction.MM, 12, 0);
        assertThat(mm.indexesOf(Range.closed(LocalDate.of(2023, 7, 1), LocalDate.of(2024, 6, 30)))).hasSize(12);
    }

    @Test
    void dateRangesWithNonDateBoundsAreRejected() {
        ShardingFormula yyyymm = ShardingFormula.of(ShardingFunction.YYYYMM, 4, 0);
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> yyyymm.indexesOf(Range.closed(1L, 5L)))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("yyyymm", "java.lang.Long"));
    }

    @Test
    void rangeFunctionNarrowsToTheShardsWhoseRangesOverlap() {
        ShardingFormula formula = ranges();
        assertThat(formula.indexesOf(Range.closed(50L, 150L))).containsExactly(0, 1);
        assertThat(formula.indexesOf(Range.closed(100L, 199L))).containsExactly(1);
        assertThat(formula.indexesOf(Range.closed(150L, 1500L))).containsExactly(0, 1, 2);
        assertThat(formula.indexesOf(Range.atLeast(250L))).containsExactly(0, 2);
        assertThat(formula.indexesOf(Range.atMost(99L))).containsExactly(0);
        assertThat(formula.indexesOf(Range.all())).containsExactly(0, 1, 2);
    }

    @Test
    void rangeFunctionAddsTheDefaultTargetWhenTheRangesLeaveAGap() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.RANGE, 4, new FunctionParameters(0,
                List.of(new KeyRangeTarget(1, 10, 0), new KeyRangeTarget(11, 20, 1)), Map.of(), null, 3));
        assertThat(formula.indexOf(100L)).isEqualTo(3);
        assertThat(formula.indexesOf(Range.closed(2L, 15L))).containsExactly(0, 1);
        assertThat(formula.indexesOf(Range.closed(15L, 25L))).containsExactly(1, 3);
        assertThat(formula.indexesOf(Range.atLeast(5L))).containsExactly(0, 1, 3);
        assertThat(formula.indexesOf(Range.closed(-5L, 5L))).containsExactly(0, 3);
    }

    @Test
    void rangeWithADateFunctionMapsTheFunctionsValue() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.RANGE, 4, new FunctionParameters(0,
                List.of(new KeyRangeTarget(1, 6, 0), new KeyRangeTarget(7, 12, 1)), Map.of(), DateFunction.MONTH, null));
        assertThat(formula.indexOf(LocalDate.of(2019, 10, 11))).isEqualTo(1);
        assertThat(formula.indexOf("2019-03-01")).isEqualTo(0);
        assertThat(formula.indexesOf(Range.closed(LocalDate.of(2019, 5, 30), LocalDate.of(2019, 6, 2)))).containsExactly(0);
        assertThat(formula.indexesOf(Range.closed(LocalDate.of(2019, 6, 30), LocalDate.of(2019, 7, 2)))).containsExactly(0, 1);
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> formula.indexOf(7L))
            .withMessageStartingWith("range accepts date");
    }

    @Test
    void weekOfYearIsTheIsoWeekAsMySqlsWeekofyear() {
        // MySQL: WEEKOFYEAR('2019-10-11') = 41, WEEKOFYEAR('2012-12-31') = 1, WEEKOFYEAR('2021-01-01') = 53
        assertThat(DateFunction.WEEKOFYEAR.apply(LocalDate.of(2019, 10, 11))).isEqualTo(41);
        assertThat(DateFunction.WEEKOFYEAR.apply(LocalDate.of(2012, 12, 31))).isEqualTo(1);
        assertThat(DateFunction.WEEKOFYEAR.apply(LocalDate.of(2021, 1, 1))).isEqualTo(53);
    }

    @Test
    void hashWithADateFunctionHashesTheFunctionsValue() {
        ShardingFormula formula = ShardingFormula.of(ShardingFunction.HASH, 8, new FunctionParameters(0, List.of(), Map.of(),
                DateFunction.YEAR, null));
        CRC32 crc = new CRC32();
        crc.update("2019".getBytes(StandardCharsets.UTF_8));
        assertThat(crc.getValue() % 102400).isEqualTo(5404);
        assertThat(formula.indexOf(LocalDate.of(2019, 10, 11))).isEqualTo(0).isEqualTo(formula.indexOf(LocalDate.of(2019, 1, 1)));
    }

    @Test
    void uniHashPicksTheShardFirstAndATableInsideIt() {
        ShardingFormula tables = ShardingFormula.shardFirstTables(ShardingFunction.UNI_HASH, 8, 3, FunctionParameters.NONE);
        // shard = v % 8, table = shard * 3 + (v / 8) % 3
        for (long key = -50; key < 200; key++) {
            long shard = Math.abs(key % 8);
            assertThat(tables.indexOf(key)).as("key %d", key).isEqualTo((int) (shard * 3 + Math.abs((key / 8) % 3)));
        }
        assertThat(tables.indexesOf(Range.closed(16L, 17L))).containsExactly(2, 5);
    }

    @Test
    void rangeFunctionRejectsNonIntegerRanges() {
        assertThatExceptionOfType(ShardingKeyException.class).isThrownBy(() -> ranges().indexesOf(Range.closed("a", "b")))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("range accepts integer", "java.lang.String"));
    }

}
