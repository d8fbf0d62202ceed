package io.github.twodwsgi.autoconfigure;

import java.util.Comparator;
import java.util.List;

import io.github.twodwsgi.WsgiApplication;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.servlet.handler.AbstractHandlerMapping;

/**
 * Maps requests under an app's mount path to its {@link WsgiApplication}; the longest mount wins.
 * Apps mounted below the root take precedence over Spring's own mappings (the mount owns its
 * subtree); an app mounted at the root comes after them, so it gets what Spring does not handle.
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
