package io.github.twodwsgi;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Adds or changes environ keys of every request to a WSGI app, mounted or called through
 * {@link WsgiGateway}: declare beans of this type, ordered with {@code @Order}.
 * <p>
 * Values must be strings (PEP 3333 native strings: what latin-1 cannot hold travels as UTF-8 bytes)
 * or booleans, numbers, {@code null}, lists (which become tuples) and maps of these; anything else
 * fails the request with an error that names the key.
 */
@FunctionalInterface
public interface WsgiEnvironCustomizer {

	/**
	 * Customizes the environ of a request.
	 * @param request the servlet request (not to be changed)
	 * @param environ the environ the app will get; SCRIPT_NAME tells which app it is for
	 */
	void customize(HttpServletRequest request, Map<String, Object> environ);

}
