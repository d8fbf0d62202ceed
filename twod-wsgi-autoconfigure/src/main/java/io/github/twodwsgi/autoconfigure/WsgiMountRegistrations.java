package io.github.twodwsgi.autoconfigure;

import java.util.List;
import java.util.Map;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.gateway.WsgiMountServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;

import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Gives every app mounted below the root a servlet of its own at {@code <mount>/*} (the container
 * then routes its requests there, past {@code DispatcherServlet}), and every static directory that
 * lies under such a mount a servlet at {@code <path>/*}. An app mounted at the root stays a Spring MVC
 * handler: it serves what Spring's controllers do not.
 */
final class WsgiMountRegistrations implements ServletContextInitializer {

	/** Suffix of a mount servlet's name: {@code flask} is served by {@code flaskWsgiMount}. */
	static final String SERVLET_NAME_SUFFIX = "WsgiMount";

	private final List<WsgiApplication> applications;

	private final WsgiProperties properties;

	private final ApplicationContext context;

	WsgiMountRegistrations(List<WsgiApplication> applications, WsgiProperties properties, ApplicationContext context) {
		this.applications = applications;
		this.properties = properties;
		this.context = context;
	}

	/** The name of the servlet that serves an app's requests in a container. */
	static String servletName(WsgiApplication application) {
		return application.getName() + SERVLET_NAME_SUFFIX;
	}

	@Override
	public void onStartup(ServletContext servletContext) throws ServletException {
		for (WsgiApplication application : this.applications) {
			if (application.getMount().equals("/")) {
				continue;
			}
			ServletRegistration.Dynamic servlet = servletContext.addServlet(servletName(application),
					new WsgiMountServlet(application));
			servlet.addMapping(application.getMount() + "/*");
			servlet.setAsyncSupported(true);
		}
		registerStaticFilesUnderMounts(servletContext);
	}

	private void registerStaticFilesUnderMounts(ServletContext servletContext) throws ServletException {
		Map<String, ResourceHttpRequestHandler> handlers;
		try {
			handlers = WsgiStaticFiles.handlers(this.properties, this.context, servletContext);
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new ServletException("The static files of the WSGI apps cannot be served", ex);
		}
		handlers.forEach((path, handler) -> {
			if (isUnderAMount(path)) {
				ServletRegistration.Dynamic servlet = servletContext.addServlet("twodWsgiStatic:" + path,
						new StaticFilesServlet(path, handler));
				servlet.addMapping(path + "/*");
			}
		});
	}

	private boolean isUnderAMount(String path) {
		return this.applications.stream()
			.anyMatch((application) -> !application.getMount().equals("/") && application.matches(path));
	}

}
