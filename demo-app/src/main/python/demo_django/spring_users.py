"""Django trusts the user Spring Security logged in.

The gateway sets REMOTE_USER to the servlet request's principal, and RemoteUserMiddleware logs that
user in (creating it on first sight); a WsgiEnvironCustomizer (DemoSecurity.java) puts the user's
Spring authorities into the environ as "demo.roles", from which this backend decides what the user
may do in the admin.
"""

from django.contrib.auth.backends import RemoteUserBackend

ADMIN_ROLE = "ROLE_ADMIN"


def spring_roles(request):
    return set(filter(None, request.META.get("demo.roles", "").split(",")))


class SpringUserBackend(RemoteUserBackend):

    def authenticate(self, request, remote_user):
        user = super().authenticate(request, remote_user)
        # Django 3.2 configures new users only: apply Spring's roles at every login, as they may change.
        return self.configure_user(request, user) if user is not None else None

    def configure_user(self, request, user, created=True):
        """Staff and superuser exactly when Spring gives the user ROLE_ADMIN."""
        is_admin = ADMIN_ROLE in spring_roles(request)
        if (user.is_staff, user.is_superuser) != (is_admin, is_admin):
            user.is_staff = user.is_superuser = is_admin
            user.save(update_fields=["is_staff", "is_superuser"])
        return user
