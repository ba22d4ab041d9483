package io.ddm.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample order service. Its REST API and embedded topology arrive with the sample application issue; until
 * then it only shows that the starter is all an application needs on its classpath.
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

}
