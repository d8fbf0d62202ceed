package io.github.twodwsgi.gateway;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter in front of every mounted app: wraps the request in a {@link MountedRequest}, so
 * that no filter after it can consume the body the app is to read, and removes the request's
 * buffered body (its temporary file) when the request ends, whatever happened. The container maps it
 * to the mounts' URL patterns, so it sees exactly the paths the container routes to the mounts.
 */
public final class MountedRequestFilter extends OncePerRequestFilter {

	private final Map<String, MountedRequest.BodyPolicy> policiesByServlet;

	/**
	 * @param policiesByServlet the body policy of each mount, by the name of the servlet that serves
	 * it ({@code dispatcherServlet} for an app mounted at the root)
	 */
	public MountedRequestFilter(Map<String, MountedRequest.BodyPolicy> policiesByServlet) {
		this.policiesByServlet = Map.copyOf(policiesByServlet);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpServletMapping mapping = request.getHttpServletMapping();
		MountedRequest.BodyPolicy policy = (mapping != null) ? this.policiesByServlet.get(mapping.getServletName())
				: null;
		if (policy == null || MountedRequest.of(request) != null) {
			chain.doFilter(request, response);
			return;
		}
		try (MountedRequest mounted = MountedRequest.wrap(request, policy)) {
			chain.doFilter(mounted, response);
		}
	}

}
