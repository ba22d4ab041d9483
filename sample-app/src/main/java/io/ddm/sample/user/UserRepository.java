package io.ddm.sample.user;

import java.time.LocalDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * {@code t_user}, sharded by {@code user_id}: one physical {@code t_user} in each shard database. The SQL is
 * written for one MySQL database; DDM routes it.
 */
@Repository
public class UserRepository {

    /** A user by id: one shard, and the broadcast {@code t_region} copy that lives next to it. */
    public static final String FIND_BY_ID = "SELECT u.user_id, u.name, r.code FROM t_user u"
            + " JOIN t_region r ON r.region_id = u.region_id WHERE u.user_id = ?";

    private static final String INSERT = "INSERT INTO t_user (name, region_id, created_at) VALUES (?, ?, ?)";

    private static final String REGION_ID = "SELECT region_id FROM t_region WHERE code = ?";

    private static final String REGION_OF_USER = "SELECT r.region_id, r.code FROM t_user u"
            + " JOIN t_region r ON r.region_id = u.region_id WHERE u.user_id = ?";

    private final JdbcClient jdbc;

    public UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts a user; DDM generates {@code user_id} (from the table's sequence) and routes the row by it.
     * @param name the name
     * @param regionId the region
     * @param createdAt when the user was created (UTC)
     * @return the generated id
     */
    public long insert(String name, int regionId, LocalDateTime createdAt) {
        KeyHolder key = new GeneratedKeyHolder();
        this.jdbc.sql(INSERT).params(name, regionId, createdAt).update(key, "user_id");
        return key.getKeyAs(Long.class);
    }

    public Optional<User> findById(long userId) {
        return this.jdbc.sql(FIND_BY_ID)
            .param(userId)
            .query((row, number) -> new User(row.getLong("user_id"), row.getString("name"), row.getString("code")))
            .optional();
    }

    /**
     * The id of a region, from the broadcast table {@code t_region} (any shard has all of it).
     * @param code the region's code
     * @return the id, empty for an unknown code
     */
    public Optional<Integer> regionId(String code) {
        return this.jdbc.sql(REGION_ID).param(code).query(Integer.class).optional();
    }

    /**
     * The region of a user.
     * @param userId the user
     * @return the region, empty for an unknown user
     */
    public Optional<Region> regionOfUser(long userId) {
        return this.jdbc.sql(REGION_OF_USER)
            .param(userId)
            .query((row, number) -> new Region(row.getInt("region_id"), row.getString("code")))
            .optional();
    }

}
