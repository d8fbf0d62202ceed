package io.github.twodwsgi.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.twodwsgi.WsgiApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.http.server.PathContainer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.MappedInterceptor;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Warns at startup about each Spring MVC {@code HandlerInterceptor} whose path patterns cover an app
 * mounted below the root: mounted requests never enter {@code DispatcherServlet}, so such an
 * interceptor guards nothing there, and nobody should believe a Python app is guarded when it is not.
 */
final class MountInterceptorCheck implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(MountInterceptorCheck.class);

	private final List<WsgiApplication> applications;

	private final List<WebMvcConfigurer> configurers;

	MountInterceptorCheck(List<WsgiApplication> applications, List<WebMvcConfigurer> configurers) {
		this.applications = applications;
		this.configurers = configurers;
	}

	@Override
	public void afterSingletonsInstantiated() {
		for (String warning : warnings()) {
			logger.warn(warning);
		}
	}

	/** One line per interceptor and mount it seems to guard. */
	List<String> warnings() {
		InspectingRegistry registry = new InspectingRegistry();
		for (WebMvcConfigurer configurer : this.configurers) {
			try {
				configurer.addInterceptors(registry);
			}
			catch (RuntimeException ex) {
				// Asked a second time, outside Spring MVC's own setup: not worth failing startup over.
				logger.debug("Could not list the interceptors of {}", configurer, ex);
			}
		}
		List<String> warnings = new ArrayList<>();
		for (Object interceptor : registry.interceptors()) {
			String[] patterns = (interceptor instanceof MappedInterceptor mapped) ? mapped.getIncludePathPatterns() : null;
			String[] excluded = (interceptor instanceof MappedInterceptor mapped) ? mapped.getExcludePathPatterns() : null;
			Object target = (interceptor instanceof MappedInterceptor mapped) ? mapped.getInterceptor() : interceptor;
			for (WsgiApplication application : this.applications) {
				String mount = application.getMount();
				if (!mount.equals("/") && covers(patterns, mount) && (excluded == null || !covers(excluded, mount))) {
					warnings.add("The HandlerInterceptor " + target.getClass().getName() + " (path patterns "
							+ ((patterns != null) ? Arrays.toString(patterns) : "all") + ") does not apply to WSGI app '"
							+ application.getName() + "' mounted at " + mount + ": mounted requests do not pass Spring "
							+ "MVC's interceptors. Guard the app with a servlet filter or Spring Security instead.");
				}
			}
		}
		return warnings;
	}

	/** Whether the patterns match the mount or paths below it ({@code null}: every path). */
	private static boolean covers(String[] patterns, String mount) {
		if (patterns == null) {
			return true;
		}
		for (String text : patterns) {
			PathPattern pattern = PathPatternParser.defaultInstance.parse(text);
			if (pattern.matches(PathContainer.parsePath(mount)) || pattern.matches(PathContainer.parsePath(mount + "/x"))
					|| text.startsWith(mount + "/")) {
				return true;
			}
		}
		return false;
	}

	/** Gives access to what the configurers register. */
	private static final class InspectingRegistry extends InterceptorRegistry {

		List<Object> interceptors() {
			return getInterceptors();
		}

	}

}
