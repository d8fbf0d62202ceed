package io.github.twodwsgi.autoconfigure;

/**
 * The {@code twod.wsgi.*} properties describe apps that cannot be mounted.
 */
public class InvalidWsgiConfigurationException extends RuntimeException {

	private final String property;

	public InvalidWsgiConfigurationException(String property, String message) {
		super(property + ": " + message);
		this.property = property;
	}

	/** The property at fault, e.g. {@code twod.wsgi.apps.shop.app}. */
	public String getProperty() {
		return this.property;
	}

}
