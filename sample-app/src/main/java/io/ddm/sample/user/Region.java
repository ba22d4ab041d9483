package io.ddm.sample.user;

/**
 * A row of the broadcast table {@code t_region}, copied to every shard database.
 *
 * @param regionId the id
 * @param code the code, e.g. {@code EU}
 */
public record Region(int regionId, String code) {
}
