package io.github.twodwsgi.autoconfigure;

import io.github.twodwsgi.gateway.MountedRequest;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardMultipartHttpServletRequest;

/**
 * The application's multipart resolver, made lazy for the requests that may go to an app mounted at
 * the root. {@code DispatcherServlet} resolves multipart bodies before it knows which handler takes
 * the request; parsing them there would consume a body that the Python app is to read. For those
 * requests the parts are parsed only when a Spring handler asks for them (a {@code MultipartFile}
 * argument), and a request that ends at the root mount keeps its body whole.
 */
final class RootMountMultipartResolver implements MultipartResolver {

	private final MultipartResolver delegate;

	RootMountMultipartResolver(MultipartResolver delegate) {
		this.delegate = delegate;
	}

	@Override
	public boolean isMultipart(HttpServletRequest request) {
		return this.delegate.isMultipart(request);
	}

	@Override
	public MultipartHttpServletRequest resolveMultipart(HttpServletRequest request) throws MultipartException {
		if (MountedRequest.of(request) != null) {
			return new StandardMultipartHttpServletRequest(request, true);
		}
		return this.delegate.resolveMultipart(request);
	}

	@Override
	public void cleanupMultipart(MultipartHttpServletRequest request) {
		this.delegate.cleanupMultipart(request);
	}

}
