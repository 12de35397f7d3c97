"""What apps above documents keep from a document's fields, kept in step when it changes.

An app that counts something from a document (plans: whether a plan answering a cascade was
issued on time) registers a context manager factory from its AppConfig.ready();
do_update_document runs the change inside all of them, in its transaction. Documents imports
no app above it: the tree's registry of per-unit counts (orgs/counts.py) works the same way.
"""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager

_WATCHERS: list[Callable[[object], AbstractContextManager]] = []


def register(watcher: Callable[[object], AbstractContextManager]) -> None:
    if watcher not in _WATCHERS:
        _WATCHERS.append(watcher)


@contextmanager
def watched(document) -> Iterator[None]:
    with ExitStack() as stack:
        for watcher in _WATCHERS:
            stack.enter_context(watcher(document))
        yield
