from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0002_inbox_index"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "status"), ("status_code__in", ["15", "16"])),
                fields=("sender", "about"),
                name="one_answer_per_request",
            ),
        ),
    ]
