"""Reading ahead in a thread: the next chunk of the file is decoded and parsed while the database writes
the last one.

An import spends most of its time waiting for PostgreSQL (COPY, index upkeep, history, constraint
checks). Decoding and parsing the CSV is pure Python without database access, so it can run meanwhile:
psycopg releases the GIL while it waits. The queue is bounded, so memory still does not grow with the file.
"""

import queue
import threading
from collections.abc import Iterator

_ITEM, _DONE, _ERROR = range(3)


def read_ahead[T](items: Iterator[T], *, depth: int = 2) -> Iterator[T]:
    """Yields what `items` yields, computed by a thread up to `depth` items ahead; its errors re-raised here."""
    pipe: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(message) -> bool:
        while not stop.is_set():
            try:
                pipe.put(message, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((_ITEM, item)):
                    return
            put((_DONE, None))
        except BaseException as exc:  # handed to the consumer, raised there
            put((_ERROR, exc))

    thread = threading.Thread(target=produce, name="opis-import-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = pipe.get()
            if kind == _DONE:
                return
            if kind == _ERROR:
                raise value
            yield value
    finally:
        stop.set()  # the consumer stopped early (an error): let the thread end
        thread.join()
