package io.github.twodwsgi.pastedeploy;

import org.springframework.boot.context.config.ConfigDataResource;
import org.springframework.core.io.Resource;

/**
 * A PasteDeploy {@code .ini} file named by {@code spring.config.import=pastedeploy:<location>}.
 */
class PasteDeployConfigDataResource extends ConfigDataResource {

	private final Resource resource;

	PasteDeployConfigDataResource(Resource resource, boolean optional) {
		super(optional);
		this.resource = resource;
	}

	Resource getResource() {
		return this.resource;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof PasteDeployConfigDataResource that && this.resource.equals(that.resource);
	}

	@Override
	public int hashCode() {
		return this.resource.hashCode();
	}

	@Override
	public String toString() {
		return "PasteDeploy file " + this.resource.getDescription();
	}

}
