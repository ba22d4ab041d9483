package io.ddm.sample.order;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /users/{userId}/orders}.
 *
 * @param items at least one item
 */
public record NewOrder(@NotEmpty @Size(max = 100) List<@Valid @NotNull Item> items) {

    /**
     * An item to order.
     *
     * @param product the product
     * @param quantity how many, at least 1
     * @param unitPrice price of one, with at most two decimals
     */
    public record Item(@NotBlank @Size(max = 100) String product, @Min(1) int quantity,
            @NotNull @DecimalMin("0.00") @Digits(integer = 8, fraction = 2) BigDecimal unitPrice) {
    }

}
