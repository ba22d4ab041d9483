/**
 * The benchmark suite: DDM against direct JDBC and stock ShardingSphere-JDBC on real servers, every workload and
 * contender interleaved in one JVM, plus application startup in fresh JVMs; results in {@code BENCHMARKS.md}.
 *
 * <p>Run: {@code ./mvnw -pl ddm-benchmarks -am package -DskipTests && java -cp ddm-benchmarks/target/benchmarks.jar
 * io.ddm.benchmarks.suite.BenchmarkSuite}.
 */
package io.ddm.benchmarks.suite;
