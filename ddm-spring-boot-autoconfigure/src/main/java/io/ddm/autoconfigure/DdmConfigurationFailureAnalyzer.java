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
        String description = "DDM's configuration is invalid:\n\n    Property: " + cause.getProperty() + "\n    Problem: "
                + cause.getProblem() + "\n";
        return new FailureAnalysis(description, cause.getAction(), cause);
    }

}
