"""The list by title, as an index: the facet index places a source published since its build between its neighbours
in this order, one probe each (archive/public/facet_update.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0016_public_change_tags"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["title", "identifier"], name="archive_source_title_idx"),
        ),
    ]
