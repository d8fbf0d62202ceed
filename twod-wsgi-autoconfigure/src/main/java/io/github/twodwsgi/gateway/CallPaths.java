package io.github.twodwsgi.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.WsgiApplicationCallException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.PathContainer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.util.UriUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * SCRIPT_NAME and PATH_INFO of an app called from a controller, by the rule of the original
 * {@code call_wsgi_app}: PATH_INFO is the given end of the request's path, SCRIPT_NAME everything
 * before it (context path included), so that the app builds URLs that lead back to the same place.
 *
 * @param scriptName SCRIPT_NAME, a native string
 * @param pathInfo PATH_INFO, a native string
 */
public record CallPaths(String scriptName, String pathInfo) {

	/**
	 * Splits the request's path before {@code pathInfo}, which may be given decoded (as
	 * {@code @PathVariable} gives it) or as sent (percent-encoded).
	 * @throws WsgiApplicationCallException if {@code pathInfo} is not the end of the request's path
	 */
	public static CallPaths split(HttpServletRequest request, String pathInfo) {
		String raw = WsgiApplication.pathWithinApplication(request);
		String contextPath = Environ.percentDecode(request.getContextPath());
		if (!pathInfo.isEmpty() && !pathInfo.startsWith("/")) {
			throw new WsgiApplicationCallException("path_info '" + pathInfo
					+ "' must be empty or start with '/' (it is the end of the request path '" + raw + "')");
		}
		String decoded = decode(raw);
		if (decoded.endsWith(pathInfo)) {
			String before = decoded.substring(0, decoded.length() - pathInfo.length());
			return new CallPaths(contextPath + utf8Bytes(before), utf8Bytes(pathInfo));
		}
		if (raw.endsWith(pathInfo)) {
			String before = raw.substring(0, raw.length() - pathInfo.length());
			return new CallPaths(contextPath + Environ.percentDecode(before), Environ.percentDecode(pathInfo));
		}
		throw new WsgiApplicationCallException(
				"path_info '" + pathInfo + "' is not the end of the request path '" + decoded + "'");
	}

	/**
	 * The part of the request path that the matched Spring pattern leaves to a wildcard: the value of
	 * a trailing {@code {*name}} variable, or what a trailing {@code /**} matched (with a leading
	 * {@code /}); empty when the pattern has no trailing wildcard.
	 * @throws IllegalStateException if no Spring handler mapping matched the request
	 */
	public static String matchedTail(HttpServletRequest request) {
		Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
		if (pattern == null) {
			throw new IllegalStateException("The request was not matched by a Spring handler mapping pattern, "
					+ "so its path cannot be split: pass the app's path_info to WsgiGateway.call explicitly");
		}
		String text = pattern.toString();
		PathPattern parsed = (pattern instanceof PathPattern given) ? given : PathPatternParser.defaultInstance.parse(text);
		int captureStart = text.lastIndexOf("/{*");
		if (captureStart >= 0 && text.endsWith("}")) {
			String variable = text.substring(captureStart + 3, text.length() - 1);
			String value = uriVariables(request).get(variable);
			return (value != null) ? value : "";
		}
		if (text.endsWith("/**")) {
			String path = decode(WsgiApplication.pathWithinApplication(request));
			String within = parsed.extractPathWithinPattern(PathContainer.parsePath(path)).value();
			return within.isEmpty() ? "" : "/" + within;
		}
		return "";
	}

	/**
	 * The URI template variables of the matched Spring pattern (of an annotated controller or a
	 * router function); empty if there are none.
	 */
	@SuppressWarnings("unchecked")
	public static Map<String, String> uriVariables(HttpServletRequest request) {
		Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		if (variables == null) {
			variables = request.getAttribute(RouterFunctions.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		}
		return (variables instanceof Map) ? (Map<String, String>) variables : Map.of();
	}

	/** A decoded path as PEP 3333 has it: its UTF-8 bytes (the URL's bytes) as a latin-1 string. */
	private static String utf8Bytes(String decodedPath) {
		return new String(decodedPath.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
	}

	private static String decode(String raw) {
		try {
			return UriUtils.decode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new BadRequestException("Malformed percent-encoding in request path: " + raw);
		}
	}

}
