/**
 * Benchmarks of DDM on real servers started by {@code ddm-test-support}: JMH benchmarks of design choices here, the
 * suite of DDM against direct JDBC and stock ShardingSphere in {@link io.ddm.benchmarks.suite}.
 *
 * <p>Build and run: {@code ./mvnw -pl ddm-benchmarks -am package -DskipTests && java -jar ddm-benchmarks/target/benchmarks.jar}.
 */
package io.ddm.benchmarks;
