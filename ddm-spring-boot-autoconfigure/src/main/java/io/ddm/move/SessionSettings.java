package io.ddm.move;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Session variables a copy or comparison sets on a caller's connection, and their values before, to put back.
 */
final class SessionSettings {

    private final Connection connection;

    private final Map<String, String> previous;

    private SessionSettings(Connection connection, Map<String, String> previous) {
        this.connection = connection;
        this.previous = previous;
    }

    /**
     * Sets session variables, remembering their values.
     * @param connection the connection
     * @param settings variable names ({@code time_zone}) to their new values
     * @return the settings to {@link #restore()}
     */
    static SessionSettings set(Connection connection, Map<String, String> settings) throws SQLException {
        Map<String, String> previous = current(connection, List.copyOf(settings.keySet()));
        apply(connection, settings);
        return new SessionSettings(connection, previous);
    }

    /** The current values of session variables. */
    static Map<String, String> current(Connection connection, List<String> names) throws SQLException {
        List<String> selects = new ArrayList<>();
        for (String name : names) {
            selects.add("@@SESSION." + name);
        }
        Map<String, String> result = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT " + String.join(", ", selects))) {
            rows.next();
            for (int i = 0; i < names.size(); i++) {
                result.put(names.get(i), rows.getString(i + 1));
            }
        }
        return result;
    }

    /** Puts the variables back as they were. */
    void restore() throws SQLException {
        apply(this.connection, this.previous);
    }

    private static void apply(Connection connection, Map<String, String> settings) throws SQLException {
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            try (PreparedStatement statement = connection.prepareStatement("SET SESSION " + setting.getKey() + " = ?")) {
                // numeric variables (foreign_key_checks) take numbers, not text
                if (setting.getValue().matches("[0-9]+")) {
                    statement.setLong(1, Long.parseLong(setting.getValue()));
                }
                else {
                    statement.setString(1, setting.getValue());
                }
                statement.execute();
            }
        }
    }

}
