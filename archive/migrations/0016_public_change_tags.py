"""Change rows name what they changed (tags), and each tag keeps the generation it last changed at
(archive/public/changes.py). Rows already there, and rows inserted without tags, changed everything ('*')."""

import django.contrib.postgres.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0015_source_count_and_page_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicTag',
            fields=[
                ('tag', models.TextField(primary_key=True, serialize=False)),
                ('changed', models.BigIntegerField(db_index=True)),
            ],
            options={
                'db_table': 'archive_publictag',
                'default_permissions': (),
            },
        ),
        migrations.AddField(
            model_name='publicchange',
            name='tags',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), db_default=['*']),
        ),
    ]
