package io.github.twodwsgi.autoconfigure;

import java.util.function.IntConsumer;

import io.github.twodwsgi.environment.PythonEnvironments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@code twod.wsgi.prepare-only=true}: builds every app's Python environment as soon as the
 * configuration is known, then exits with status 0, before any bean (worker, web server, the
 * application's own) is created. A build that fails fails the start, with its failure analysis.
 */
public class PrepareOnlyListener implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(PrepareOnlyListener.class);

	private final IntConsumer exit;

	public PrepareOnlyListener() {
		this(System::exit);
	}

	PrepareOnlyListener(IntConsumer exit) {
		this.exit = exit;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		if (!environment.getProperty("twod.wsgi.prepare-only", Boolean.class, false)) {
			return;
		}
		WsgiProperties properties = Binder.get(environment)
			.bind("twod.wsgi", WsgiProperties.class)
			.orElseGet(WsgiProperties::new);
		if (!properties.isEnabled()) {
			properties.getApps().clear();
		}
		AppInterpreters interpreters = new AppInterpreters(properties,
				PythonEnvironments.in(properties.getVenvCache()));
		properties.getApps()
			.forEach((name, app) -> logger.info("WSGI app '{}' runs with {}", name, interpreters.interpreter(name, app)));
		logger.info("Prepared the Python environments of {} WSGI app(s); exiting (twod.wsgi.prepare-only)",
				properties.getApps().size());
		this.exit.accept(0);
	}

	/** After Spring Boot's logging is set up. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
