"""The units' own words for a yearly report: under each field (lĩnh vực) and section (kết quả,
hạn chế, nguyên nhân, kiến nghị …), the unit's own text and its units' texts, attributed, from
the reports they sent for the year; and a digest of what they proposed, grouped, with who
proposed each, because that is what the standing committee reads first.

A unit's text for a form is that of its latest report of the year (the year's report, else
nine months', the second half's, the last quarter's …): the longest period says the most. The
unit's own reports count in any state (its draft is its own words); those of the units below
count once sent.
"""

import re
from dataclasses import dataclass, field

from hienthuc.indicators.models import FormUnit, ReportForm, Submission, SubmissionStatus
from hienthuc.lib import periods
from hienthuc.lib.text import fold
from hienthuc.orgs.models import Organization

# Section titles that hold proposals (kiến nghị, đề xuất, đề nghị), folded.
_PROPOSAL = re.compile(r"kien nghi|de xuat|de nghi")
# A proposal's bullet or number at the start of a line: "-", "+", "•", "1.", "a)".
_BULLET = re.compile(r"^\s*(?:[-+•*–]|\d{1,2}[.)]|[a-zđ][.)])\s*", re.IGNORECASE)


@dataclass
class Section:
    title: str
    own: list[str] = field(default_factory=list)
    units: list[tuple[str, str]] = field(default_factory=list)  # (unit name, text)

    @property
    def is_proposals(self) -> bool:
        return bool(_PROPOSAL.search(fold(self.title)))


@dataclass
class Field:
    name: str  # "" when the forms name no field
    sections: list[Section] = field(default_factory=list)

    def section(self, title: str) -> Section:
        for section in self.sections:
            if section.title == title:
                return section
        self.sections.append(Section(title))
        return self.sections[-1]


@dataclass
class Proposal:
    field: str
    text: str
    proposers: list[str] = field(default_factory=list)


@dataclass
class Narrative:
    fields: list[Field] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)

    def field(self, name: str) -> Field:
        for found in self.fields:
            if found.name == name:
                return found
        self.fields.append(Field(name))
        return self.fields[-1]


def compose(unit: Organization, year: int) -> Narrative:
    """The narrative of `unit` and its units directly below for `year` (a few queries)."""
    children = list(Organization.objects.children_of(unit).order_by("kind__is_body", "search_text"))
    names = {unit.pk: unit.name, **{c.pk: c.name for c in children}}
    forms = ReportForm.objects.filter(
        pk__in=FormUnit.objects.filter(unit_id__in=names).values("form_id"), is_active=True
    ).exclude(sections="")
    forms = {f.pk: f for f in forms}
    latest: dict[tuple[int, int], Submission] = {}
    rows = Submission.objects.filter(
        form_id__in=forms, unit_id__in=names, period__gte=str(year), period__lt=str(year + 1)
    ).order_by("pk")
    for submission in rows:
        own = submission.unit_id == unit.pk
        if not own and submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
            continue
        key = (submission.form_id, submission.unit_id)
        held = latest.get(key)
        if held is None or _reach(submission.period) > _reach(held.period):
            latest[key] = submission
    narrative = Narrative()
    order = {pk: n for n, pk in enumerate(names)}
    for (form_id, unit_id), submission in sorted(latest.items(), key=lambda item: (item[0][0], order[item[0][1]])):
        for field_name, title, key in forms[form_id].narrative_parts:
            text = (submission.narrative or {}).get(key, "").strip()
            if not text:
                continue
            section = narrative.field(field_name).section(title)
            if unit_id == unit.pk:
                section.own.append(text)
            else:
                section.units.append((names[unit_id], text))
            if section.is_proposals:
                _add_proposals(narrative, field_name, text, names[unit_id])
    narrative.proposals.sort(key=lambda p: (-len(p.proposers), p.field))
    return narrative


def _reach(key: str) -> tuple:
    """How far a period reaches: its last day, then its length (the year before its Q4)."""
    period = periods.parse(key)
    return (period.end, -period.start.toordinal())


def _add_proposals(narrative: Narrative, field_name: str, text: str, proposer: str) -> None:
    """One proposal per line or bullet; the same proposal from several units is listed once."""
    for line in text.splitlines():
        item = _BULLET.sub("", line).strip().rstrip(";.")
        if len(item) < 3:
            continue
        folded = fold(item)
        for proposal in narrative.proposals:
            if proposal.field == field_name and fold(proposal.text) == folded:
                if proposer not in proposal.proposers:
                    proposal.proposers.append(proposer)
                break
        else:
            narrative.proposals.append(Proposal(field_name, item, [proposer]))
