package io.github.twodwsgi;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.twodwsgi.worker.PythonJson;
import io.github.twodwsgi.worker.PythonMiddleware;

import org.springframework.util.Assert;

/**
 * A Python WSGI middleware declared in Spring, which every worker wraps the app in at startup:
 * {@code factory(app, **args)}. Declare it as a bean, ordered with {@code @Order} (the lowest order is
 * outermost):
 *
 * <pre class="code">
 * &#64;Bean
 * &#64;Order(1)
 * WsgiMiddleware proxyFix() {
 *     return WsgiMiddleware.python("werkzeug.middleware.proxy_fix:ProxyFix", Map.of("x_for", 1, "x_proto", 1));
 * }
 * </pre>
 *
 * A middleware applies to every app unless {@link #forApps(String...)} names some. The same can be
 * declared with properties, {@code twod.wsgi.middleware} for all apps and
 * {@code twod.wsgi.apps.<name>.middleware} for one.
 */
public final class WsgiMiddleware {

	private static final Pattern FACTORY = Pattern
		.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

	private final String factory;

	private final Map<String, Object> args;

	private final Set<String> apps;

	private WsgiMiddleware(String factory, Map<String, Object> args, Set<String> apps) {
		this.factory = factory;
		this.args = args;
		this.apps = apps;
	}

	/** A middleware whose factory takes the app alone. */
	public static WsgiMiddleware python(String factory) {
		return python(factory, Map.of());
	}

	/**
	 * A middleware whose factory takes the app and keyword arguments.
	 * @param factory {@code module:callable}, e.g. {@code werkzeug.middleware.proxy_fix:ProxyFix}
	 * @param args keyword arguments: strings, booleans, numbers, null, lists and maps of these
	 * @throws IllegalArgumentException if the factory is not {@code module:callable} or an argument
	 * has a type Python cannot be given
	 */
	public static WsgiMiddleware python(String factory, Map<String, ?> args) {
		Assert.isTrue(factory != null && FACTORY.matcher(factory).matches(),
				() -> "WSGI middleware factory '" + factory + "' must be 'module:callable'");
		Map<String, Object> copy = new LinkedHashMap<>(args);
		PythonJson.of("the arguments of WSGI middleware " + factory, copy);
		return new WsgiMiddleware(factory, copy, Set.of());
	}

	/** This middleware for the named apps only. */
	public WsgiMiddleware forApps(String... apps) {
		return new WsgiMiddleware(this.factory, this.args, Set.copyOf(Arrays.asList(apps)));
	}

	public String getFactory() {
		return this.factory;
	}

	public Map<String, Object> getArgs() {
		return this.args;
	}

	/** Whether this middleware wraps the named app. */
	public boolean appliesTo(String app) {
		return this.apps.isEmpty() || this.apps.contains(app);
	}

	/** What the worker is told. */
	public PythonMiddleware toPython() {
		return new PythonMiddleware(this.factory, this.args);
	}

	@Override
	public String toString() {
		return "WsgiMiddleware " + this.factory + this.args + (this.apps.isEmpty() ? "" : " for " + this.apps);
	}

}
