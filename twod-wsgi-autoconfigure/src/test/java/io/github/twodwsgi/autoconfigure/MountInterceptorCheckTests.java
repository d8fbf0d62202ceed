package io.github.twodwsgi.autoconfigure;

import java.util.List;
import java.util.function.Consumer;

import io.github.twodwsgi.WsgiApplication;
import org.junit.jupiter.api.Test;

import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Interceptors that look as if they guarded a mounted app are named at startup.
 */
class MountInterceptorCheckTests {

	private final WsgiApplication shop = application("shop", "/shop");

	private final WsgiApplication root = application("site", "/");

	@Test
	void anInterceptorOverAMountIsNamed() {
		List<String> warnings = check((registry) -> registry.addInterceptor(new Guard()).addPathPatterns("/shop/**"));
		assertThat(warnings).singleElement()
			.satisfies((warning) -> assertThat(warning).contains(Guard.class.getName(), "[/shop/**]", "'shop'",
					"mounted at /shop", "servlet filter"));
	}

	@Test
	void anInterceptorForEveryPathIsNamedForEveryMountBelowTheRoot() {
		assertThat(check((registry) -> registry.addInterceptor(new Guard()))).singleElement()
			.satisfies((warning) -> assertThat(warning).contains("(path patterns all)", "'shop'"));
	}

	@Test
	void interceptorsElsewhereOrExcludingTheMountAreNotNamed() {
		assertThat(check((registry) -> {
			registry.addInterceptor(new Guard()).addPathPatterns("/admin/**", "/shopping/**");
			registry.addInterceptor(new Guard()).excludePathPatterns("/shop/**");
		})).isEmpty();
	}

	private List<String> check(Consumer<InterceptorRegistry> interceptors) {
		WebMvcConfigurer configurer = new WebMvcConfigurer() {
			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				interceptors.accept(registry);
			}
		};
		return new MountInterceptorCheck(List.of(this.shop, this.root), List.of(configurer)).warnings();
	}

	private static WsgiApplication application(String name, String mount) {
		WsgiApplication application = mock(WsgiApplication.class);
		given(application.getName()).willReturn(name);
		given(application.getMount()).willReturn(mount);
		return application;
	}

	static final class Guard implements HandlerInterceptor {

	}

}
