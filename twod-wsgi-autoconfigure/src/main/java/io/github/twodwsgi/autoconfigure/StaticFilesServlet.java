package io.github.twodwsgi.autoconfigure;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.github.twodwsgi.WsgiApplication;

import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Serves a static directory that lies under an app's mount ({@code /shop/static}) at
 * {@code <path>/*}: the container prefers this longer mapping to the mount's, so the files are
 * served without a Python worker, as they are elsewhere through Spring MVC.
 */
final class StaticFilesServlet extends HttpServlet {

	private final String path;

	private final transient ResourceHttpRequestHandler handler;

	/**
	 * @param path where the files are served, e.g. {@code /shop/static}
	 * @param handler Spring's resource handling for the directory
	 */
	StaticFilesServlet(String path, ResourceHttpRequestHandler handler) {
		this.path = path;
		this.handler = handler;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		String within = WsgiApplication.pathWithinApplication(request).substring(this.path.length());
		// As Spring MVC's handler mapping would give it: still encoded, without the leading slash.
		request.setAttribute(HandlerMapping.PATH_WITHIN_HANDLER_MAPPING_ATTRIBUTE,
				within.startsWith("/") ? within.substring(1) : within);
		try {
			this.handler.handleRequest(request, response);
		}
		catch (ServletException ex) {
			if (!(ex instanceof ErrorResponse answer)) {
				throw ex;
			}
			// What Spring MVC's exception resolvers make of these: 404 for a missing file, 405...
			answer.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
			response.sendError(answer.getStatusCode().value());
		}
	}

}
