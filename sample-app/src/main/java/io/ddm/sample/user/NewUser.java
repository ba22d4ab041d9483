package io.ddm.sample.user;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /users}.
 *
 * @param name the name
 * @param region code of a region ({@code EU}, {@code NA} or {@code APAC})
 */
public record NewUser(@NotBlank @Size(max = 100) String name, @NotBlank String region) {
}
