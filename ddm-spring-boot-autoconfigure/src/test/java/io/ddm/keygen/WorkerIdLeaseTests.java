package io.ddm.keygen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The life of a {@link WorkerIdLease} on named locks held in memory ({@link FakeLockServer}): a new lease waits
 * one validity window, a lost or unconfirmed lease fails keys at once, the keep-alive leases again (the same id
 * first), and closing releases the lock. The same on real servers: {@code KeyGenerationIntegrationTests}.
 */
class WorkerIdLeaseTests {

    private static final String WHERE = "primary 'ds0' of node 'ds0' (127.0.0.1:3306)";

    /** Short, for the tests that wait for failures and recoveries (which they poll for). */
    private static final Duration FAST = Duration.ofMillis(100);

    private final FakeLockServer server = new FakeLockServer();

    private final List<WorkerIdLease> leases = new ArrayList<>();

    @AfterEach
    void close() {
        this.leases.forEach(WorkerIdLease::close);
    }

    @Test
    void lockNamesFitMySqlsLimitForAnySchemaAndStayReadableForShortOnes() {
        assertThat(WorkerLockNames.of("shop", 5)).isEqualTo("ddm.shop.worker.5");
        String longest = "s".repeat(48);
        assertThat(WorkerLockNames.of(longest, 1023)).isEqualTo("ddm." + longest + ".worker.1023").hasSize(64);
        String schema64 = "a".repeat(60) + "_one";
        String other64 = "a".repeat(60) + "_two";
        assertThat(WorkerLockNames.of(schema64, 1023)).hasSizeLessThanOrEqualTo(64).startsWith("ddm." + "a".repeat(44) + ".")
            .endsWith(".w.1023");
        assertThat(WorkerLockNames.of(schema64, 0)).isNotEqualTo(WorkerLockNames.of(other64, 0))
            .isEqualTo(WorkerLockNames.of(schema64, 0));
        assertThat(WorkerLockNames.of(schema64, 1)).isNotEqualTo(WorkerLockNames.of(schema64, 10));
        // Characters, not bytes, count.
        String wide = "订单".repeat(40);
        assertThat(WorkerLockNames.of(wide, 1023).codePointCount(0, WorkerLockNames.of(wide, 1023).length()))
            .isLessThanOrEqualTo(64);
    }

    @Test
    void aNewLeaseIssuesItsFirstKeyNoEarlierThanOneValidityWindowAfterItsAcquisition() throws Exception {
        long before = System.nanoTime();
        WorkerIdLease lease = acquire("shop_new", Duration.ofSeconds(1), 5);
        assertThat(lease.currentWorkerId()).isEqualTo(5);
        assertThat(lease.validityWindow()).isEqualTo(Duration.ofSeconds(3));
        assertThat(lease.currentGrant().workerId()).as("a dry run does not wait").isEqualTo(5);
        assertThat(lease.awaitGrant().workerId()).isEqualTo(5);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(lease.validityWindow());
    }

    @Test
    void probingStartsAtTheGivenIdAndSkipsHeldOnes() throws Exception {
        this.server.takeForAnother(WorkerLockNames.of("shop_probe", 1023));
        this.server.takeForAnother(WorkerLockNames.of("shop_probe", 0));
        assertThat(acquire("shop_probe", FAST, 1023).currentWorkerId()).isEqualTo(1);
    }

    @Test
    void aLostLockFailsKeysAtOnceAndAnotherFreeIdIsLeased() throws Exception {
        WorkerIdLease lease = acquire("shop_lost", FAST, 5);
        awaitUsable(lease, 5);
        // Every other id is held, so the lease stays lost until one is released.
        for (int id = 0; id < WorkerIdLease.WORKER_IDS; id++) {
            if (id != 5) {
                assertThat(this.server.takeForAnother(WorkerLockNames.of("shop_lost", id))).isTrue();
            }
        }
        String lock = WorkerLockNames.of("shop_lost", 5);
        this.server.killHolderAndTakeForAnother(lock);
        WorkerIdUnavailableException failure = awaitFailure(lease);
        assertThat(failure.getMessage()).contains("'shop_lost'", "worker id 5", lock, WHERE, "ddm.key-generator.worker-id");
        await(() -> awaitFailure(lease).getMessage().contains("all 1024 worker ids are held"), "leasing again fails: all held");
        assertThat(lease.currentWorkerId()).isEqualTo(-1);
        this.server.releaseForAnother(WorkerLockNames.of("shop_lost", 700));
        awaitUsable(lease, 700);
        assertThat(this.server.holder(WorkerLockNames.of("shop_lost", 700))).isNotNull();
    }

    @Test
    void aStoppedServerFailsKeysUntilItIsBackThenTheSameIdIsLeasedAgain() throws Exception {
        WorkerIdLease lease = acquire("shop_restart", FAST, 5);
        awaitUsable(lease, 5);
        this.server.stop();
        WorkerIdUnavailableException failure = awaitFailure(lease);
        assertThat(failure.getMessage()).contains("worker id 5", WorkerLockNames.of("shop_restart", 5), WHERE);
        await(() -> awaitFailure(lease).getMessage().contains("Connection refused"), "leasing again fails while it is down");
        this.server.start();
        awaitUsable(lease, 5);
    }

    @Test
    void aLeaseNotConfirmedWithinItsValidityWindowFailsKeysUntilConfirmedAgain() throws Exception {
        WorkerIdLease lease = acquire("shop_frozen", FAST, 5);
        awaitUsable(lease, 5);
        this.server.freeze();
        try {
            assertThat(awaitFailure(lease).getMessage()).contains("was last confirmed", "validity window of 300 ms");
        }
        finally {
            this.server.unfreeze();
        }
        awaitUsable(lease, 5);
    }

    @Test
    void closingReleasesTheLockStopsTheKeepAliveAndFailsKeys() throws Exception {
        WorkerIdLease lease = acquire("shop_close", FAST, 5);
        assertThat(this.server.isFree(WorkerLockNames.of("shop_close", 5))).isFalse();
        lease.close();
        assertThat(this.server.isFree(WorkerLockNames.of("shop_close", 5))).isTrue();
        assertThatExceptionOfType(WorkerIdUnavailableException.class).isThrownBy(lease::awaitGrant)
            .withMessageContaining("the data source is closed");
        await(() -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch((thread) -> thread.getName().equals("ddm-worker-id-lease-shop_close")), "the keep-alive thread ends");
    }

    @Test
    void noLeaseWhenEveryIdIsHeld() {
        for (int id = 0; id < WorkerIdLease.WORKER_IDS; id++) {
            this.server.takeForAnother(WorkerLockNames.of("shop_full", id));
        }
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> acquire("shop_full", FAST, 0))
            .withMessageContaining("All 1024 snowflake worker ids of logical database 'shop_full' are held");
    }

    private WorkerIdLease acquire(String schema, Duration interval, int first) throws Exception {
        WorkerIdLease result = WorkerIdLease.acquire(schema, WHERE, this.server, interval, first);
        this.leases.add(result);
        return result;
    }

    private static void awaitUsable(WorkerIdLease lease, int workerId) {
        await(() -> {
            try {
                return lease.awaitGrant().workerId() == workerId;
            }
            catch (WorkerIdUnavailableException ex) {
                return false;
            }
        }, "worker id " + workerId + " usable");
    }

    private static WorkerIdUnavailableException awaitFailure(WorkerIdLease lease) {
        WorkerIdUnavailableException[] failure = new WorkerIdUnavailableException[1];
        await(() -> {
            try {
                lease.awaitGrant();
                return false;
            }
            catch (WorkerIdUnavailableException ex) {
                failure[0] = ex;
                return true;
            }
        }, "keys fail");
        return failure[0];
    }

    /** Polls every 10 ms, for at most 30 s. */
    static void await(BooleanSupplier condition, String description) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Not reached within 30 s: " + description);
            }
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", ex);
            }
        }
    }

}
