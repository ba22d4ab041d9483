package io.ddm.autoconfigure;

import io.ddm.datasource.NodeUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link NodeUnavailableException}: which node and server could not serve which shard database.
 */
class NodeUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<NodeUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NodeUnavailableException cause) {
        String description = "DDM could not start its topology:\n\n    " + cause.getMessage() + "\n";
        String property = "ddm.nodes." + cause.getNode();
        String action = cause.isMissingDatabase()
                ? "Create the shard databases on every primary (CREATE DATABASE " + cause.getDatabase()
                        + "), or set ddm.create-shard-databases=true to let DDM create the missing ones at startup."
                : "Make sure node '" + cause.getNode() + "' is running and reachable, and that its URL and credentials ("
                        + property + ", or the DdmConnectionDetails that name its servers, such as a Testcontainers or Docker"
                        + " Compose service connection) are right. DDM does not start with part of its topology missing.";
        return new FailureAnalysis(description, action, cause);
    }

}
