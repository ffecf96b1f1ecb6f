from django.db import migrations


def empty_index(apps, schema_editor):
    """The index is emptied and refilled as soon as `migrate` is done (search.signal_handlers): each row's shown
    text now holds every sentence once (search.text.without_repeats)."""
    apps.get_model("search", "SearchEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_search_text"),
    ]

    operations = [migrations.RunPython(empty_index, migrations.RunPython.noop)]
