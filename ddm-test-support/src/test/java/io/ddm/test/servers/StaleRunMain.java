package io.ddm.test.servers;

/**
 * Run in a separate JVM by {@link ProcessCleanupTests}: starts a private topology, prints the server pids and its run
 * directory, then waits to be killed with SIGKILL - leaving its server processes behind.
 */
public final class StaleRunMain {

    private StaleRunMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        DatabaseTopology topology = DatabaseServers.newTopology(1, 1);
        for (DatabaseServer server : topology.servers()) {
            System.out.println("PID " + server.processId().orElseThrow());
        }
        System.out.println("RUN " + RunDirectory.get());
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(300_000);
    }
}
