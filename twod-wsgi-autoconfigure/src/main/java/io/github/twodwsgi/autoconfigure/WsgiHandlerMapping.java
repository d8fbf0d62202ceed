package io.github.twodwsgi.autoconfigure;

import java.util.Comparator;
import java.util.List;

import io.github.twodwsgi.WsgiApplication;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.handler.AbstractHandlerMapping;

/**
 * Maps requests under an app's mount path to its {@link WsgiApplication} inside Spring MVC; the
 * longest mount wins. In a servlet container, apps mounted below the root have servlets of their own
 * and never get here; an app mounted at the root does, after Spring's own mappings, so it gets what
 * Spring does not handle. MockMvc, which drives {@code DispatcherServlet} alone, reaches every app
 * here. (The app itself serves only a request's own dispatch: see {@code MountHandler}.)
 */
public class WsgiHandlerMapping extends AbstractHandlerMapping {

	private final List<WsgiApplication> applications;

	public WsgiHandlerMapping(List<WsgiApplication> applications) {
		this.applications = applications.stream()
			.sorted(Comparator.comparingInt((WsgiApplication app) -> app.getMount().length()).reversed())
			.toList();
	}

	public List<WsgiApplication> getApplications() {
		return this.applications;
	}

	@Override
	protected Object getHandlerInternal(HttpServletRequest request) {
		String path = WsgiApplication.pathWithinApplication(request);
		for (WsgiApplication application : this.applications) {
			if (application.matches(path)) {
				return application;
			}
		}
		return null;
	}

}
