package io.ddm.autoconfigure;

import io.ddm.routing.DdmPrimary;
import io.ddm.routing.DdmPrimaryInterceptor;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Auto-configuration of {@link DdmPrimary}: methods and classes carrying it run with every statement routed to
 * the primaries. Needs Spring AOP, which Spring Boot applications normally have.
 */
@AutoConfiguration(after = DdmDataSourceAutoConfiguration.class)
@ConditionalOnClass({ Advisor.class, MethodInterceptor.class })
@ConditionalOnBooleanProperty(name = "ddm.enabled", matchIfMissing = true)
@Import(DdmRoutingAutoConfiguration.AutoProxyRegistrar.class)
public final class DdmRoutingAutoConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean(name = "ddmPrimaryAdvisor")
    static Advisor ddmPrimaryAdvisor() {
        ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(DdmPrimary.class, true))
                .union(AnnotationMatchingPointcut.forMethodAnnotation(DdmPrimary.class));
        return new DefaultPointcutAdvisor(pointcut, new DdmPrimaryInterceptor());
    }

    /**
     * Makes sure an auto-proxy creator applies infrastructure advisors, as {@code @EnableTransactionManagement}
     * does, also in applications without transactions.
     */
    static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }

    }

}
