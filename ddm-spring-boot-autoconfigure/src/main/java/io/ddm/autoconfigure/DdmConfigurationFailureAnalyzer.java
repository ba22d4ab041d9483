package io.ddm.autoconfigure;

import io.ddm.config.DdmConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link DdmConfigurationException}: which property is wrong, why, and what to change.
 */
class DdmConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<DdmConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DdmConfigurationException cause) {
        // A property path, or, for servers from connection details (Testcontainers, Docker Compose), where they came from.
        String label = cause.getProperty().startsWith("ddm.") ? "Property" : "Source";
        String description = "DDM's configuration is invalid:\n\n    " + label + ": " + cause.getProperty() + "\n    Problem: "
                + cause.getProblem() + "\n";
        return new FailureAnalysis(description, cause.getAction(), cause);
    }

}
