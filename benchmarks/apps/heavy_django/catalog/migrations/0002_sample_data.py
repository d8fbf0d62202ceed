"""Sample rows, so that the views and the admin have something to show: 3 publishers, 12 authors,
6 tags, 60 books, 120 reviews (the same every time)."""

import datetime
from decimal import Decimal

from django.db import migrations


def add_sample_data(apps, schema_editor):
    Publisher = apps.get_model("catalog", "Publisher")
    Author = apps.get_model("catalog", "Author")
    Tag = apps.get_model("catalog", "Tag")
    Book = apps.get_model("catalog", "Book")
    Review = apps.get_model("catalog", "Review")
    publishers = [Publisher.objects.create(name="Publisher %d" % n, website="https://example.org/%d" % n)
                  for n in range(3)]
    authors = [Author.objects.create(name="Author %d" % n, email="author%d@example.org" % n,
                                     born=datetime.date(1950 + n, 1 + n % 12, 1)) for n in range(12)]
    tags = [Tag.objects.create(slug=slug) for slug in ("python", "java", "web", "history", "novel", "poetry")]
    for n in range(60):
        book = Book.objects.create(title="book number %d" % n, publisher=publishers[n % 3], pages=100 + 7 * n,
                                   price=Decimal("9.99") + n, published=datetime.date(2000 + n % 20, 1 + n % 12, 1))
        book.authors.set([authors[n % 12], authors[(n * 5) % 12]])
        book.tags.set(tags[n % 6:n % 6 + 2])
        Review.objects.create(book=book, rating=1 + n % 5, text="A review of book %d. " % n * 5)
        Review.objects.create(book=book, rating=1 + (n + 2) % 5, text="Another review of book %d." % n)


class Migration(migrations.Migration):

    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(add_sample_data, migrations.RunPython.noop)]
