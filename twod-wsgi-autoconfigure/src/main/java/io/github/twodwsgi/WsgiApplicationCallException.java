package io.github.twodwsgi;

/**
 * A {@link WsgiGateway#call call} whose {@code pathInfo} is not the end of the request's path: the
 * app could not be given a SCRIPT_NAME and PATH_INFO that add up to the URL the client asked for.
 */
public class WsgiApplicationCallException extends IllegalArgumentException {

	public WsgiApplicationCallException(String message) {
		super(message);
	}

}
