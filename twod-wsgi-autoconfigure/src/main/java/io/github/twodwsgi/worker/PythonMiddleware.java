package io.github.twodwsgi.worker;

import java.util.Map;

/**
 * One WSGI middleware for the worker to wrap the app in: {@code factory(app, **args)}.
 *
 * @param factory the middleware factory, {@code module:callable}
 * @param args keyword arguments of the factory: strings, booleans, numbers, null, lists and maps
 */
public record PythonMiddleware(String factory, Map<String, Object> args) {

	public PythonMiddleware {
		args = Map.copyOf(args);
	}

}
