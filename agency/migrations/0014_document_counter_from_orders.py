# The document counter moves from orders to agency (agency.numbering): only Django's
# state changes; the table orders_documentcounter and its rows stay as they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agency', '0013_check_in_opens_minutes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DocumentCounter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=20)),
                        ('year', models.PositiveSmallIntegerField()),
                        ('last_value', models.PositiveIntegerField(default=0)),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agency.agency')),
                    ],
                    options={
                        'db_table': 'orders_documentcounter',
                        'constraints': [models.UniqueConstraint(fields=('agency', 'kind', 'year'), name='counter_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
