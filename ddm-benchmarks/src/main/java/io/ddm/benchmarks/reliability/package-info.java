/**
 * The reliability suite: a mixed workload through DDM on a 2x2 topology of real servers while primaries and replicas
 * are killed, frozen and restarted and a pool is saturated; statements per phase, failures by cause, detection and
 * recovery times, and an audit of every acknowledged write on the primaries. Results in {@code RELIABILITY.md}.
 *
 * <p>Run: {@code ./mvnw -pl ddm-benchmarks -am package -DskipTests && java -cp ddm-benchmarks/target/benchmarks.jar
 * io.ddm.benchmarks.reliability.ReliabilitySuite --duration 8m}.
 */
package io.ddm.benchmarks.reliability;
