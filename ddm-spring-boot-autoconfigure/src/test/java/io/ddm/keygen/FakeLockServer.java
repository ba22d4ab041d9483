package io.ddm.keygen;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Named locks in memory, with the failures a real server has: it can be down (sessions fail, none opens), a
 * session can be killed (its locks are released), and it can hang (confirmations wait until it resumes).
 */
final class FakeLockServer implements NamedLocks.Opener {

    private final Map<String, Session> holders = new HashMap<>();

    private volatile boolean down;

    private volatile CountDownLatch frozen;

    @Override
    public synchronized NamedLocks open() throws SQLException {
        if (this.down) {
            throw new SQLNonTransientConnectionException("Connection refused");
        }
        return new Session();
    }

    /** Takes a lock for another instance; {@code false} if it is held. */
    synchronized boolean takeForAnother(String name) {
        return this.holders.putIfAbsent(name, new Session()) == null;
    }

    /** Releases a lock taken with {@link #takeForAnother(String)}. */
    synchronized void releaseForAnother(String name) {
        this.holders.remove(name);
    }

    synchronized Session holder(String name) {
        return this.holders.get(name);
    }

    synchronized boolean isFree(String name) {
        return !this.holders.containsKey(name);
    }

    /** Ends a session as {@code KILL} does: its locks are free at once. */
    synchronized void kill(Session session) {
        session.dead = true;
        this.holders.values().removeIf((holder) -> holder == session);
    }

    /** Kills the holder of a lock and gives the lock to another session at once, as a waiting {@code GET_LOCK} gets it. */
    synchronized void killHolderAndTakeForAnother(String name) {
        kill(this.holders.get(name));
        takeForAnother(name);
    }

    /** Stops the server: every session ends, none opens until {@link #start()}. */
    synchronized void stop() {
        this.down = true;
        this.holders.values().forEach((session) -> session.dead = true);
        this.holders.clear();
    }

    void start() {
        this.down = false;
    }

    /** Confirmations hang from now on. */
    void freeze() {
        this.frozen = new CountDownLatch(1);
    }

    void unfreeze() {
        CountDownLatch latch = this.frozen;
        this.frozen = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** One session. */
    final class Session implements NamedLocks {

        private volatile boolean dead;

        @Override
        public boolean tryLock(String name) throws SQLException {
            synchronized (FakeLockServer.this) {
                requireAlive();
                Session holder = FakeLockServer.this.holders.putIfAbsent(name, this);
                return holder == null || holder == this;
            }
        }

        @Override
        public boolean holds(String name) throws SQLException {
            CountDownLatch latch = FakeLockServer.this.frozen;
            if (latch != null) {
                try {
                    latch.await(60, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", ex);
                }
            }
            synchronized (FakeLockServer.this) {
                requireAlive();
                return FakeLockServer.this.holders.get(name) == this;
            }
        }

        private void requireAlive() throws SQLException {
            if (this.dead) {
                throw new SQLNonTransientConnectionException("Communications link failure");
            }
        }

        @Override
        public void close() {
            synchronized (FakeLockServer.this) {
                this.dead = true;
                FakeLockServer.this.holders.values().removeIf((holder) -> holder == this);
            }
        }

    }

}
