package io.ddm.test.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** Server processes must not outlive their topology, nor a JVM that was killed. */
class ProcessCleanupTests {

    @Test
    void closingATopologyEndsItsServerProcesses() {
        assumeProcessBased();
        DatabaseTopology topology = DatabaseServers.newTopology(1, 1);
        List<Long> pids = new ArrayList<>();
        try {
            for (DatabaseServer server : topology.servers()) {
                pids.add(server.processId().orElseThrow());
            }
            assertThat(pids).hasSize(2).allSatisfy(pid -> assertThat(RunDirectory.isGone(pid)).isFalse());
        } finally {
            topology.close();
        }

        assertThat(pids).allSatisfy(pid -> {
            assertThat(Path.of("/proc", Long.toString(pid))).doesNotExist();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        });
        assertThat(topology.servers()).allSatisfy(server -> assertThat(server.isRunning()).isFalse());
    }

    @Test
    void serversOfAKilledJvmAreKilledByTheNextRun() throws Exception {
        ServerKind kind = assumeProcessBased();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-D" + DatabaseServers.MODE_PROPERTY + "=" + kind.name().toLowerCase(), StaleRunMain.class.getName())
                .redirectErrorStream(true).start();
        List<Long> pids = new ArrayList<>();
        Path run = null;
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null && !line.equals("READY"); line = reader.readLine()) {
                output.add(line);
                if (line.startsWith("PID ")) {
                    pids.add(Long.parseLong(line.substring(4).trim()));
                } else if (line.startsWith("RUN ")) {
                    run = Path.of(line.substring(4).trim());
                }
            }
            assertThat(pids).as("pids printed by the child JVM, output: %s", output).hasSize(2);

            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9: no shutdown hook runs
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        assertThat(pids).allSatisfy(pid -> assertThat(RunDirectory.isGone(pid)).as("pid %s", pid).isFalse());
        assertThat(run).isDirectory();

        RunDirectory.cleanStale(RunDirectory.base());

        assertThat(pids).allSatisfy(pid -> assertThat(RunDirectory.isGone(pid)).as("pid %s", pid).isTrue());
        assertThat(run).doesNotExist();
        assertThat(RunDirectory.get()).as("this JVM's own run directory is left alone").isDirectory();
    }

    @Test
    void onlyServerProcessesWithTheirOwnDataDirectoryAreRecognised() throws IOException, InterruptedException {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Path dataDirectory = Files.createTempDirectory("ddm-cleanup-test");
            assertThat(RunDirectory.isOurServer(sleep.toHandle(), dataDirectory)).isFalse();
            Files.delete(dataDirectory);
        } finally {
            sleep.destroyForcibly().waitFor();
        }
    }

    private static ServerKind assumeProcessBased() {
        ServerKind kind = DatabaseServers.availableKind()
                .orElseThrow(() -> new TestAbortedException(DatabaseServers.NONE_AVAILABLE_MESSAGE));
        assumeTrue(kind == ServerKind.LOCAL || kind == ServerKind.EMBEDDED, "needs server processes (local or embedded), not " + kind);
        return kind;
    }
}
