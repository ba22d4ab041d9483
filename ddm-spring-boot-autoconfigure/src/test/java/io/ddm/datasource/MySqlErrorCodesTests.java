package io.ddm.datasource;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding a server error code under the wrappers a pool or ShardingSphere puts around the driver's exception.
 */
class MySqlErrorCodesTests {

    @Test
    void codeIsFoundOnTheFailureOrAnyOfItsCauses() {
        SQLException missingTable = new SQLSyntaxErrorException("Table 'shop_1._ddm_move' doesn't exist", "42S02",
                MySqlErrorCodes.ER_NO_SUCH_TABLE);
        RuntimeException wrapped = new IllegalStateException("pool", new SQLException("wrapper", "HY000", 0, missingTable));
        assertThat(MySqlErrorCodes.inCauseChain(missingTable, MySqlErrorCodes.ER_NO_SUCH_TABLE)).isTrue();
        assertThat(MySqlErrorCodes.inCauseChain(wrapped, MySqlErrorCodes.ER_NO_SUCH_TABLE)).isTrue();
        assertThat(MySqlErrorCodes.inCauseChain(wrapped, MySqlErrorCodes.ER_BAD_DB_ERROR, MySqlErrorCodes.ER_NO_SUCH_TABLE)).isTrue();
    }

    @Test
    void otherCodesAndFailuresWithoutServerErrorAreNotMatched() {
        SQLException unknownDatabase = new SQLSyntaxErrorException("Unknown database 'shop_9'", "42000",
                MySqlErrorCodes.ER_BAD_DB_ERROR);
        assertThat(MySqlErrorCodes.inCauseChain(unknownDatabase, MySqlErrorCodes.ER_NO_SUCH_TABLE)).isFalse();
        assertThat(MySqlErrorCodes.inCauseChain(new IllegalStateException("no SQL here"), MySqlErrorCodes.ER_NO_SUCH_TABLE)).isFalse();
        assertThat(MySqlErrorCodes.inCauseChain(unknownDatabase)).isFalse();
    }

}
