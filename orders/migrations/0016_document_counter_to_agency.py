# The document counter is agency's now (agency 0014): orders forgets it in Django's
# state only, so its table is neither dropped nor rebuilt.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0015_bound_text_lengths_and_dates'),
        ('agency', '0014_document_counter_from_orders'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='DocumentCounter'),
            ],
            database_operations=[],
        ),
    ]
