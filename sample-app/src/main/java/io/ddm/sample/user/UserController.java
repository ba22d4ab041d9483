package io.ddm.sample.user;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

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
 * {@code POST /users} creates a user, {@code GET /users/{userId}} reads one. Answers name the shard in
 * {@code X-DDM-*} headers.
 */
@RestController
@RequestMapping("/users")
public class UserController {

    private final UserRepository users;

    private final ShardRoutes routes;

    public UserController(UserRepository users, ShardRoutes routes) {
        this.users = users;
        this.routes = routes;
    }

    @PostMapping
    public ResponseEntity<User> create(@Valid @RequestBody NewUser user) {
        int regionId = this.users.regionId(user.region())
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "Unknown region '" + user.region() + "': use EU, NA or APAC"));
        long userId = this.users.insert(user.name(), regionId, LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS));
        User created = new User(userId, user.name(), user.region());
        return new Routed<>(created, this.routes.of(UserRepository.FIND_BY_ID, userId)).toResponse(HttpStatus.CREATED);
    }

    @GetMapping("/{userId}")
    public ResponseEntity<User> get(@PathVariable long userId) {
        User user = this.users.findById(userId)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No user " + userId));
        return new Routed<>(user, this.routes.of(UserRepository.FIND_BY_ID, userId)).toResponse(HttpStatus.OK);
    }

}
