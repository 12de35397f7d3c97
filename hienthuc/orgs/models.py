import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from hienthuc.lib.text import fold
from hienthuc.lib.tree import PATH_STEP
from hienthuc.scope import MandateKind

# Subtree counts are stored on units at this depth and below. Units above it (the Centre)
# sum their children instead, so writes across the country never queue on one hot row.
AGGREGATE_MIN_DEPTH = 2


class OrgLevel(models.Model):
    """A level of the tree (Trung ương, tỉnh, trực thuộc, cơ sở, chi bộ …): data, not code."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(_("tên cấp"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.name


class OrgKind(models.Model):
    """A kind of unit (Tỉnh ủy/Thành ủy, Đảng ủy cơ sở, Văn phòng …)."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(_("loại đơn vị"), max_length=100, unique=True)
    level = models.ForeignKey(OrgLevel, on_delete=models.PROTECT, related_name="kinds")
    # Advisory and state bodies (Văn phòng, Ban Tổ chức, UBND …) as opposed to party organizations.
    is_body = models.BooleanField(default=False)
    # The issuer code its units' Party numbers usually carry ("01-NQ/TU"): each unit's default.
    issuer_code = models.CharField(_("ký hiệu cơ quan ban hành"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("loại đơn vị")
        ordering = ["level__rank", "name"]

    def __str__(self) -> str:
        return self.name


class KindRule(models.Model):
    """A kind of unit may sit under a parent of this kind (no parent: a root) over these dates.
    Data, not code: the 2025 reform ended the district level (orgs/kinds.py seeds the rules)."""

    kind = models.ForeignKey(OrgKind, verbose_name=_("loại đơn vị"), on_delete=models.CASCADE, related_name="rules")
    parent_kind = models.ForeignKey(
        OrgKind,
        verbose_name=_("loại đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    valid_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("quy định loại đơn vị cấp trên")

    def __str__(self) -> str:
        return f"{self.kind} ⊂ {self.parent_kind or '—'}"

    def covers(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class OrganizationQuerySet(MP_NodeQuerySet):
    def visible_to(self, user) -> "OrganizationQuerySet":
        from hienthuc.scope import subtree_q

        return self.filter(subtree_q(user, "path"))

    def active(self) -> "OrganizationQuerySet":
        return self.filter(is_active=True)

    def current(self) -> "OrganizationQuerySet":
        """Units that have not ceased in a reorganization (they may be inactive)."""
        return self.filter(valid_to__isnull=True)

    def as_of(self, day) -> "OrganizationQuerySet":
        """The tree as it stood on `day`: units founded by then and not yet ceased."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def subtree_of(self, org: "Organization") -> "OrganizationQuerySet":
        return self.filter(path__startswith=org.path)

    def tops_for(self, user) -> list["Organization"]:
        """The units at the top of what the user sees (their outermost role units, or the roots
        for a superuser), with `kind_name`."""
        from hienthuc.scope import root_paths

        units = self.annotate(kind_name=F("kind__name"))
        if user.is_superuser:
            return list(units.filter(depth=1))
        return list(units.filter(path__in=root_paths(user)))

    def tally_depths(self) -> range:
        """The depths that keep tally rows: from AGGREGATE_MIN_DEPTH to the deepest unit."""
        deepest = self.order_by("-depth").values_list("depth", flat=True).first() or 0
        return range(AGGREGATE_MIN_DEPTH, deepest + 1)

    def children_of(self, org: "Organization") -> "OrganizationQuerySet":
        return self.filter(path__startswith=org.path, depth=org.depth + 1)

    def rows(self):
        """Plain dict rows for lists and tree nodes, party units first: building a model
        instance per row would double the cost of a page listing a hundred children."""
        return self.values(
            "pk",
            "code",
            "name",
            "path",
            "numchild",
            "is_active",
            "units_below",
            "people_below",
            kind_name=F("kind__name"),
        ).order_by("kind__is_body", "search_text")

    def search(self, text: str) -> "OrganizationQuerySet":
        words = fold(text).split()[:8]
        if not words:
            return self
        matches = Q()
        for word in words:
            matches &= Q(search_text__contains=word)
        return self.filter(matches | Q(code__iexact=text.strip()))


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """A unit of the tree: a party organization, a body or an agency.

    treebeard keeps `path` (four base-36 characters per level) and `depth`; a subtree is
    one indexed prefix scan on `path`.
    """

    steplen = PATH_STEP  # treebeard's default, named where the access rule can read it (lib/tree.py)

    # Unique among the units that exist now: a unit that ceased keeps its code for its history,
    # and its continuation in a reorganization takes the same code.
    code = models.CharField(_("mã đơn vị"), max_length=32)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.ForeignKey(OrgKind, verbose_name=_("loại đơn vị"), on_delete=models.PROTECT, related_name="units")
    # This unit's own issuer code where it differs from its kind's (a city committee under a
    # province numbers "/TU", a Khối committee "/ĐUK"); empty: the kind's.
    issuer_code = models.CharField(_("ký hiệu cơ quan ban hành"), max_length=20, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # The dates the unit existed (None: since before the records, or still now). A unit that
    # ceases in a reorganization keeps its place and its history; its successors are new units.
    valid_from = models.DateField(_("ngày thành lập"), null=True, blank=True)
    valid_to = models.DateField(_("ngày chấm dứt"), null=True, blank=True)
    search_text = models.CharField(max_length=400, blank=True, editable=False)
    # Subtree aggregates (see AGGREGATE_MIN_DEPTH): active units below, active people in it.
    units_below = models.PositiveIntegerField(default=0, editable=False)
    people_below = models.PositiveIntegerField(default=0, editable=False)
    # Active people whose home unit is this one, kept at every depth: only the unit's own
    # people touch it, so it is never a hot row, and it lets the Centre add up in one query.
    people_here = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("đơn vị")
        indexes = [
            # Children of a unit: depth = d + 1 AND path LIKE 'prefix%'. The pattern opclass
            # lets PostgreSQL use the index whatever the database collation (ignored elsewhere).
            models.Index(
                fields=["depth", "path"], name="org_depth_path", opclasses=["int4_ops", "varchar_pattern_ops"]
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="organization_name_not_empty"),
            models.CheckConstraint(condition=~Q(code=""), name="organization_code_not_empty"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="organization_code_unique_now"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")[:400]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("unit_detail", args=[self.pk])

    @property
    def ancestor_paths(self) -> list[str]:
        return [self.path[: i * self.steplen] for i in range(1, self.depth)]

    @property
    def has_aggregates(self) -> bool:
        return self.depth >= AGGREGATE_MIN_DEPTH


class Succession(models.Model):
    """A unit that ceased and a unit that succeeded it from `effective_on` (a split has several
    successors, a merger several predecessors). Made by a reorganization (the reorgs app,
    named by its id: the tree sits below it)."""

    predecessor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="successions_out")
    successor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="successions_in")
    effective_on = models.DateField()
    reorganization_id = models.BigIntegerField(db_index=True)

    class Meta:
        ordering = ["id"]


class FormerNameQuerySet(models.QuerySet):
    def _on(self, unit_ids, day) -> dict[int, tuple[str, str]]:
        former = {}
        found = self.filter(unit_id__in=list(unit_ids), until__gte=day).order_by("-until")
        for unit_id, name, kind_name in found.values_list("unit_id", "name", "kind__name"):
            former[unit_id] = (name, kind_name)  # the earliest rename after the day wins
        return former

    def name_rows_on(self, rows: list[dict], day) -> list[dict]:
        """Give `rows` (dicts with "pk", "name" and "kind_name", as the tree pages use) the names
        their units bore on `day`: one query, for the units renamed after it."""
        if day is None or not rows:
            return rows
        former = self._on([r["pk"] for r in rows], day)
        for row in rows:
            if row["pk"] in former:
                row["name"], row["kind_name"] = former[row["pk"]]
        return rows

    def name_units_on(self, units: list["Organization"], day) -> list["Organization"]:
        """name_rows_on for model instances (their `name`, in memory only, for a page)."""
        former = self._on([u.pk for u in units], day) if day is not None and units else {}
        for unit in units:
            if unit.pk in former:
                unit.name = former[unit.pk][0]
        return units


class FormerName(models.Model):
    """What a unit was called, and its kind, until a rename in a reorganization took effect: a
    page of a past day names units as they were named that day. A plain edit (a typo) keeps no
    former name. Written by the reorgs app (named by its id: the tree sits below it)."""

    unit = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.ForeignKey(OrgKind, verbose_name=_("loại đơn vị"), on_delete=models.PROTECT, related_name="+")
    until = models.DateField(_("đến ngày"))
    reorganization_id = models.BigIntegerField(db_index=True)

    objects = FormerNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("tên trước đây")
        ordering = ["unit", "until"]
        indexes = [models.Index(fields=["unit", "until"])]

    def __str__(self) -> str:
        return self.name


class HandOver(models.Model):
    """A row a carrier (orgs/succession.py, `keep_history`) handed on from a unit that ceased in
    a reorganization: where it was before `effective_on`, so the figures of a past day count it
    on the tree of that day. Rows are named by their carrier's key and id (the tree sits below
    the apps that own them)."""

    carrier = models.CharField(max_length=40)
    row_id = models.BigIntegerField()
    from_unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    from_path = models.CharField(max_length=255)
    effective_on = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["carrier", "row_id", "effective_on"]),
            # The rows a subtree handed on: a range of paths (a LIKE prefix on PostgreSQL).
            models.Index(
                fields=["carrier", "from_path", "effective_on"],
                name="handover_from_path",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "date_ops"],
            ),
        ]


class MandateQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MandateQuerySet":
        """Mandates given by a unit the user sees (the principal's page lists them)."""
        from hienthuc.scope import subtree_q

        return self.filter(subtree_q(user, "principal__path"))

    def active(self, day: datetime.date | None = None) -> "MandateQuerySet":
        day = day or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day), started_on__lte=day)


class Mandate(models.Model):
    """A body working on behalf of the unit it serves (làm thay, tham mưu): the committee's
    office registers, numbers and issues the committee's documents and drafts its plans; an
    advisory board registers the drafts it prepares. The agent's editors then read the
    principal's whole subtree and act on the principal itself, each action audited as "by X
    for Y" (hienthuc/scope.py reads these with the user's roles)."""

    agent = models.ForeignKey(
        Organization, verbose_name=_("cơ quan làm thay"), on_delete=models.PROTECT, related_name="mandates"
    )
    principal = models.ForeignKey(
        Organization, verbose_name=_("làm thay cho"), on_delete=models.PROTECT, related_name="mandates_given"
    )
    kind = models.CharField(_("phạm vi"), max_length=12, choices=MandateKind.choices)
    decision = models.CharField(_("căn cứ"), max_length=200, blank=True)
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("ủy nhiệm làm thay")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(agent=models.F("principal")), name="mandate_not_self"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")), name="mandate_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agent} → {self.principal} ({self.get_kind_display()})"
