package io.ddm.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample order service: users, their orders with items, and a revenue report, on one logical MySQL database
 * that DDM shards over two nodes, each with a replica. Everything about the database is in
 * {@code application.yml}; the code is plain Spring JDBC.
 *
 * <p>Run it with {@code ./mvnw -pl sample-app -am spring-boot:test-run}: the test-run main
 * ({@code TestSampleApplication} in the test sources) starts local MariaDB servers with replication first.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

}
