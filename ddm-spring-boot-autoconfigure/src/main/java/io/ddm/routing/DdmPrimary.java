package io.ddm.routing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Sends every statement issued while the annotated method runs (or any method of the annotated class) to
 * the primaries, reads included: for reads that must see the application's own latest writes outside a
 * transaction. Inside a transaction everything already goes to the primaries.
 *
 * @see PrimaryRouting
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface DdmPrimary {

}
