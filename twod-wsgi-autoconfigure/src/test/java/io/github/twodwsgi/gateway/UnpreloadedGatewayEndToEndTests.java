package io.github.twodwsgi.gateway;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link GatewayEndToEndTests} again with preload off: each worker a process of its own that imports
 * the app itself, as before preload existed.
 */
@TestPropertySource(properties = { "twod.wsgi.apps.env.preload=false", "twod.wsgi.apps.behaviour.preload=false",
		"twod.wsgi.apps.busy.preload=false", "twod.wsgi.apps.validated.preload=false",
		"twod.wsgi.apps.factory.preload=false" })
class UnpreloadedGatewayEndToEndTests extends GatewayEndToEndTests {

}
