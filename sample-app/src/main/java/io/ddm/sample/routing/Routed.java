package io.ddm.sample.routing;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * An answer and the route of the statement that produced it.
 *
 * @param <T> the answer's type
 * @param body the answer
 * @param route where the statement ran
 */
public record Routed<T>(T body, ShardRoute route) {

    /**
     * A response with the route as {@code X-DDM-*} headers.
     * @param status the HTTP status
     * @return the response
     */
    public ResponseEntity<T> toResponse(HttpStatus status) {
        return ResponseEntity.status(status).headers(this.route.headers()).body(this.body);
    }

}
