package io.github.twodwsgi.autoconfigure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.WsgiGateway;
import io.github.twodwsgi.environment.PythonEnvironments;
import io.github.twodwsgi.WsgiStartupHook;
import io.github.twodwsgi.gateway.AbortedResponseFilter;
import io.github.twodwsgi.gateway.MountedRequest;
import io.github.twodwsgi.gateway.MountedRequestFilter;
import io.github.twodwsgi.worker.RunDirectory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;

import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * Auto-configuration that mounts the Python WSGI apps configured
 * under {@code twod.wsgi.apps} in a servlet web application.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBooleanProperty(name = "twod.wsgi.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WsgiProperties.class)
@Import(WsgiApplicationRegistrar.class)
public final class WsgiAutoConfiguration {

	static final String RUN_DIRECTORY_BEAN_NAME = "twodWsgiRunDirectory";

	/** Apps below the root come before Spring's own handler mappings. */
	static final int MOUNT_ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

	/** Static files beside the apps come first, even when they live under an app's mount. */
	static final int STATIC_ORDER = MOUNT_ORDER - 1;

	/** Spring Boot's name for DispatcherServlet's registration, which serves an app mounted at the root. */
	static final String DISPATCHER_SERVLET_NAME = "dispatcherServlet";

	/** Before every other filter, so that none can consume a mounted request's body. */
	static final int MOUNTED_REQUEST_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE;

	/** An app at the root comes after Spring's controllers and routes, before static resources. */
	static final int ROOT_MOUNT_ORDER = Ordered.LOWEST_PRECEDENCE - 10;

	@Bean(name = RUN_DIRECTORY_BEAN_NAME, destroyMethod = "close")
	RunDirectory twodWsgiRunDirectory() {
		return RunDirectory.create();
	}

	@Bean
	@ConditionalOnMissingBean
	PythonEnvironments pythonEnvironments(WsgiProperties properties) {
		return PythonEnvironments.in(properties.getVenvCache());
	}

	@Bean
	@ConditionalOnMissingBean
	WsgiGateway wsgiGateway(ObjectProvider<WsgiApplication> applications) {
		return new WsgiGateway(applications.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	WsgiStartupRunner wsgiStartupRunner(ObjectProvider<WsgiApplication> applications,
			ObjectProvider<WsgiStartupHook> hooks, WsgiGateway gateway) {
		return new WsgiStartupRunner(applications.orderedStream().toList(), hooks.orderedStream().toList(), gateway);
	}

	@Bean
	@ConditionalOnMissingBean(name = "twodWsgiMountRegistrations")
	ServletContextInitializer twodWsgiMountRegistrations(ObjectProvider<WsgiApplication> applications,
			WsgiProperties properties, ApplicationContext context) {
		return new WsgiMountRegistrations(applications.orderedStream().toList(), properties, context);
	}

	/** First in every mounted request's filter chain: the body stays the app's, whatever the filters do. */
	@Bean
	@ConditionalOnMissingBean(name = "twodWsgiMountedRequestFilter")
	FilterRegistrationBean<MountedRequestFilter> twodWsgiMountedRequestFilter(
			ObjectProvider<WsgiApplication> applications) {
		Map<String, MountedRequest.BodyPolicy> policies = new HashMap<>();
		List<String> patterns = new ArrayList<>();
		applications.orderedStream().forEach((application) -> {
			boolean root = application.getMount().equals("/");
			String servlet = root ? DISPATCHER_SERVLET_NAME
					: WsgiMountRegistrations.servletName(application);
			policies.put(servlet, application.getBodyPolicy());
			patterns.add(root ? "/*" : application.getMount() + "/*");
		});
		FilterRegistrationBean<MountedRequestFilter> registration = new FilterRegistrationBean<>(
				new MountedRequestFilter(policies));
		registration.setOrder(MOUNTED_REQUEST_FILTER_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
		registration.setUrlPatterns(patterns);
		registration.setEnabled(!patterns.isEmpty());
		return registration;
	}

	/** Keeps DispatcherServlet's multipart resolution from consuming the body of a root mount's request. */
	@Bean
	static BeanPostProcessor twodWsgiRootMountMultipartResolver() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof MultipartResolver resolver && !(bean instanceof RootMountMultipartResolver))
						? new RootMountMultipartResolver(resolver) : bean;
			}
		};
	}

	/** On error dispatches: no error page is glued to a WSGI response that failed after it started. */
	@Bean
	@ConditionalOnMissingBean(name = "twodWsgiAbortedResponseFilter")
	FilterRegistrationBean<AbortedResponseFilter> twodWsgiAbortedResponseFilter() {
		FilterRegistrationBean<AbortedResponseFilter> registration = new FilterRegistrationBean<>(
				new AbortedResponseFilter());
		registration.setOrder(MOUNTED_REQUEST_FILTER_ORDER);
		registration.setDispatcherTypes(DispatcherType.ERROR);
		registration.addUrlPatterns("/*");
		return registration;
	}

	/** A warning for each MVC interceptor that looks as if it guarded a mounted app: it does not. */
	@Bean
	MountInterceptorCheck twodWsgiMountInterceptorCheck(ObjectProvider<WsgiApplication> applications,
			ObjectProvider<WebMvcConfigurer> configurers) {
		return new MountInterceptorCheck(applications.orderedStream().toList(), configurers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean(name = "twodWsgiHandlerMapping")
	WsgiHandlerMapping twodWsgiHandlerMapping(ObjectProvider<WsgiApplication> applications) {
		return mapping(applications.orderedStream().filter((app) -> !app.getMount().equals("/")).toList(),
				MOUNT_ORDER);
	}

	@Bean
	@ConditionalOnMissingBean(name = "twodWsgiRootHandlerMapping")
	WsgiHandlerMapping twodWsgiRootHandlerMapping(ObjectProvider<WsgiApplication> applications) {
		return mapping(applications.orderedStream().filter((app) -> app.getMount().equals("/")).toList(),
				ROOT_MOUNT_ORDER);
	}

	@Bean
	@ConditionalOnMissingBean(name = "twodWsgiStaticHandlerMapping")
	HandlerMapping twodWsgiStaticHandlerMapping(WsgiProperties properties, ApplicationContext context,
			ObjectProvider<ServletContext> servletContext) throws Exception {
		SimpleUrlHandlerMapping mapping = WsgiStaticFiles.handlerMapping(properties, context,
				servletContext.getIfAvailable());
		if (mapping == null) {
			return new WsgiHandlerMapping(List.of());
		}
		mapping.setOrder(STATIC_ORDER);
		return mapping;
	}

	private static WsgiHandlerMapping mapping(List<WsgiApplication> applications, int order) {
		WsgiHandlerMapping mapping = new WsgiHandlerMapping(applications);
		mapping.setOrder(order);
		return mapping;
	}

}
