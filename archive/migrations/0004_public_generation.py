"""The public generation's tables (archive/public/generation.py).

The total starts at the clock in microseconds, so a new database never reads a generation an earlier one (whose
pages a shared cache may still hold) was read at.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0003_source_publication_and_optional_repository'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicChange',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
            ],
            options={
                'db_table': 'archive_publicchange',
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='PublicGeneration',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('value', models.BigIntegerField()),
            ],
            options={
                'db_table': 'archive_publicgeneration',
                'default_permissions': (),
            },
        ),
        migrations.RunSQL(
            "INSERT INTO archive_publicgeneration (id, value) "
            "VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
