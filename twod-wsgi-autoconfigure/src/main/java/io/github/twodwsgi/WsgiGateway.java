package io.github.twodwsgi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import io.github.twodwsgi.gateway.BadRequestException;
import io.github.twodwsgi.gateway.CallPaths;
import io.github.twodwsgi.gateway.Environ;
import io.github.twodwsgi.gateway.WsgiGatewayException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.Assert;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Calls the configured WSGI apps from Java: the Spring form of the original twod.wsgi's
 * {@code call_wsgi_app} and {@code make_wsgi_view}.
 * <p>
 * A call hands the current request to an app with its own SCRIPT_NAME and PATH_INFO: PATH_INFO is
 * the given end of the request's path, SCRIPT_NAME everything before it. The route's URI template
 * variables reach the app as {@code wsgiorg.routing_args}, the request's principal as
 * {@code REMOTE_USER}. The caller's request is not changed; the app reads its body if it reads
 * {@code wsgi.input}.
 *
 * <pre class="code">
 * &#64;GetMapping("/shop/{*rest}")
 * ResponseEntity&lt;StreamingResponseBody&gt; shop(HttpServletRequest request) {
 *     WsgiResponse response = gateway.call("shop", request);
 *     response.headers().add("X-Served-By", "shop");
 *     return response.toResponseEntity();
 * }
 *
 * &#64;Bean
 * RouterFunction&lt;ServerResponse&gt; wiki(WsgiGateway gateway) {
 *     return route(GET("/wiki/{*rest}"), gateway.handler("wiki"));
 * }
 * </pre>
 */
public class WsgiGateway {

	/** The environ key of the route's URI template variables, per the wsgiorg routing_args spec. */
	public static final String ROUTING_ARGS = "wsgiorg.routing_args";

	private final Map<String, WsgiApplication> applications = new TreeMap<>();

	public WsgiGateway(Collection<WsgiApplication> applications) {
		applications.forEach((application) -> this.applications.put(application.getName(), application));
	}

	/**
	 * Calls an app with PATH_INFO set to the part of the path that the matched Spring pattern leaves to
	 * its trailing wildcard ({@code /shop/{*rest}} or {@code /shop/**}).
	 * @see #call(String, HttpServletRequest, String, Consumer)
	 */
	public WsgiResponse call(String app, HttpServletRequest request) {
		return call(app, request, CallPaths.matchedTail(request), (environ) -> {
		});
	}

	/**
	 * Calls an app.
	 * @see #call(String, HttpServletRequest, String, Consumer)
	 */
	public WsgiResponse call(String app, HttpServletRequest request, String pathInfo) {
		return call(app, request, pathInfo, (environ) -> {
		});
	}

	/**
	 * Calls an app and returns its response once its status and headers are known; the body streams
	 * as it is read.
	 * @param app the app's name
	 * @param request the current request, left unchanged
	 * @param pathInfo the app's PATH_INFO: the end of the request's path, empty or starting with
	 * {@code /}, decoded or as sent
	 * @param environ may add or change environ keys for this call (after the
	 * {@link WsgiEnvironCustomizer}s): strings, or booleans, numbers, {@code null}, lists (which become
	 * tuples) and maps of these
	 * @throws WsgiApplicationCallException if {@code pathInfo} is not the end of the request's path
	 * @throws WsgiGatewayException if the app raised before its response started, or no worker was
	 * free, or the worker failed or timed out (its status is the one a mounted app would answer with)
	 * @throws IllegalArgumentException if no app has that name, or an environ value has a type Python
	 * cannot be given
	 */
	public WsgiResponse call(String app, HttpServletRequest request, String pathInfo,
			Consumer<Map<String, Object>> environ) {
		WsgiApplication application = application(app);
		Map<String, Object> values;
		try {
			CallPaths paths = CallPaths.split(request, pathInfo);
			values = Environ.of(request, paths.scriptName(), paths.pathInfo(),
					application.getLimits().maxHeaderSize());
		}
		catch (BadRequestException ex) {
			throw WsgiGatewayException.badRequest(ex);
		}
		Map<String, String> variables = CallPaths.uriVariables(request);
		if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) != null) {
			values.put(ROUTING_ARGS, List.of(List.of(), variables));
		}
		return application.call(request, values, environ);
	}

	/**
	 * A handler function that serves a whole route with an app, the Java {@code make_wsgi_view}:
	 * {@code route(GET("/wiki/{*rest}"), gateway.handler("wiki"))} gives the app PATH_INFO = the
	 * captured rest of the path, and the route's variables as {@code wsgiorg.routing_args}.
	 * @throws IllegalArgumentException if no app has that name
	 */
	public HandlerFunction<ServerResponse> handler(String app) {
		application(app);
		return (request) -> {
			WsgiResponse response = call(app, request.servletRequest());
			return ServerResponse.ok().build((servletRequest, servletResponse) -> {
				response.writeTo(servletResponse);
				return null;
			});
		};
	}

	/**
	 * Sends the app a GET with no body and no servlet request behind it, for startup hooks and
	 * warm-ups: SCRIPT_NAME is the app's mount, the server {@code localhost}, and the
	 * {@link WsgiEnvironCustomizer}s do not run. Close the response.
	 * @param pathAndQuery PATH_INFO, percent-encoded, optionally followed by {@code ?query}
	 * @throws WsgiGatewayException if the app raised, or no worker was free, or the worker failed
	 */
	public WsgiResponse get(String app, String pathAndQuery) {
		return application(app).get(pathAndQuery);
	}

	/**
	 * The app of that name.
	 * @throws IllegalArgumentException if there is none
	 */
	public WsgiApplication application(String name) {
		WsgiApplication application = this.applications.get(name);
		Assert.isTrue(application != null,
				() -> "No WSGI app named '" + name + "'; the configured apps are " + this.applications.keySet());
		return application;
	}

}
