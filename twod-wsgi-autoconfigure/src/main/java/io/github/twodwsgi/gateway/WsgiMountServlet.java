package io.github.twodwsgi.gateway;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.HttpRequestHandler;

/**
 * The servlet of one app's mount ({@code <mount>/*}): mounted requests are served here, outside
 * Spring MVC's {@code DispatcherServlet}, so that no multipart resolution, handler mapping or MVC
 * exception handling touches them, while every servlet filter (Spring Security's included) still runs
 * in front. Every method goes to the app, as it would under a WSGI server.
 */
public final class WsgiMountServlet extends HttpServlet {

	private final transient HttpRequestHandler application;

	public WsgiMountServlet(HttpRequestHandler application) {
		this.application = application;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
		this.application.handleRequest(request, response);
	}

}
