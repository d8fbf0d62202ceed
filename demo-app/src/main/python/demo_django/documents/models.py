from django.db import models


class Document(models.Model):
    title = models.CharField(max_length=200)
    # stored under MEDIA_ROOT (application-django.yml), served by Spring at MEDIA_URL
    file = models.FileField(upload_to="documents/")
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded"]

    def __str__(self):
        return self.title
