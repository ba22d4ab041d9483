package io.ddm.benchmarks.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;

import io.ddm.test.servers.DatabaseServers;
import io.ddm.test.servers.DatabaseTopology;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Smoke test so the reliability suite cannot rot: a short schedule (a primary killed and restarted, a replica frozen
 * and resumed) under the full workload on real servers. Asserts what must hold on any machine: no acknowledged write
 * lost, none duplicated, each fault recorded by DDM, and the workload progressing while nothing is failed. Measures
 * nothing: no timing is asserted.
 */
class ReliabilitySuiteTests {

    @Test
    void shortScheduleLosesNoAcknowledgedWriteDuplicatesNoneAndRecordsEveryFault() throws Exception {
        DatabaseTopology topology = DatabaseServers.topology(2, 1);
        ReliabilityOptions options = ReliabilityOptions.parse("--duration=30s", "--phases=baseline,kill-primary,freeze-replica,final");
        ReliabilityReport report = ReliabilitySuite.run(topology, options);
        String markdown = report.markdown();
        Files.writeString(Path.of("target", "reliability-smoke.md"), markdown);

        assertThat(report.crash()).as("the workload itself").isNull();
        WriteAudit audit = report.audit();
        assertThat(audit.lost()).as("acknowledged writes lost: %s", audit.lines()).isZero();
        assertThat(audit.duplicated()).as("writes duplicated: %s", audit.lines()).isZero();
        assertThat(audit.acknowledgedRows()).isPositive();
        assertThat(report.timelines()).extracting(Timeline::fault).containsExactly("primary ds0 killed", "replica ds1-r0 frozen");
        assertThat(report.timelines()).allSatisfy((timeline) -> assertThat(timeline.detectedInTime())
                .as("DDM recorded %s", timeline.fault()).isTrue());
        List<Window> quiet = report.windows().stream().filter((window) -> window.label().equals("quiet")).toList();
        assertThat(quiet).extracting(Window::phase).containsExactly("baseline", "final");
        for (Window window : quiet) {
            for (Operation operation : Operation.values()) {
                assertThat(window.succeeded(operation)).as("%s in %s", operation.plural(), window).isPositive();
            }
        }
        assertThat(markdown).contains("| kill-primary | killed, not yet recorded |", "| freeze-replica | resumed, not yet recovered |",
                "| primary ds0 killed |", "Acknowledged writes lost: 0. Writes duplicated: 0.");
    }

    @Test
    void optionsTakeBothFormsAndDivideTheDurationAmongThePhases() {
        ReliabilityOptions options = ReliabilityOptions.parse("--duration", "16m", "--pool-size=10");
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(16));
        assertThat(options.poolSize()).isEqualTo(10);
        assertThat(options.phases()).containsExactly(FaultPhase.values());
        // 1 unit for each quiet phase, 2 for each of the 7 disturbing ones.
        assertThat(options.unit()).isEqualTo(Duration.ofMinutes(1));
        assertThat(ReliabilityOptions.parse("--duration=PT90S", "--phases=kill-replica").unit()).isEqualTo(Duration.ofSeconds(45));
        assertThat(options.commandLine()).startsWith("--duration=16m --threads=16 --pool-size=10 --phases=baseline,kill-primary,");
    }

    @Test
    void failuresCountTogetherByKindAndOnlyUnsentOrRejectedWritesAreCertainlyNotApplied() {
        FailureCause link = FailureCause.of(new SQLException("wrapped",
                new SQLTransientConnectionException("Communications link failure\n\nThe last packet 91 ms ago.", "08S01")));
        assertThat(link.key()).isEqualTo("SQLTransientConnectionException [08S01] Communications link failure");
        assertThat(link.mayHaveApplied()).isTrue();
        // ShardingSphere's commit reports its connections' failures as next exceptions of an empty one.
        SQLException commit = new SQLException("");
        commit.setNextException(new SQLTransientConnectionException("Communications link failure", "08S01"));
        assertThat(FailureCause.of(commit).key()).isEqualTo(link.key());
        FailureCause duplicate = FailureCause.of(new SQLException("Duplicate entry '12' for key 'PRIMARY'", "23000", 1062));
        assertThat(duplicate.key()).isEqualTo("SQLException [23000] Duplicate entry '…' for key '…'");
        assertThat(duplicate.mayHaveApplied()).isFalse();
        assertThat(FailureCause.messageClass("Lock wait timeout exceeded; try restarting transaction"))
                .isEqualTo("Lock wait timeout exceeded");
    }

}
