package io.github.twodwsgi.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.actuate.WsgiEndpoint;
import io.github.twodwsgi.actuate.WsgiHealthIndicator;
import io.github.twodwsgi.actuate.WsgiMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the WSGI apps' observability, each part when its library is there: the
 * health contributor {@code wsgi} (one component per app), the {@code wsgi} Actuator endpoint, and
 * the Micrometer meters.
 */
@AutoConfiguration(after = WsgiAutoConfiguration.class)
@ConditionalOnBean(WsgiAutoConfiguration.class)
public final class WsgiActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "wsgiHealthContributor")
		CompositeHealthContributor wsgiHealthContributor(ObjectProvider<WsgiApplication> applications) {
			Map<String, WsgiApplication> byName = new LinkedHashMap<>();
			applications.orderedStream().forEach((application) -> byName.put(application.getName(), application));
			return CompositeHealthContributor.fromMap(byName, WsgiHealthIndicator::new);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WsgiEndpoint wsgiEndpoint(ObjectProvider<WsgiApplication> applications) {
			return new WsgiEndpoint(applications.orderedStream().toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WsgiMeterBinder wsgiMeterBinder(ObjectProvider<WsgiApplication> applications) {
			List<WsgiApplication> all = applications.orderedStream().toList();
			return new WsgiMeterBinder(all);
		}

	}

}
