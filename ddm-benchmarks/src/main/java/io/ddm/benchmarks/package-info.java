/**
 * JMH benchmarks of DDM design choices, run against real servers started by {@code ddm-test-support}.
 *
 * <p>Build and run: {@code ./mvnw -pl ddm-benchmarks -am package -DskipTests && java -jar ddm-benchmarks/target/benchmarks.jar}.
 */
package io.ddm.benchmarks;
