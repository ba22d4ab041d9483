package io.ddm.config;

/**
 * A DDM configuration that cannot work, found at startup before any connection is opened. Names the
 * offending property, what is wrong with it and what to do.
 */
public class DdmConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    private final String problem;

    private final String action;

    /**
     * Creates an exception.
     * @param property full property path, e.g. {@code ddm.placement.ds2}
     * @param problem what is wrong
     * @param action what the user should do
     */
    public DdmConfigurationException(String property, String problem, String action) {
        super(property + ": " + problem);
        this.property = property;
        this.problem = problem;
        this.action = action;
    }

    public String getProperty() {
        return this.property;
    }

    public String getProblem() {
        return this.problem;
    }

    public String getAction() {
        return this.action;
    }

}
