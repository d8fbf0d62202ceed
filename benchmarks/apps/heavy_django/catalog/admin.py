from django.contrib import admin

from .models import Author, Book, Publisher, Review, Tag


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = ("title", "publisher", "pages", "price", "published")
    list_filter = ("publisher", "tags", "published")
    search_fields = ("title", "authors__name")
    filter_horizontal = ("authors", "tags")
    date_hierarchy = "published"
    inlines = [ReviewInline]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "born")
    search_fields = ("name",)


@admin.register(Publisher)
class PublisherAdmin(admin.ModelAdmin):
    list_display = ("name", "website")


admin.site.register(Tag)
admin.site.register(Review)
