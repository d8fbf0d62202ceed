package io.github.twodwsgi.gateway;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * On error dispatches only: keeps the container's error page out of a WSGI response that failed after
 * it had started ({@link GatewayErrors#abortStreamed}), so that nothing is appended to what the app
 * sent and the container just cuts the connection.
 */
public final class AbortedResponseFilter implements Filter {

	/** Set on a request whose started response was aborted. */
	public static final String ATTRIBUTE = AbortedResponseFilter.class.getName() + ".aborted";

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request.getAttribute(ATTRIBUTE) == null) {
			chain.doFilter(request, response);
		}
	}

}
