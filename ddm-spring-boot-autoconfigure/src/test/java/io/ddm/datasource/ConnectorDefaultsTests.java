package io.ddm.datasource;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * DDM's Connector/J defaults on its pools ({@link PhysicalDataSources#applyConnectorDefaults}): applied to MySQL URLs,
 * and a value the user gives in the URL or in {@code pool.data-source-properties} always wins.
 */
class ConnectorDefaultsTests {

    @Test
    void mysqlPoolsGetLocalSessionStateBatchRewritingAndAStatementCache() {
        HikariConfig config = config("jdbc:mysql://db:3306/shop_0");
        PhysicalDataSources.applyConnectorDefaults(config);
        assertThat(config.getDataSourceProperties()).containsOnly(entry("useLocalSessionState", "true"),
                entry("rewriteBatchedStatements", "true"), entry("cachePrepStmts", "true"), entry("prepStmtCacheSize", "250"),
                entry("prepStmtCacheSqlLimit", "2048"));
    }

    @Test
    void aSettingInTheUrlWins() {
        HikariConfig config = config("jdbc:mysql://db:3306/shop_0?rewriteBatchedStatements=false&cachePrepStmts=false");
        PhysicalDataSources.applyConnectorDefaults(config);
        assertThat(config.getDataSourceProperties()).doesNotContainKeys("rewriteBatchedStatements", "cachePrepStmts")
            .containsEntry("useLocalSessionState", "true");
        HikariConfig lowerCase = config("jdbc:mysql://db:3306/shop_0?uselocalsessionstate=false");
        PhysicalDataSources.applyConnectorDefaults(lowerCase);
        assertThat(lowerCase.getDataSourceProperties()).as("Connector/J reads names in any case").doesNotContainKey("useLocalSessionState");
    }

    @Test
    void aDataSourcePropertyWins() {
        HikariConfig config = config("jdbc:mysql://db:3306/shop_0");
        config.addDataSourceProperty("rewriteBatchedStatements", "false");
        config.addDataSourceProperty("prepStmtCacheSize", "500");
        PhysicalDataSources.applyConnectorDefaults(config);
        assertThat(config.getDataSourceProperties()).containsEntry("rewriteBatchedStatements", "false")
            .containsEntry("prepStmtCacheSize", "500")
            .containsEntry("cachePrepStmts", "true");
    }

    @Test
    void otherDriversAreLeftAlone() {
        HikariConfig config = config("jdbc:mariadb://db:3306/shop_0");
        PhysicalDataSources.applyConnectorDefaults(config);
        assertThat(config.getDataSourceProperties()).isEmpty();
    }

    @Test
    void localSessionStateIsKeptOnlyWhereEverySettingSaysSo() {
        assertThat(keepsLocalSessionState(config("jdbc:mysql://db:3306/shop_0"))).as("DDM's default").isTrue();
        assertThat(keepsLocalSessionState(config("jdbc:mysql://db:3306/shop_0?useLocalSessionState=false"))).isFalse();
        assertThat(keepsLocalSessionState(config("jdbc:mysql://db:3306/shop_0?uselocalsessionstate=NO"))).isFalse();
        HikariConfig property = config("jdbc:mysql://db:3306/shop_0?useLocalSessionState=true");
        property.addDataSourceProperty("useLocalSessionState", "false");
        assertThat(keepsLocalSessionState(property)).as("a data source property overrides the URL, as in Connector/J").isFalse();
        assertThat(keepsLocalSessionState(config("jdbc:mysql://db:3306/shop_0?useLocalSessionState=YES"))).isTrue();
        assertThat(keepsLocalSessionState(config("jdbc:mysql://db:3306/shop_0?propertiesTransform=com.example.Transform")))
            .as("a transform may change it").isFalse();
        assertThat(keepsLocalSessionState(config("jdbc:mariadb://db:3306/shop_0?useLocalSessionState=true"))).isFalse();
    }

    private static boolean keepsLocalSessionState(HikariConfig config) {
        PhysicalDataSources.applyConnectorDefaults(config);
        return PhysicalDataSources.keepsLocalSessionState(config);
    }

    private static HikariConfig config(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        return config;
    }

}
