from django.contrib import admin

from demo_django.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "file", "uploaded")
    search_fields = ("title",)
