package io.github.twodwsgi.demo;

import io.github.twodwsgi.WsgiGateway;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

import static org.springframework.web.servlet.function.RequestPredicates.GET;
import static org.springframework.web.servlet.function.RouterFunctions.route;

/**
 * A functional route served by the Flask app: its variables reach Flask as
 * {@code wsgiorg.routing_args}, its captured rest as PATH_INFO. Try
 * {@code /teams/eng/members/ada/routing-args}.
 */
@Configuration(proxyBeanMethods = false)
class DemoRoutes {

	@Bean
	RouterFunction<ServerResponse> teamRoutes(WsgiGateway gateway) {
		return route(GET("/teams/{team}/members/{member}/{*rest}"), gateway.handler("flask"));
	}

}
