package io.ddm.endpoint;

import java.util.List;
import java.util.Map;

import io.ddm.datasource.DdmDataSource;
import io.ddm.endpoint.TopologyDescriptor.SequenceDescriptor;
import io.ddm.move.MoveDescriptor;
import io.ddm.move.ShardMove;
import io.ddm.move.ShardMoves;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The web operations of {@code /actuator/ddm} that answer with a status of their own: a write operation that finds
 * nothing answers 404, not Boot's 204 for an empty write.
 * <ul>
 * <li>{@code POST /actuator/ddm/sequences/{name}} with {@code {"value": N}}: moves the sequence forward, so that no
 * block reserved from now on starts below N and this instance's next value is at least N; answers the sequence's
 * state. 400 when values at or above N may have been handed out already (moving back), 404 for an unknown sequence
 * or section.</li>
 * <li>{@code GET /actuator/ddm/moves}: the shard moves this instance knows, running and finished;
 * {@code GET /actuator/ddm/moves/{id}}: one (404 when unknown).</li>
 * <li>{@code POST /actuator/ddm/moves} with {@code {"shard": 3, "target": "ds2"}}: starts moving shard 3 to node ds2 and
 * answers the move's descriptor at once (202); 400 for an unknown shard or node, 409 while another move runs; a
 * refusal's body is {@code {"error": "..."}}, saying why.
 * {@code DELETE /actuator/ddm/moves/{id}}: aborts a move that has not switched yet (409 once it has). Both answer 403
 * unless {@code ddm.moves.enabled=true}.</li>
 * </ul>
 * It dispatches on the first selector, as the read operations do; {@code GET /actuator/ddm/tables/{table}} is answered
 * here too, by the endpoint's own operation, since both share the path.
 */
@EndpointWebExtension(endpoint = DdmEndpoint.class)
public class DdmEndpointWebExtension {

    private static final String SEQUENCES = "sequences";

    private static final String MOVES = "moves";

    private static final int STATUS_ACCEPTED = 202;

    private static final int STATUS_FORBIDDEN = 403;

    private static final int STATUS_CONFLICT = 409;

    private final DdmDataSource dataSource;

    private final @Nullable DdmEndpoint endpoint;

    private final @Nullable ShardMoves moves;

    private final boolean movesEnabled;

    /**
     * Creates the extension, without moves.
     * @param dataSource the DDM data source
     */
    public DdmEndpointWebExtension(DdmDataSource dataSource) {
        this(dataSource, null, null, false);
    }

    /**
     * Creates the extension.
     * @param dataSource the DDM data source
     * @param endpoint the endpoint, whose table operation shares a path with {@code /moves/{id}}
     * @param moves the data source's moves, or {@code null}
     * @param movesEnabled whether moves may be started and aborted over HTTP ({@code ddm.moves.enabled})
     */
    public DdmEndpointWebExtension(DdmDataSource dataSource, @Nullable DdmEndpoint endpoint, @Nullable ShardMoves moves,
            boolean movesEnabled) {
        this.dataSource = dataSource;
        this.endpoint = endpoint;
        this.moves = moves;
        this.movesEnabled = movesEnabled;
    }

    /**
     * Moves a sequence forward.
     * @param section {@code sequences}
     * @param name the sequence's name (its logical table)
     * @param value the lowest value to hand out from now on
     * @return the sequence after the move, 404 for an unknown section or sequence
     */
    @WriteOperation
    public WebEndpointResponse<SequenceDescriptor> moveSequence(@Selector String section, @Selector String name, long value) {
        if (!SEQUENCES.equals(section) || !this.dataSource.getSequences().names().contains(name)) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        try {
            return new WebEndpointResponse<>(SequenceDescriptor.of(this.dataSource.getSequences().moveTo(name, value)));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidEndpointRequestException(ex.getMessage(), "Refused sequence move");
        }
    }

    /**
     * The moves this instance knows.
     * @param section {@code moves}
     * @return the moves, oldest first; 404 for another section
     */
    @ReadOperation
    public WebEndpointResponse<List<MoveDescriptor>> moves(@Selector String section) {
        if (!MOVES.equals(section) || this.moves == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(this.moves.list().stream().map(ShardMove::descriptor).toList());
    }

    /**
     * One move, or one table ({@code /tables/{table}}).
     * @param section {@code moves} or {@code tables}
     * @param name the move's id or the table's name
     * @return the descriptor, 404 when unknown
     */
    @ReadOperation
    public WebEndpointResponse<Object> sectionEntry(@Selector String section, @Selector String name) {
        Object result = null;
        if (MOVES.equals(section) && this.moves != null) {
            result = this.moves.find(name).map(ShardMove::descriptor).orElse(null);
        }
        else if (this.endpoint != null) {
            result = this.endpoint.table(section, name);
        }
        return (result != null) ? new WebEndpointResponse<>(result) : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }

    /**
     * Starts a shard move.
     * @param section {@code moves}
     * @param shard the shard index
     * @param target the target node
     * @return the move's descriptor (202), or the refusal
     */
    @WriteOperation
    public WebEndpointResponse<Object> startMove(@Selector String section, int shard, String target) {
        if (!MOVES.equals(section) || this.moves == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        if (!this.movesEnabled) {
            return refusedWhileDisabled();
        }
        try {
            return new WebEndpointResponse<>(this.moves.start(shard, target).descriptor(), STATUS_ACCEPTED);
        }
        catch (IllegalArgumentException ex) {
            // The reason in the body: Boot's error page leaves an exception's message out by default.
            return new WebEndpointResponse<>(Map.of("error", ex.getMessage()), WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        catch (IllegalStateException ex) {
            return new WebEndpointResponse<>(Map.of("error", ex.getMessage()), STATUS_CONFLICT);
        }
    }

    /**
     * Aborts a move that has not switched yet.
     * @param section {@code moves}
     * @param id the move's id
     * @return the move's descriptor, 404 for an unknown move, 409 once it switched or ended
     */
    @DeleteOperation
    public WebEndpointResponse<Object> abortMove(@Selector String section, @Selector String id) {
        if (!MOVES.equals(section) || this.moves == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        if (!this.movesEnabled) {
            return refusedWhileDisabled();
        }
        ShardMove move = this.moves.find(id).orElse(null);
        if (move == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        try {
            return new WebEndpointResponse<>(move.abort());
        }
        catch (IllegalStateException ex) {
            return new WebEndpointResponse<>(Map.of("error", ex.getMessage()), STATUS_CONFLICT);
        }
    }

    private static WebEndpointResponse<Object> refusedWhileDisabled() {
        return new WebEndpointResponse<>(Map.of("error", "Shard moves over HTTP are disabled. Set ddm.moves.enabled=true to allow"
                + " them (and secure the endpoint like any write operation)."), STATUS_FORBIDDEN);
    }

}
