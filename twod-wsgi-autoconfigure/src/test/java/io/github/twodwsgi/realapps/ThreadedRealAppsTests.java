package io.github.twodwsgi.realapps;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link RealAppsTests} again, with every app's workers serving 4 requests at once (threads), forked
 * from a fork server (preload, the default).
 */
@TestPropertySource(properties = { "twod.wsgi.apps.flask.threads=4", "twod.wsgi.apps.streamed.threads=4",
		"twod.wsgi.apps.unbuffered.threads=4", "twod.wsgi.apps.root.threads=4", "twod.wsgi.apps.django.threads=4" })
class ThreadedRealAppsTests extends RealAppsTests {

}
