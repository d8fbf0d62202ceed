package io.github.twodwsgi.gateway;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link GatewayEndToEndTests} again with the workers of the apps that serve requests one by one
 * serving 4 at once (threads); {@code busy}, whose single worker is kept busy to fill the queue, keeps
 * one thread.
 */
@TestPropertySource(properties = { "twod.wsgi.apps.env.threads=4", "twod.wsgi.apps.behaviour.threads=4",
		"twod.wsgi.apps.validated.threads=4", "twod.wsgi.apps.factory.threads=4" })
class ThreadedGatewayEndToEndTests extends GatewayEndToEndTests {

}
