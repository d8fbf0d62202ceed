package io.github.twodwsgi.pastedeploy;

import java.util.List;

import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;

/**
 * Resolves {@code spring.config.import=pastedeploy:<location>} (a file path, {@code file:} or
 * {@code classpath:} location); {@code optional:pastedeploy:...} tolerates a missing file.
 */
public class PasteDeployConfigDataLocationResolver implements ConfigDataLocationResolver<PasteDeployConfigDataResource> {

	/** The prefix of the locations this resolver takes. */
	public static final String PREFIX = "pastedeploy:";

	private final ResourceLoader resourceLoader;

	public PasteDeployConfigDataLocationResolver(ResourceLoader resourceLoader) {
		this.resourceLoader = (resourceLoader != null) ? resourceLoader : new DefaultResourceLoader();
	}

	@Override
	public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
		return location.hasPrefix(PREFIX);
	}

	@Override
	public List<PasteDeployConfigDataResource> resolve(ConfigDataLocationResolverContext context,
			ConfigDataLocation location) {
		String path = location.getNonPrefixedValue(PREFIX);
		return List.of(new PasteDeployConfigDataResource(this.resourceLoader.getResource(path), location.isOptional()));
	}

}
