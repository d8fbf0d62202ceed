from django.contrib import admin
from django.urls import path

from heavy_django.catalog import views

urlpatterns = [
    path("", views.BookList.as_view(), name="book-list"),
    path("books/<int:pk>/", views.BookDetail.as_view(), name="book-detail"),
    path("books/<int:pk>/review/", views.review, name="book-review"),
    path("stats.json", views.stats, name="stats"),
    path("admin/", admin.site.urls),
]
