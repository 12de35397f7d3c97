"""What each app keeps per unit, registered with the tree.

Apps above the tree keep counts per unit (tallies: tasks, plan coverage, indicator values,
reports) that must follow the tree when it changes. The tree cannot import them (it sits
below them, docs/architecture.md), so each registers here, from its AppConfig.ready(), how to:

- follow a subtree move: `follow_move(org, new_parent, move)` runs `move()` (which re-paths
  the subtree) with its counts following;
- recount from the rows: `rebuild(units=None)`, every unit's rows or those of an
  `orgs.rollup.Units` (a reorganization recounts the subtree it changed);
- compare stored with recounted: `differences()`, one readable line per differing row.

A unit move, `manage.py rebuild_aggregates` and `manage.py check_tallies` iterate the
registry, so a new kind of count is followed, rebuilt and checked without editing the tree.
tests/test_demo.py moves a district with every kind of count under another province and
compares.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial


@dataclass(frozen=True)
class UnitCounts:
    name: str  # what a person reads in check_tallies' output
    follow_move: Callable
    rebuild: Callable[..., object]
    differences: Callable[[], list[str]]


_REGISTRY: dict[str, UnitCounts] = {}


def register(
    name: str,
    *,
    follow_move: Callable,
    rebuild: Callable[..., object],
    differences: Callable[[], list[str]],
) -> None:
    _REGISTRY[name] = UnitCounts(name, follow_move, rebuild, differences)


def registered() -> list[UnitCounts]:
    return list(_REGISTRY.values())


def move_subtree(org, new_parent, move: Callable[[], None]) -> None:
    """Run `move()` with every registered kind of count following the moved subtree."""
    step = move
    for counts in reversed(registered()):
        step = partial(counts.follow_move, org, new_parent, step)
    step()


def rebuild_all(units=None) -> None:
    for counts in registered():
        counts.rebuild(units)


def differences() -> dict[str, list[str]]:
    """{kind: lines} for every kind with stored rows that differ from a recount."""
    found = {}
    for counts in registered():
        lines = counts.differences()
        if lines:
            found[counts.name] = lines
    return found
