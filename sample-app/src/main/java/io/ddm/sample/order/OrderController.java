package io.ddm.sample.order;

import java.util.List;

import io.ddm.sample.routing.Routed;
import io.ddm.sample.routing.ShardRoutes;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A user's orders: {@code POST /users/{userId}/orders} places one, {@code GET /users/{userId}/orders/{orderId}} reads
 * one, {@code GET /users/{userId}/orders} lists them. The user's id is in every path because it is the sharding key:
 * each request touches exactly one shard, which the {@code X-DDM-*} headers name.
 */
@RestController
@RequestMapping("/users/{userId}/orders")
public class OrderController {

    private final OrderService service;

    private final OrderRepository orders;

    private final ShardRoutes routes;

    public OrderController(OrderService service, OrderRepository orders, ShardRoutes routes) {
        this.service = service;
        this.orders = orders;
        this.routes = routes;
    }

    @PostMapping
    public ResponseEntity<Order> place(@PathVariable long userId, @Valid @RequestBody NewOrder order) {
        Order placed = this.service.place(userId, order).orElseThrow(() -> noUser(userId));
        // Where the order now lives: the shard and table pair the inserts were routed to.
        return new Routed<>(placed, this.routes.of(OrderRepository.FIND_ONE, userId, placed.orderId())).toResponse(HttpStatus.CREATED);
    }

    @GetMapping("/{orderId}")
    public ResponseEntity<Order> get(@PathVariable long userId, @PathVariable long orderId) {
        Order order = this.orders.findOne(userId, orderId)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + orderId + " of user " + userId));
        return new Routed<>(order, this.routes.of(OrderRepository.FIND_ONE, userId, orderId)).toResponse(HttpStatus.OK);
    }

    @GetMapping
    public ResponseEntity<List<Order>> list(@PathVariable long userId) {
        List<Order> orders = this.orders.findByUser(userId);
        return new Routed<>(orders, this.routes.of(OrderRepository.FIND_BY_USER, userId)).toResponse(HttpStatus.OK);
    }

    private static ResponseStatusException noUser(long userId) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No user " + userId);
    }

}
