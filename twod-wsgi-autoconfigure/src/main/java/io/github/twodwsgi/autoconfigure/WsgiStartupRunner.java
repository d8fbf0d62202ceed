package io.github.twodwsgi.autoconfigure;

import java.util.List;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.WsgiGateway;
import io.github.twodwsgi.WsgiStartupHook;
import io.github.twodwsgi.WsgiStartupHookException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;

/**
 * Runs the startup hooks once the application has started: first each app's Python once hooks (in a
 * process of the app), then the {@link WsgiStartupHook} beans in their order. Mounted apps with once
 * hooks hold their requests until then. As an {@link ApplicationRunner}, it finishes before Spring
 * Boot reports the application ready to accept traffic.
 */
public class WsgiStartupRunner implements ApplicationRunner, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(WsgiStartupRunner.class);

	private final List<WsgiApplication> applications;

	private final List<WsgiStartupHook> hooks;

	private final WsgiGateway gateway;

	public WsgiStartupRunner(List<WsgiApplication> applications, List<WsgiStartupHook> hooks, WsgiGateway gateway) {
		this.applications = applications;
		this.hooks = hooks;
		this.gateway = gateway;
	}

	@Override
	public void run(ApplicationArguments args) {
		for (WsgiApplication application : this.applications) {
			application.runOnceHooks();
		}
		for (WsgiStartupHook hook : this.hooks) {
			String name = hook.getClass().getName();
			logger.debug("Running WSGI startup hook {}", name);
			try {
				hook.onStartup(this.gateway);
			}
			catch (Exception ex) {
				throw new WsgiStartupHookException(name, ex);
			}
		}
		this.applications.forEach(WsgiApplication::openToTraffic);
	}

	@Override
	public int getOrder() {
		return WsgiStartupHook.RUNNER_ORDER;
	}

}
