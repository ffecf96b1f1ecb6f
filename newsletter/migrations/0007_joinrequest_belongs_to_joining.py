from django.db import migrations


class Migration(migrations.Migration):
    """The newsletter lets go of the join request model; the table (with its rows) is joining's since 0006."""

    dependencies = [
        ("newsletter", "0006_joinrequest_table_for_joining"),
        ("joining", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="JoinRequest")]),
    ]
