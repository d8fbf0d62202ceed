package io.github.twodwsgi.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.twodwsgi.WsgiApplication;
import io.github.twodwsgi.WsgiEnvironCustomizer;
import io.github.twodwsgi.environment.PythonEnvironments;
import io.github.twodwsgi.WsgiMiddleware;
import io.github.twodwsgi.autoconfigure.WsgiProperties.App;
import io.github.twodwsgi.worker.RunDirectory;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link WsgiApplication} bean, named {@code <name>WsgiApplication}, per app under
 * {@code twod.wsgi.apps}, unless a bean of that name exists already. Checks what can only be
 * checked across apps: names, required keys, and that no two apps share a mount.
 */
class WsgiApplicationRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	static final String BEAN_NAME_SUFFIX = "WsgiApplication";

	private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

	private Environment environment;

	private BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, App> apps = Binder.get(this.environment)
			.bind("twod.wsgi.apps", Bindable.mapOf(String.class, App.class))
			.orElse(Map.of());
		Map<String, String> mounts = new HashMap<>();
		apps.forEach((name, app) -> {
			validate(name, app, mounts);
			String beanName = name + BEAN_NAME_SUFFIX;
			if (!registry.containsBeanDefinition(beanName)) {
				RootBeanDefinition definition = new RootBeanDefinition(WsgiApplication.class,
						() -> factory().create(name));
				definition.setDependsOn(WsgiAutoConfiguration.RUN_DIRECTORY_BEAN_NAME);
				registry.registerBeanDefinition(beanName, definition);
			}
		});
	}

	private WsgiApplicationFactory factory() {
		return new WsgiApplicationFactory(this.beanFactory.getBean(WsgiProperties.class),
				this.beanFactory.getBean(RunDirectory.class),
				this.beanFactory.getBeanProvider(WsgiMiddleware.class).orderedStream().toList(),
				this.beanFactory.getBeanProvider(WsgiEnvironCustomizer.class).orderedStream().toList(),
				(ConfigurableEnvironment) this.environment, this.beanFactory.getBean(PythonEnvironments.class));
	}

	private static void validate(String name, App app, Map<String, String> mounts) {
		String prefix = "twod.wsgi.apps." + name;
		if (!APP_NAME.matcher(name).matches()) {
			throw new InvalidWsgiConfigurationException(prefix,
					"'" + name + "' is not a valid app name: use lowercase letters, digits and '-'");
		}
		if (app.getApp() == null) {
			throw new InvalidWsgiConfigurationException(prefix + ".app",
					"no WSGI callable is set: give it as 'module:callable', e.g. 'myproject.wsgi:application'");
		}
		String mount = WsgiApplicationFactory.mount(name, app);
		String other = mounts.putIfAbsent(mount, name);
		if (other != null) {
			throw new InvalidWsgiConfigurationException(prefix + ".mount",
					"apps '" + other + "' and '" + name + "' are both mounted at " + mount);
		}
	}

}
