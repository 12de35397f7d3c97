"""What each kind of file import is, declared once by the app that owns it.

An app registers one `Importer` per kind (from its AppConfig.ready) and writes nothing else for
it: the generic views (imports/views.py) show the upload page, check the file and show one
preview page, apply it (in the request, or in the background worker above `background_rows`
rows: imports/background.py) and move its PendingImport through its states. See
docs/architecture.md, "Imports".

The contract of the two functions an importer supplies:

- `check(data, *, user, target)` reads the file once, checks every row and returns a result
  with `.ok`, `.errors` (CellError, row and column) and `.row_count` (the rows apply will
  write); it writes nothing. FileProblem: the file cannot be read at all.
- `apply(data, *, acting_user, target, progress)` reads the file once more (the data may have
  changed since the preview), checks it again and writes all of it in one transaction, or
  raises ImportRejected carrying that fresh check, so the page can show it without a third
  reading. `progress(done, total)` is None in a request and the worker's reporter in the
  background.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

# A preview lists this many rows; the counts above it cover all of them.
PREVIEW_ROWS = 300


class ImportRejected(ValidationError):
    """The file no longer passes its check (the data changed since the preview): nothing was
    written; `checked` is the fresh result, every problem by row and column."""

    def __init__(self, checked: Any):
        super().__init__([str(e) for e in checked.errors] or [_("Tệp không còn hợp lệ.")])
        self.checked = checked


@dataclass(frozen=True)
class Preview:
    """What the preview page shows of a clean check: counts, then the first rows."""

    counts: list[str]  # one line each: "3 đơn vị mới"
    button: str  # says what apply writes, from the same figures as `counts`
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)  # the first PREVIEW_ROWS, cells as shown
    total_rows: int = 0  # all the rows the table would list
    notes: list[str] = field(default_factory=list)  # how some rows will be read
    heading: str = ""  # e.g. the appendix title kept for the export


def no_target(user, key: str) -> None:
    return None


@dataclass(frozen=True)
class Importer:
    kind: str  # PendingImport.kind, followed by "-<key>" when the import goes into an object
    url_name: str  # of the upload page; the apply page is "<url_name>_apply" (imports/urls.py)
    title: str  # the upload page's heading: "Nhập cây đơn vị"
    help_template: str  # the columns and rules, shown above the upload field
    check: Callable[..., Any]
    apply: Callable[..., Any]
    describe: Callable[[Any], Preview]
    summary: Callable[[Any], str]  # said once applied: "Đã nhập 12 nhiệm vụ."
    done_url: Callable[[Any], str]  # where the person goes after (and on cancel), from the target
    # The object the file goes into, from the key in the URL, checked for write access
    # (Http404 or PermissionDenied): a plan for its task table; None for the others.
    target: Callable[[Any, str], Any] = no_target
    # May the user import this kind at all (checked before the upload page shows)?
    allowed: Callable[[Any], bool] = lambda user: True
    denied: "StrOrPromise" = gettext_lazy("Bạn không có quyền nhập loại tệp này.")
    accept: str = ".xlsx"
    file_label: "StrOrPromise" = gettext_lazy("Tệp Excel (.xlsx)")
    context: Callable[[Any, Any], dict] = lambda user, target: {}  # extra for the help template
    # Above this many rows the worker applies the file (a request would wait too long).
    background_rows: int = 200

    def pending_kind(self, key: str) -> str:
        return f"{self.kind}-{key}" if key else self.kind

    @staticmethod
    def errors_of(result: Any) -> tuple[list, int]:
        """The errors listed and how many there are in all (a value file lists its first few
        hundred: `error_count`)."""
        errors = list(getattr(result, "errors", []))
        return errors, getattr(result, "error_count", len(errors))


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _IMPORTERS[importer.kind] = importer


def find(pending_kind: str) -> tuple[Importer, str] | None:
    """The importer of a PendingImport.kind, and the key that follows its kind ("plan-tasks-12"
    gives the task-table importer and "12")."""
    for kind, importer in _IMPORTERS.items():
        if pending_kind == kind:
            return importer, ""
        if pending_kind.startswith(kind + "-"):
            return importer, pending_kind[len(kind) + 1 :]
    return None


def get(kind: str) -> Importer:
    return _IMPORTERS[kind]
