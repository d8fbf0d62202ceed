package io.github.twodwsgi.gateway;

/**
 * A request that cannot be expressed as a PEP 3333 environ; the client gets 400.
 */
public class BadRequestException extends RuntimeException {

	public BadRequestException(String message) {
		super(message);
	}

}
