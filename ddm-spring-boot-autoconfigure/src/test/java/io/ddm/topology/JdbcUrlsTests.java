package io.ddm.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcUrls}: shard database URLs derived from server URLs, and URLs made safe to show, without
 * any credential, however the URL carries it.
 */
class JdbcUrlsTests {

    @Test
    void shardDatabaseUrlsAreDerivedFromServerUrls() {
        assertThat(JdbcUrls.isSupported("jdbc:mysql://db0:3306/")).isTrue();
        assertThat(JdbcUrls.isSupported("jdbc:mysql:loadbalance://db0:3306,db1:3306/")).isTrue();
        assertThat(JdbcUrls.isSupported("jdbc:h2:mem:test")).isFalse();
        assertThat(JdbcUrls.databaseOf("jdbc:mysql://db0:3306/")).isNull();
        assertThat(JdbcUrls.databaseOf("jdbc:mysql://db0:3306")).isNull();
        assertThat(JdbcUrls.databaseOf("jdbc:mysql://db0:3306/shop?useSSL=false")).isEqualTo("shop");
        assertThat(JdbcUrls.forDatabase("jdbc:mysql://db0:3306/?useSSL=false", "shop_3"))
            .isEqualTo("jdbc:mysql://db0:3306/shop_3?useSSL=false");
        assertThat(JdbcUrls.forDatabase("jdbc:mysql://db0:3306", "shop_3")).isEqualTo("jdbc:mysql://db0:3306/shop_3");
        assertThat(JdbcUrls.forDatabase("jdbc:h2:mem:{database};MODE=MySQL", "shop_3")).isEqualTo("jdbc:h2:mem:shop_3;MODE=MySQL");
    }

    @Test
    void userInfoIsRemoved() {
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://app:hunter2@db0:3306/")).isEqualTo("jdbc:mysql://db0:3306/");
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://app@db0:3306/shop")).isEqualTo("jdbc:mysql://db0:3306/shop");
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://app:p%40ss@db0:3306/?useSSL=false"))
            .isEqualTo("jdbc:mysql://db0:3306/?useSSL=false");
    }

    @Test
    void userInfoOfEveryHostIsRemoved() {
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://app:hunter2@db0:3306,ops:swordfish@db1:3306/"))
            .isEqualTo("jdbc:mysql://db0:3306,db1:3306/");
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql:replication://app:hunter2@[db0:3306,db1:3306]/"))
            .isEqualTo("jdbc:mysql:replication://[db0:3306,db1:3306]/");
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://[app:hunter2@db0:3306,ops:swordfish@db1:3306]/"))
            .isEqualTo("jdbc:mysql://[db0:3306,db1:3306]/");
    }

    @ParameterizedTest
    @ValueSource(strings = { "password", "password1", "password2", "password3", "user", "username", "pwd",
        "trustCertificateKeyStorePassword", "clientCertificateKeyStorePassword", "sslKeyStorePassword", "sslTrustStorePassword",
        "trustStorePassword", "keyStorePassword", "keyPassword", "PASSWORD", "Password", "xdevapi.ssl-truststore-password",
        "myVaultPassword" })
    void credentialParametersAreMaskedWhereverTheyStand(String name) {
        // First parameter, a later one, and one after it: the value never shows, the other parameters stay.
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://db0:3306/?" + name + "=hunter2"))
            .isEqualTo("jdbc:mysql://db0:3306/?" + name + "=******");
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://db0:3306/shop?useSSL=true&" + name + "=hunter2&sslMode=REQUIRED"))
            .isEqualTo("jdbc:mysql://db0:3306/shop?useSSL=true&" + name + "=******&sslMode=REQUIRED");
        // Semicolon parameters, as H2 and other drivers write them.
        assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:test;" + name + "=hunter2;MODE=MySQL"))
            .isEqualTo("jdbc:h2:mem:test;" + name + "=******;MODE=MySQL");
        // Connector/J's key-value host forms in the authority, first or not.
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://(" + name + "=hunter2,host=db0,port=3306)/"))
            .isEqualTo("jdbc:mysql://(" + name + "=******,host=db0,port=3306)/");
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://(host=db0,port=3306," + name + "=hunter2)/"))
            .isEqualTo("jdbc:mysql://(host=db0,port=3306," + name + "=******)/");
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://address=(host=db0)(" + name + "=hunter2)(port=3306)/"))
            .isEqualTo("jdbc:mysql://address=(host=db0)(" + name + "=******)(port=3306)/");
    }

    @Test
    void maskedValuesEndOnlyWhereTheirParameterEnds() {
        // A value with characters that end a value elsewhere is masked whole.
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://db0/?password=a;b,c)d&useSSL=false"))
            .isEqualTo("jdbc:mysql://db0/?password=******&useSSL=false");
        assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:test;PASSWORD=a&b,c;MODE=MySQL"))
            .isEqualTo("jdbc:h2:mem:test;PASSWORD=******;MODE=MySQL");
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://(host=db0,password=a&b;c)/"))
            .isEqualTo("jdbc:mysql://(host=db0,password=******)/");
        assertThat(JdbcUrls.withoutCredentials("jdbc:mysql://db0/?password=&useSSL=false"))
            .isEqualTo("jdbc:mysql://db0/?password=******&useSSL=false");
    }

    @Test
    void everyFormAtOnce() {
        String url = "jdbc:mysql://app:pw0@db0:3306,(host=db1,user=ops,password=pw1)/?password1=pw2&password2=pw3"
                + "&trustCertificateKeyStorePassword=pw4&user=app&connectTimeout=5000";
        assertThat(JdbcUrls.withoutCredentials(url)).doesNotContain("pw0", "pw1", "pw2", "pw3", "pw4", "app", "ops")
            .isEqualTo("jdbc:mysql://db0:3306,(host=db1,user=******,password=******)/?password1=******&password2=******"
                    + "&trustCertificateKeyStorePassword=******&user=******&connectTimeout=5000");
    }

    @Test
    void parametersThatCarryNoCredentialAreKept() {
        String url = "jdbc:mysql://db0:3306/?useSSL=true&sslMode=VERIFY_CA&trustCertificateKeyStoreUrl=file:/etc/ts.jks"
                + "&passwordCharacterEncoding=UTF-8&allowPublicKeyRetrieval=true&socketTimeout=30000";
        assertThat(JdbcUrls.withoutCredentials(url)).isEqualTo(url);
        assertThat(JdbcUrls.withoutCredentials("jdbc:h2:mem:{database};MODE=MySQL")).isEqualTo("jdbc:h2:mem:{database};MODE=MySQL");
        assertThat(JdbcUrls.withoutCredentials(null)).isNull();
    }

    @Test
    void hostAndPortNeverShowsCredentials() {
        assertThat(JdbcUrls.hostAndPort("jdbc:mysql://user:pw@db0:3306/?x=1")).isEqualTo("db0:3306");
        assertThat(JdbcUrls.hostAndPort("jdbc:mysql://db0:3306/?password=hunter2")).isEqualTo("db0:3306");
        assertThat(JdbcUrls.hostAndPort("jdbc:mysql://app:hunter2@db0:3306,ops:swordfish@db1:3306/"))
            .isEqualTo("db0:3306,db1:3306");
        assertThat(JdbcUrls.hostAndPort("jdbc:mysql://address=(host=db0)(port=3306)(password=hunter2)/"))
            .isEqualTo("address=(host=db0)(port=3306)(password=******)");
        assertThat(JdbcUrls.hostAndPort("jdbc:h2:mem:{database};USER=sa;PASSWORD=hunter2"))
            .isEqualTo("jdbc:h2:mem:{database};USER=******;PASSWORD=******");
    }

}
