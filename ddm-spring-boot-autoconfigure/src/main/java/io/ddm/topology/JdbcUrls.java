package io.ddm.topology;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server JDBC URLs as users write them ({@code jdbc:mysql://host:port/}) and the shard database URLs DDM
 * derives from them.
 */
public final class JdbcUrls {

    /** Placeholder replaced by the shard database, for URL forms DDM cannot edit itself. */
    public static final String DATABASE_PLACEHOLDER = "{database}";

    /** {@code jdbc:<sub>[:<sub>]://<authority>[/<database>][?<params>]}. */
    private static final Pattern HIERARCHICAL = Pattern.compile("^(jdbc:[a-z0-9]+(?::[a-z0-9]+)?://[^/?]*)(/[^?]*)?(\\?.*)?$",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern USER_INFO = Pattern.compile("//([^/@?]*)@");

    /**
     * Names of URL parameters that carry credentials: the user name, and every password, whatever it protects
     * (Connector/J's {@code password1} to {@code password3}, {@code trustCertificateKeyStorePassword}, MariaDB's
     * {@code trustStorePassword}, {@code keyPassword}, ...): any name ending with "password", in any case.
     */
    private static final String SECRET_NAME = "(?:user|username|pwd|[a-z0-9_.-]*password[0-9]*)";

    /** {@code ?name=value&...}: the value ends at the next parameter. */
    private static final Pattern QUERY_SECRET = Pattern.compile("([?&]\\s*" + SECRET_NAME + "\\s*=)[^&#]*",
            Pattern.CASE_INSENSITIVE);

    /** {@code ;name=value;...} (H2, SQL Server and other drivers' form). */
    private static final Pattern SEMICOLON_SECRET = Pattern.compile("(;\\s*" + SECRET_NAME + "\\s*=)[^;]*",
            Pattern.CASE_INSENSITIVE);

    /** Connector/J's host key-values, {@code (host=db0,password=...)} and {@code address=(host=db0)(password=...)}. */
    private static final Pattern KEY_VALUE_SECRET = Pattern.compile("([(,]\\s*" + SECRET_NAME + "\\s*=)[^,)]*",
            Pattern.CASE_INSENSITIVE);

    /** A URL's authority as Connector/J reads it: after {@code //}, up to the path, query or fragment. */
    private static final Pattern AUTHORITY = Pattern.compile("^([^/]*//)([^/?#]*)");

    /** {@code user:password@} in front of a host of the authority: the first, or one after {@code ,} or {@code [}. */
    private static final Pattern HOST_USER_INFO = Pattern.compile("(^|[,\\[])[^,\\[\\]()]*@");

    private static final String MASK = "******";

    private JdbcUrls() {
    }

    /**
     * Whether DDM can derive shard URLs from this server URL.
     * @param url a server URL
     * @return whether it has a {@code {database}} placeholder or the hierarchical {@code jdbc:x://host/} form
     */
    public static boolean isSupported(String url) {
        return url.contains(DATABASE_PLACEHOLDER) || HIERARCHICAL.matcher(url).matches();
    }

    /**
     * The database a server URL already names, or {@code null}.
     * @param url a server URL
     * @return the database path component, or {@code null} when there is none
     */
    public static String databaseOf(String url) {
        if (url.contains(DATABASE_PLACEHOLDER)) {
            return null;
        }
        Matcher matcher = HIERARCHICAL.matcher(url);
        if (!matcher.matches() || matcher.group(2) == null || matcher.group(2).length() <= 1) {
            return null;
        }
        return matcher.group(2).substring(1);
    }

    /**
     * The URL of one database on a server.
     * @param url the server URL
     * @param database the database, or {@code null} or empty for the server itself
     * @return the database URL
     */
    public static String forDatabase(String url, String database) {
        String name = (database != null) ? database : "";
        if (url.contains(DATABASE_PLACEHOLDER)) {
            return url.replace(DATABASE_PLACEHOLDER, name);
        }
        Matcher matcher = HIERARCHICAL.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Unsupported server URL " + withoutCredentials(url));
        }
        String parameters = (matcher.group(3) != null) ? matcher.group(3) : "";
        return matcher.group(1) + "/" + name + parameters;
    }

    /**
     * The host and port part of a hierarchical URL, for display.
     * @param url a URL
     * @return {@code host:port} (or the hosts of a multi-host URL), never with credentials; the URL without
     *     credentials when it has no such part
     */
    public static String hostAndPort(String url) {
        String safe = withoutCredentials(url);
        Matcher matcher = HIERARCHICAL.matcher(safe.replace(DATABASE_PLACEHOLDER, ""));
        if (!matcher.matches()) {
            return safe;
        }
        return matcher.group(1).substring(matcher.group(1).indexOf("//") + 2);
    }

    /**
     * The user name and password embedded in a URL's authority ({@code jdbc:mysql://user:pw@host/}).
     * @param url a URL
     * @return {@code [user, password]} (password possibly {@code null}), or {@code null} when there are none
     */
    public static String[] userInfo(String url) {
        Matcher matcher = USER_INFO.matcher(url);
        if (!matcher.find()) {
            return null;
        }
        String info = matcher.group(1);
        int colon = info.indexOf(':');
        String user = URLDecoder.decode((colon < 0) ? info : info.substring(0, colon), StandardCharsets.UTF_8);
        String password = (colon < 0) ? null : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
        return new String[] { user, password };
    }

    /**
     * The URL without the user name and password embedded in its authority.
     * @param url a URL
     * @return the URL
     */
    public static String withoutUserInfo(String url) {
        return USER_INFO.matcher(url).replaceFirst("//");
    }

    /**
     * The URL without credentials, safe to log and show: user names and passwords in front of its hosts
     * ({@code user:password@host}) are removed; the values of parameters that carry credentials (user names, and
     * any parameter whose name ends with "password", such as {@code password2} or {@code sslTrustStorePassword})
     * are masked, in the query, in {@code ;name=value} parameters and in Connector/J's host key-values.
     * @param url a URL
     * @return the URL, safe to log
     */
    public static String withoutCredentials(String url) {
        if (url == null) {
            return null;
        }
        String result = QUERY_SECRET.matcher(url).replaceAll("$1" + MASK);
        result = SEMICOLON_SECRET.matcher(result).replaceAll("$1" + MASK);
        result = KEY_VALUE_SECRET.matcher(result).replaceAll("$1" + MASK);
        Matcher authority = AUTHORITY.matcher(result);
        if (authority.find()) {
            String hosts = HOST_USER_INFO.matcher(authority.group(2)).replaceAll("$1");
            result = authority.group(1) + hosts + result.substring(authority.end());
        }
        return result;
    }

}
