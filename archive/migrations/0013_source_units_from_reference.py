"""Sources move from their fond/opis/delo strings to the unit tree: one unit per distinct path within a repository
(see _unit_paths), the source on the lowest; then the strings go. Backwards, the strings come back from the tree."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Min, Q

from ._unit_paths import Tree, check_constraints_now, derive_fonds, path_of, strings_of, update_from


def units_from_strings(apps, schema_editor):
    Source, Unit, Repository = (apps.get_model("archive", name) for name in ("Source", "Unit", "Repository"))
    tree = Tree(Unit, Repository)
    groups = (
        Source.objects.filter(unit__isnull=True)
        .exclude(fond="", opis="", delo="")
        .values_list("repository_id", "fond", "opis", "delo")
        .annotate(first_published=Min("published_at", filter=Q(status="published")))
        .order_by("repository_id", "fond", "opis", "delo")
    )
    rows, published = [], {}
    for repository_id, fond, opis, delo, first_published in groups:
        unit = tree.unit_for(path_of(repository_id, fond, opis, delo))
        if unit is None:
            continue
        rows.append((repository_id, fond, opis, delo, unit.pk))
        if first_published is not None:
            published[unit.pk] = min(first_published, published.get(unit.pk, first_published))
    tree.publish(published)
    if rows:
        key = ("repository_id", "fond", "opis", "delo")
        update_from(schema_editor.connection, Source._meta.db_table, key, ("unit_id",), rows, "AND t.unit_id IS NULL")
    check_constraints_now(schema_editor.connection)
    derive_fonds(schema_editor.connection, Source._meta.db_table, Unit._meta.db_table)


def strings_from_units(apps, schema_editor):
    Source, Unit = apps.get_model("archive", "Source"), apps.get_model("archive", "Unit")
    units = Source.objects.exclude(unit=None).values_list("unit_id", flat=True).distinct()
    rows = [(pk, *strings) for pk, strings in strings_of(Unit, units).items()]
    if rows:
        update_from(schema_editor.connection, Source._meta.db_table, ("unit_id",), ("fond", "opis", "delo"), rows)
    check_constraints_now(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0012_authority_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="source",
            name="fonds",
            field=models.ForeignKey(editable=False, help_text="The fonds at the top of the unit's branch (the unit itself if it is a fonds).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="archive.unit", verbose_name="fonds"),
        ),
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["fonds", "date_start", "identifier"], name="archive_source_fonds_idx"),
        ),
        migrations.RemoveConstraint(model_name="source", name="archive_source_reference_needs_repository"),
        migrations.RunPython(units_from_strings, strings_from_units, elidable=False),
        migrations.RemoveIndex(model_name="source", name="archive_source_reference_idx"),
        migrations.RemoveIndex(model_name="source", name="source_fond_up_trgm"),
        migrations.RemoveIndex(model_name="source", name="source_opis_up_trgm"),
        migrations.RemoveIndex(model_name="source", name="source_delo_up_trgm"),
        migrations.RemoveField(model_name="source", name="fond"),
        migrations.RemoveField(model_name="source", name="opis"),
        migrations.RemoveField(model_name="source", name="delo"),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(("repository__isnull", False), models.Q(("folios", ""), ("unit__isnull", True)), _connector="OR"),
                name="archive_source_reference_needs_repository",
                violation_error_message="A file, inventory, fonds or folios need the repository that holds them.",
            ),
        ),
    ]
