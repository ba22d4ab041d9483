package io.ddm.autoconfigure;

import io.ddm.health.DdmHealthContributor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdmHealthContributorAutoConfiguration}.
 */
class DdmHealthContributorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DdmDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class,
                HealthContributorAutoConfiguration.class, DdmHealthContributorAutoConfiguration.class,
                DataSourceHealthContributorAutoConfiguration.class))
        .withPropertyValues(DdmDataSourceAutoConfigurationTests.h2Topology());

    @Test
    void ddmContributorHasOneChildPerNode() {
        this.contextRunner.run((context) -> {
            DdmHealthContributor ddm = context.getBean("ddmHealthContributor", DdmHealthContributor.class);
            assertThat(ddm.stream().map((entry) -> entry.name())).containsExactly("ds0", "ds1");
            Health ds0 = ((HealthIndicator) ddm.getContributor("ds0")).health();
            assertThat(ds0.getStatus().getCode()).isEqualTo("UP");
            assertThat(ds0.getDetails()).containsKeys("primary", "shards");
        });
    }

    @Test
    void replacesBootsDbContributorForTheDdmDataSource() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasBean("dbHealthContributor");
            assertThat(context.getBean("dbHealthContributor", HealthContributor.class))
                .isSameAs(context.getBean("ddmHealthContributor"));
        });
    }

    @Test
    void leavesDbAloneWhenItIsDisabled() {
        this.contextRunner.withPropertyValues("management.health.db.enabled=false")
            .run((context) -> assertThat(context).hasBean("ddmHealthContributor").doesNotHaveBean("dbHealthContributor"));
    }

    @Test
    void ddmContributorCanBeDisabled() {
        this.contextRunner.withPropertyValues("management.health.ddm.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean("ddmHealthContributor"));
    }

    @Test
    void backsOffWithoutBootHealth() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("ddmHealthContributor"));
    }

    @Test
    void backsOffToAUserContributor() {
        this.contextRunner.withUserConfiguration(UserContributorConfiguration.class).run((context) -> assertThat(context)
            .getBean("ddmHealthContributor")
            .isNotInstanceOf(DdmHealthContributor.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserContributorConfiguration {

        @Bean
        HealthIndicator ddmHealthContributor() {
            return () -> Health.up().build();
        }

    }

}
