package io.github.twodwsgi.pastedeploy;

import java.util.List;

import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;
import org.springframework.boot.context.config.ConfigDataResourceNotFoundException;
import org.springframework.boot.env.OriginTrackedMapPropertySource;

/**
 * Loads a PasteDeploy {@code .ini} file as a property source of {@code twod.wsgi.apps.<name>.*}
 * properties (see {@link PasteDeploySettings} for the rules), with the line of each value as its
 * origin.
 */
public class PasteDeployConfigDataLoader implements ConfigDataLoader<PasteDeployConfigDataResource> {

	@Override
	public ConfigData load(ConfigDataLoaderContext context, PasteDeployConfigDataResource resource) {
		if (!resource.getResource().exists()) {
			throw new ConfigDataResourceNotFoundException(resource);
		}
		return new ConfigData(List.of(new OriginTrackedMapPropertySource(resource.toString(),
				PasteDeploySettings.properties(resource.getResource()))));
	}

}
