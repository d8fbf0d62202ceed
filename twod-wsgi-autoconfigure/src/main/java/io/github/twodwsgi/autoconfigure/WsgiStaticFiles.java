package io.github.twodwsgi.autoconfigure;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.twodwsgi.autoconfigure.WsgiProperties.App;
import io.github.twodwsgi.autoconfigure.WsgiProperties.StaticFiles;
import jakarta.servlet.ServletContext;

import org.springframework.context.ApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Serves the static directories configured beside the apps ({@code twod.wsgi.apps.<name>.static})
 * with Spring's resource handling: ETag, Last-Modified, Cache-Control, conditional and range
 * requests, and no way out of the directory. No Python worker is involved.
 */
final class WsgiStaticFiles {

	private WsgiStaticFiles() {
	}

	/** A handler mapping for every configured static directory, or {@code null} if there is none. */
	static SimpleUrlHandlerMapping handlerMapping(WsgiProperties properties, ApplicationContext context,
			ServletContext servletContext) throws Exception {
		Map<String, Object> handlers = new LinkedHashMap<>();
		handlers(properties, context, servletContext).forEach((path, handler) -> handlers.put(path + "/**", handler));
		if (handlers.isEmpty()) {
			return null;
		}
		SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(handlers);
		mapping.setApplicationContext(context);
		return mapping;
	}

	/** A handler for every configured static directory, by its path ({@code /media}). */
	static Map<String, ResourceHttpRequestHandler> handlers(WsgiProperties properties, ApplicationContext context,
			ServletContext servletContext) throws Exception {
		Map<String, ResourceHttpRequestHandler> handlers = new LinkedHashMap<>();
		for (Map.Entry<String, App> app : properties.getApps().entrySet()) {
			int index = 0;
			for (StaticFiles files : app.getValue().getStatic()) {
				String property = "twod.wsgi.apps." + app.getKey() + ".static[" + index++ + "]";
				if (files.getPath() == null || files.getLocation() == null) {
					throw new InvalidWsgiConfigurationException(property, "needs both a path and a location");
				}
				if (handlers.put(files.getPath(), handler(files, context, servletContext)) != null) {
					throw new InvalidWsgiConfigurationException(property + ".path",
							"static files are served at " + files.getPath() + " twice");
				}
			}
		}
		return handlers;
	}

	private static ResourceHttpRequestHandler handler(StaticFiles files, ApplicationContext context,
			ServletContext servletContext) throws Exception {
		ResourceHttpRequestHandler handler = new ResourceHttpRequestHandler();
		handler.setLocationValues(List.of(directory(files.getLocation())));
		handler.setEtagGenerator(WsgiStaticFiles::etag);
		long maxAge = files.getCacheMaxAge().toSeconds();
		handler.setCacheControl((maxAge > 0) ? CacheControl.maxAge(maxAge, TimeUnit.SECONDS) : CacheControl.noCache());
		handler.setApplicationContext(context);
		if (servletContext != null) {
			handler.setServletContext(servletContext);
		}
		handler.afterPropertiesSet();
		return handler;
	}

	/** A location as Spring resolves it: with a scheme, and ending with "/" so it is a directory. */
	private static String directory(String location) {
		String resolved = location.contains(":") ? location : Path.of(location).toAbsolutePath().toUri().toString();
		return resolved.endsWith("/") ? resolved : resolved + "/";
	}

	/** A weak validator from the file's modification time and size: cheap, and changes with the file. */
	private static String etag(Resource resource) {
		try {
			return "\"" + Long.toHexString(resource.lastModified()) + "-" + Long.toHexString(resource.contentLength())
					+ "\"";
		}
		catch (IOException ex) {
			return null;
		}
	}

}
