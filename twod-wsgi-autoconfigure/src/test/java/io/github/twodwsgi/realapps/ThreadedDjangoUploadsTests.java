package io.github.twodwsgi.realapps;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link DjangoUploadsTests} again, with the Django project's worker serving 4 requests at once
 * (threads), forked from a fork server (preload, the default).
 */
@TestPropertySource(properties = "twod.wsgi.apps.django.threads=4")
class ThreadedDjangoUploadsTests extends DjangoUploadsTests {

}
