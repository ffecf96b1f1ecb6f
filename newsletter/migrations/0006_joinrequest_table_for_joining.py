from django.db import migrations


class Migration(migrations.Migration):
    """Join requests move to the joining app: first their table takes joining's name, with its rows (joining's
    0001_initial then takes the model over, and 0007 lets go of it here)."""

    dependencies = [
        ("newsletter", "0005_subscription_request"),
    ]

    operations = [
        migrations.AlterModelTable(name="joinrequest", table="joining_joinrequest"),
    ]
