"""The newsletter's worker (`db_worker --backend newsletter --queue-name newsletter`), as the tests run it."""


def newsletter_worker(worker_id, interval=0):
    """A worker that takes the newsletter queue's tasks until none is left."""
    # Imported here: django_tasks_db's models need the apps loaded, and conftest modules are imported before.
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["newsletter"],
        interval=interval,
        batch=True,
        backend_name="newsletter",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
