package io.ddm.benchmarks.reliability;

import java.util.Arrays;
import java.util.Random;

/**
 * What one writer thread wrote and what it was told: for each of its rows whether the insert was acknowledged, in
 * doubt or failed, its transaction, and the increments of {@code v} acknowledged or in doubt. Written by its thread
 * only, read after the thread stopped; primitive arrays indexed by {@code seq}, so a long run stays small.
 */
final class WriterLedger {

    /** A row whose insert has been sent and not yet answered. */
    static final byte PENDING = 1;

    /** The insert (or its transaction's commit) returned normally. */
    static final byte ACKNOWLEDGED = 2;

    /** The insert or commit failed in a way that leaves open whether the server applied it. */
    static final byte IN_DOUBT = 3;

    /** The insert failed before reaching a server, was rejected by it, or its transaction rolled back. */
    static final byte FAILED = 4;

    private final int writer;

    private byte[] status = new byte[1024];

    private byte[] user = new byte[1024];

    private int[] transaction = new int[1024];

    private int[] acknowledgedIncrements = new int[1024];

    private int[] doubtfulIncrements = new int[1024];

    private byte[] transactionStatus = new byte[256];

    /** The last seq used; rows are 1 .. rows. */
    private int rows;

    private int transactions;

    /** The latest acknowledged row of each user, 0 for none. */
    private final int[] latestOfUser = new int[ReliabilityData.USERS_PER_THREAD];

    WriterLedger(int writer) {
        this.writer = writer;
    }

    int writer() {
        return this.writer;
    }

    int rows() {
        return this.rows;
    }

    int transactions() {
        return this.transactions;
    }

    /**
     * A new row about to be inserted.
     * @param userIndex its user, {@code 0 .. USERS_PER_THREAD - 1}
     * @param transactionNumber its transaction (from {@link #newTransaction()}), 0 for none
     * @return its seq
     */
    int newRow(int userIndex, int transactionNumber) {
        int seq = ++this.rows;
        if (seq >= this.status.length) {
            int length = this.status.length * 2;
            this.status = Arrays.copyOf(this.status, length);
            this.user = Arrays.copyOf(this.user, length);
            this.transaction = Arrays.copyOf(this.transaction, length);
            this.acknowledgedIncrements = Arrays.copyOf(this.acknowledgedIncrements, length);
            this.doubtfulIncrements = Arrays.copyOf(this.doubtfulIncrements, length);
        }
        this.status[seq] = PENDING;
        this.user[seq] = (byte) userIndex;
        this.transaction[seq] = transactionNumber;
        return seq;
    }

    int newTransaction() {
        int number = ++this.transactions;
        if (number >= this.transactionStatus.length) {
            this.transactionStatus = Arrays.copyOf(this.transactionStatus, this.transactionStatus.length * 2);
        }
        this.transactionStatus[number] = PENDING;
        return number;
    }

    void settleRow(int seq, byte outcome) {
        this.status[seq] = outcome;
        if (outcome == ACKNOWLEDGED) {
            this.latestOfUser[this.user[seq]] = seq;
        }
    }

    void settleTransaction(int number, byte outcome) {
        this.transactionStatus[number] = outcome;
    }

    void increment(int seq, byte outcome) {
        if (outcome == ACKNOWLEDGED) {
            this.acknowledgedIncrements[seq]++;
        }
        else if (outcome == IN_DOUBT) {
            this.doubtfulIncrements[seq]++;
        }
    }

    /**
     * A random acknowledged row.
     * @param random the thread's random
     * @return its seq, 0 when none was found in a few tries
     */
    int anyAcknowledged(Random random) {
        if (this.rows == 0) {
            return 0;
        }
        for (int attempt = 0; attempt < 8; attempt++) {
            int seq = 1 + random.nextInt(this.rows);
            if (this.status[seq] == ACKNOWLEDGED) {
                return seq;
            }
        }
        return 0;
    }

    /** The latest acknowledged row of a user, 0 for none. */
    int latestOf(int userIndex) {
        return this.latestOfUser[userIndex];
    }

    byte status(int seq) {
        return this.status[seq];
    }

    int transactionOf(int seq) {
        return this.transaction[seq];
    }

    byte transactionStatus(int number) {
        return this.transactionStatus[number];
    }

    int acknowledgedIncrements(int seq) {
        return this.acknowledgedIncrements[seq];
    }

    int doubtfulIncrements(int seq) {
        return this.doubtfulIncrements[seq];
    }

    long id(int seq) {
        return ReliabilityData.id(this.writer, seq);
    }

    long userId(int seq) {
        return ReliabilityData.userId(this.writer, this.user[seq]);
    }

}
