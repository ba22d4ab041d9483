package io.ddm.algorithm;

/**
 * A sharding key that its algorithm cannot route: a value of the wrong type, NULL, or a key outside every
 * configured range or list. The message names the value and what the algorithm accepts.
 */
public class ShardingKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ShardingKeyException(String message) {
        super(message);
    }

}
