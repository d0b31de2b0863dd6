"""Saved versions of sources move from fond/opis/delo strings to units, as the sources did (archive 0008), so
restoring an old version brings back its reference. A path only an old version had gets its units too, as
drafts: nothing in the history is lost."""



import django.db.models.deletion
from django.db import migrations, models

from archive.migrations._unit_paths import Tree, check_constraints_now, derive_fonds, path_of, strings_of, update_from


def units_from_strings(apps, schema_editor):
    Historical = apps.get_model("curation", "HistoricalSource")
    tree = Tree(apps.get_model("archive", "Unit"), apps.get_model("archive", "Repository"))
    groups = (
        Historical.objects.filter(unit__isnull=True)
        .exclude(repository=None)
        .exclude(fond="", opis="", delo="")
        .values_list("repository_id", "fond", "opis", "delo")
        .distinct()
    )
    rows = []
    for repository_id, fond, opis, delo in groups:
        unit = tree.unit_for(path_of(repository_id, fond, opis, delo))
        if unit is not None:
            rows.append((repository_id, fond, opis, delo, unit.pk))
    if rows:
        key = ("repository_id", "fond", "opis", "delo")
        update_from(
            schema_editor.connection, Historical._meta.db_table, key, ("unit_id",), rows, "AND t.unit_id IS NULL"
        )
    check_constraints_now(schema_editor.connection)
    derive_fonds(schema_editor.connection, Historical._meta.db_table, tree.Unit._meta.db_table)


def strings_from_units(apps, schema_editor):
    Historical, Unit = apps.get_model("curation", "HistoricalSource"), apps.get_model("archive", "Unit")
    units = Historical.objects.exclude(unit=None).values_list("unit_id", flat=True).distinct()
    rows = [(pk, *strings) for pk, strings in strings_of(Unit, units).items()]
    if rows:
        update_from(schema_editor.connection, Historical._meta.db_table, ("unit_id",), ("fond", "opis", "delo"), rows)
    check_constraints_now(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0013_source_units_from_reference"),
        ("curation", "0008_oai_deleted_from_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalsource",
            name="fonds",
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, help_text="The fonds at the top of the unit's branch (the unit itself if it is a fonds).", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="archive.unit", verbose_name="fonds"),
        ),
        migrations.RunPython(units_from_strings, strings_from_units, elidable=False),
        migrations.RemoveField(model_name="historicalsource", name="fond"),
        migrations.RemoveField(model_name="historicalsource", name="opis"),
        migrations.RemoveField(model_name="historicalsource", name="delo"),
    ]
