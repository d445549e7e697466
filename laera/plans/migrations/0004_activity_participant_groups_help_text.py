# The participant fields of activities now come from organisations.participants.models.Participants, shared
# with arenas: the external groups get the arenas' help text. No change to the database.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_plan_comment_deadline_and_copied_time_check"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="participant_groups",
            field=models.CharField(
                blank=True, help_text="Separated by commas.", max_length=300, verbose_name="external groups"
            ),
        ),
    ]
