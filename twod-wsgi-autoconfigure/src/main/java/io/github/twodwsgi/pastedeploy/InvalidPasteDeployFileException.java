package io.github.twodwsgi.pastedeploy;

/**
 * A PasteDeploy {@code .ini} file that cannot be turned into settings: unreadable, malformed, a
 * {@code use} that cannot be followed or that loops, an unknown {@code %(name)s}.
 */
public class InvalidPasteDeployFileException extends RuntimeException {

	public InvalidPasteDeployFileException(String message) {
		super(message);
	}

	public InvalidPasteDeployFileException(String message, Throwable cause) {
		super(message, cause);
	}

}
