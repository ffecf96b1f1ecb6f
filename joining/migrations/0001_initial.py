import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Takes over the join request model from the newsletter: the table was renamed by the newsletter's 0006 and
    keeps its rows, so only the model's state is created here (on an empty database too, where 0001 made it)."""

    initial = True

    dependencies = [
        ("actions", "0001_initial"),
        ("newsletter", "0006_joinrequest_table_for_joining"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="JoinRequest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("action_title", models.CharField(max_length=255, verbose_name="action title")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("email", models.EmailField(max_length=254, verbose_name="e-mail address")),
                        ("message", models.TextField(max_length=4000, verbose_name="message")),
                        (
                            "language",
                            models.CharField(
                                choices=[("nl", "Nederlands"), ("en", "English")], max_length=8, verbose_name="language"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="received")),
                        (
                            "mail_status",
                            models.CharField(
                                choices=[("pending", "Not sent yet"), ("sent", "Sent to the team"), ("failed", "Sending failed")],
                                default="pending",
                                max_length=16,
                                verbose_name="mail",
                            ),
                        ),
                        (
                            "action",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="actions.actionpage",
                                verbose_name="action",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "join request",
                        "verbose_name_plural": "join requests",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
        ),
    ]
