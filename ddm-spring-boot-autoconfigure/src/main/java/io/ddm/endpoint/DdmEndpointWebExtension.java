package io.ddm.endpoint;

import io.ddm.datasource.DdmDataSource;
import io.ddm.endpoint.TopologyDescriptor.SequenceDescriptor;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
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
 * </ul>
 * It dispatches on the first selector, as the read operations do, and leaves one-selector writes to other sections.
 */
@EndpointWebExtension(endpoint = DdmEndpoint.class)
public class DdmEndpointWebExtension {

    private static final String SEQUENCES = "sequences";

    private final DdmDataSource dataSource;

    /**
     * Creates the extension.
     * @param dataSource the DDM data source
     */
    public DdmEndpointWebExtension(DdmDataSource dataSource) {
        this.dataSource = dataSource;
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

}
