"""The Celery app: the notes' CPU task, on a queue in Redis.

A Celery worker (`celery -A tasks worker`) runs on any machine that can
reach the Redis; its prefork pool computes one task per process at a time,
each process with its own interpreter and its own GIL.
"""
import os

from celery import Celery
from celery.signals import worker_ready

REDIS = os.environ.get("QUEUE_REDIS", "redis://127.0.0.1:6379")
QUEUE = os.environ.get("QUEUE_NAME", "celery-cpu-job")

app = Celery("tasks", broker=REDIS, backend=REDIS)
app.conf.update(
    task_default_queue=QUEUE,
    # The worker says "ready" on its stdout itself (below): keep stdout its own.
    worker_redirect_stdouts=False,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=False,
    result_expires=600,
)


@app.task
def sum_of_squares(n):
    # The notes' CPU job; a string, so the exact sum survives JSON anywhere.
    return str(sum(i * i for i in range(n)))


@worker_ready.connect
def announce(**_):
    print("ready", flush=True)
