package io.github.twodwsgi.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.FileSystemUtils;

/**
 * Applies {@link TemporaryDjangoDatabase}: a property source, first in precedence, that points the
 * apps' {@code DATABASES} at SQLite files in a temporary directory removed with the context.
 */
class TemporaryDjangoDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		TemporaryDjangoDatabase annotation = MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY)
			.get(TemporaryDjangoDatabase.class)
			.synthesize(MergedAnnotation::isPresent)
			.orElse(null);
		return (annotation != null) ? new Customizer(List.of(annotation.apps())) : null;
	}

	/** Sets up the databases for one test context; equal for the same apps, so contexts are cached. */
	private record Customizer(List<String> apps) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			Path directory = temporaryDirectory();
			Map<String, Object> properties = new LinkedHashMap<>();
			for (String app : this.apps) {
				String prefix = "twod.wsgi.apps." + app + ".settings.DATABASES.default.";
				properties.put(prefix + "ENGINE", "django.db.backends.sqlite3");
				properties.put(prefix + "NAME", directory.resolve(app + ".sqlite3").toString());
			}
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("temporaryDjangoDatabase " + Arrays.toString(this.apps.toArray()),
						properties));
			context.addApplicationListener((ApplicationListener<ContextClosedEvent>) (event) -> {
				if (event.getApplicationContext() == context) {
					FileSystemUtils.deleteRecursively(directory.toFile());
				}
			});
		}

		private static Path temporaryDirectory() {
			try {
				return Files.createTempDirectory("twod-wsgi-test-db-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create a directory for the temporary Django database", ex);
			}
		}

	}

}
