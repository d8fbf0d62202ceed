from django import forms
from django.db.models import Avg, Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import DetailView, ListView

from .models import Book, Publisher, Review


class BookList(ListView):
    queryset = Book.objects.select_related("publisher").prefetch_related("authors", "tags")
    paginate_by = 20


class BookDetail(DetailView):
    queryset = Book.objects.select_related("publisher").prefetch_related("authors", "tags", "reviews")


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["rating", "text"]


def review(request, pk):
    book = get_object_or_404(Book, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.book = book
        form.save()
        return redirect("book-detail", pk=pk)
    return render(request, "catalog/review_form.html", {"book": book, "form": form})


def stats(request):
    publishers = Publisher.objects.annotate(book_count=Count("books"), avg_pages=Avg("books__pages")).order_by("name")
    return JsonResponse({
        "books": Book.objects.count(),
        "reviews": Review.objects.count(),
        "publishers": [{"name": p.name, "books": p.book_count, "avg_pages": p.avg_pages} for p in publishers],
    })
