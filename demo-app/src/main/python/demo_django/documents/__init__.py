"""Documents with a file each, managed in Django's admin (/django/admin/) by users Spring logged in."""
