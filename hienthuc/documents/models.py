from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hienthuc.lib.text import fold


class System(models.TextChoices):
    PARTY = "party", _("Văn bản của Đảng")
    STATE = "state", _("Văn bản nhà nước")


class DocumentKind(models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(_("loại văn bản"), max_length=100, unique=True)
    system = models.CharField(max_length=8, choices=System.choices)
    # The abbreviation numbers of this kind carry (NQ, KL, QĐ …); kinds sharing one share its
    # series; empty for a kind numbered as written (documents/kinds.py).
    abbreviation = models.CharField(_("ký hiệu loại"), max_length=12, blank=True)
    # Other forms seen on real numbers of this kind, space-separated ("QĐi").
    other_abbreviations = models.CharField(_("ký hiệu khác"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("loại văn bản")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def abbreviations(self) -> list[str]:
        return [a for a in [self.abbreviation, *self.other_abbreviations.split()] if a]


class Confidentiality(models.TextChoices):
    """The secrecy levels of state secrets (Luật Bảo vệ bí mật nhà nước 2018), lowest first."""

    NORMAL = "thuong", _("Thường")
    SECRET = "mat", _("Mật")
    TOP_SECRET = "toi_mat", _("Tối mật")
    ABSOLUTE = "tuyet_mat", _("Tuyệt mật")


SECRET_LEVELS = [Confidentiality.SECRET, Confidentiality.TOP_SECRET, Confidentiality.ABSOLUTE]


def levels_opened_by(level: str) -> list[str]:
    """The secret levels a grant given at `level` opens: its own and the lower ones, never a
    higher one — a document raised from Mật to Tối mật closes to its Mật grants."""
    if level not in SECRET_LEVELS:
        return []
    return SECRET_LEVELS[: SECRET_LEVELS.index(level) + 1]


def opening_grants(user) -> "models.QuerySet":
    """The user's grants that open their document at its current level."""
    opens = Q()
    for level in SECRET_LEVELS:
        opens |= Q(level=level, document__confidentiality__in=levels_opened_by(level))
    return DocumentGrant.objects.filter(opens, user_id=user.pk)


class Urgency(models.TextChoices):
    """Độ khẩn. An urgent document's tasks are registered the same day it arrives, an ordinary
    one's within a working day (docs/architecture.md, "Incoming documents")."""

    NORMAL = "", _("Thường")
    URGENT = "khan", _("Khẩn")
    VERY_URGENT = "thuong_khan", _("Thượng khẩn")
    FLASH = "hoa_toc", _("Hỏa tốc")


class Status(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    EXPIRED = "expired", _("Hết hiệu lực")
    REPLACED = "replaced", _("Đã bị thay thế")


class IssuingBody(models.TextChoices):
    EXECUTIVE = "bch", _("Ban Chấp hành")
    STANDING = "btv", _("Ban Thường vụ")
    STANDING_OFFICE = "tt", _("Thường trực")
    OFFICE = "vp", _("Văn phòng")
    INSPECTION = "ubkt", _("Ủy ban Kiểm tra")
    # A congress and its presidium issue in one series of their own, under the issuer code ĐH.
    CONGRESS = "dh", _("Đại hội")
    PRESIDIUM = "dcd", _("Đoàn Chủ tịch Đại hội")
    BOARD = "ban", _("Ban tham mưu")
    GOVERNMENT = "cq", _("Cơ quan nhà nước")
    OTHER = "khac", _("Khác")


CONGRESS_BODIES = (IssuingBody.CONGRESS, IssuingBody.PRESIDIUM)
CONGRESS_ISSUER = "ĐH"


def readable_q(user, prefix: str = "") -> Q:
    """The secrecy half of visibility: a document of ordinary confidentiality, or one the user
    holds a grant for at its level or above. Plans and tasks apply it to their own document too."""
    granted = opening_grants(user).values("document_id")
    return Q(**{f"{prefix}confidentiality": Confidentiality.NORMAL}) | Q(**{f"{prefix}pk__in": granted})


def granted_ids(user) -> set[int]:
    """Ids of the secret documents the user's grants open, cached on the user for the request."""
    cached = getattr(user, "_hienthuc_document_grants", None)
    if cached is None:
        cached = set(opening_grants(user).values_list("document_id", flat=True))
        user._hienthuc_document_grants = cached
    return cached


def is_visible(user, document: "Document | None") -> bool:
    """visible_to() for one document already in memory: the rule every place that merely
    mentions a document (a plan's source, a cascade row, an audit event, an export, an API
    field) applies before showing its number or summary. Reads the issuing unit's path, so
    lists select_related("…issuing_unit"). tests/test_references.py checks it agrees with
    visible_to() over a grid of users and documents."""
    from hienthuc.scope import covers, root_paths

    if document is None:
        return False
    if document.confidentiality != Confidentiality.NORMAL and document.pk not in granted_ids(user):
        return False
    if user.is_superuser:
        return True
    path = document.issuing_unit.path
    if covers(user, path):
        return True
    # Issued (not draft) documents of the units above the user's.
    return document.status != Status.DRAFT and any(
        root.startswith(path) and len(root) > len(path) for root in root_paths(user)
    )


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentQuerySet":
        """Documents issued in the user's subtrees, and those issued (not drafts) by the units
        above them — what comes from above is what they must implement. A "mật" document only
        for users explicitly granted it, everywhere: lists, search, links and the API."""
        from hienthuc.scope import above_q, subtree_q

        if user.is_superuser:
            scoped = self
        else:
            scoped = self.filter(
                subtree_q(user, "issuing_unit__path") | (above_q(user, "issuing_unit__path") & ~Q(status=Status.DRAFT))
            )
        return scoped.filter(readable_q(user))

    def search(self, text: str) -> "DocumentQuerySet":
        """Every word must appear, without regard to diacritics; a document number in any of
        its written forms finds its document."""
        from hienthuc.lib.docnumbers import NumberError, parse

        text = (text or "").strip()
        if not text:
            return self
        try:
            return self.filter(number_normalized=parse(text).normalized)
        except NumberError:
            pass
        folded = fold(text)
        result = self
        for word in folded.split()[:8]:
            result = result.filter(search_text__contains=word)
        # The text begins with the kind and number: "ket luan 21" puts Kết luận 21-KL/TW first.
        first = models.Case(models.When(search_text__startswith=folded, then=0), default=1)
        return result.order_by(first, "-issued_on", "-id")


class Document(models.Model):
    kind = models.ForeignKey(DocumentKind, verbose_name=_("loại văn bản"), on_delete=models.PROTECT)
    number_text = models.CharField(_("số hiệu"), max_length=60, blank=True)
    # The parsed number: empty for a draft that has none yet.
    number_normalized = models.CharField(max_length=60, blank=True, db_index=True)
    number_system = models.CharField(max_length=8, choices=System.choices, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    number_kind = models.CharField(max_length=12, blank=True)
    number_issuer = models.CharField(max_length=40, blank=True)
    number_year = models.PositiveSmallIntegerField(null=True, blank=True)
    issuing_unit = models.ForeignKey(
        "orgs.Organization", verbose_name=_("đơn vị ban hành"), on_delete=models.PROTECT, related_name="documents"
    )
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=8, choices=IssuingBody.choices)
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("nơi ban hành"), max_length=100, blank=True)
    summary = models.TextField(_("trích yếu"))
    term = models.ForeignKey(
        "committees.Term", verbose_name=_("nhiệm kỳ"), null=True, blank=True, on_delete=models.PROTECT
    )
    confidentiality = models.CharField(
        _("độ mật"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default="", blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    full_text = models.TextField(_("toàn văn"), blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Raised by every edit, so two people editing one entry cannot overwrite each other (actions.py).
    version = models.PositiveIntegerField(default=1)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["issuing_unit", "issued_on"]),
            models.Index(fields=["issued_on"]),
        ]
        constraints = [
            # Party numbers run per kind for a whole term at one issuer (Hướng dẫn 36-HD/VPTW).
            models.UniqueConstraint(
                fields=["issuing_unit", "number_system", "number_kind", "number_issuer", "term", "number"],
                condition=Q(number__isnull=False, term__isnull=False),
                name="document_number_unique_in_term",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="document_summary_not_empty"),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(number_normalized=""), name="document_issued_has_number"
            ),
        ]

    def __str__(self) -> str:
        number = self.number_normalized or _("(chưa có số)")
        return f"{self.kind.name} {number}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("document_detail", args=[self.pk])

    def issued_within(self, unit) -> bool:
        """Issued (with its date) by `unit` or a unit or body of its tree: what a decision, a
        conclusion or a commendation of that unit must be."""
        return (
            self.status == Status.ISSUED and self.issued_on is not None and self.issuing_unit.path.startswith(unit.path)
        )

    def refresh_search_text(self) -> None:
        parts = [
            self.kind.name,
            self.number_normalized,
            self.number_text,
            self.summary,
            self.signer,
            self.issuing_unit.name,
            self.issuing_unit.short_name,
            self.full_text[:20_000],
        ]
        self.search_text = fold(" ".join(p for p in parts if p))


class DocumentGrant(models.Model):
    """Explicit access to a secret document, at the level it had when granted: raising the
    document's level closes it until a holder of the new level grants again."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_grants")
    level = models.CharField(
        _("độ mật được cấp"), max_length=10, choices=Confidentiality.choices, default=Confidentiality.SECRET
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyền đọc văn bản")
        constraints = [
            models.CheckConstraint(condition=~Q(level=Confidentiality.NORMAL), name="document_grant_level_secret"),
            models.UniqueConstraint(fields=["document", "user"], name="document_grant_unique"),
        ]


class AttachmentType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"
    XLSX = "xlsx", "Excel (.xlsx)"


class Attachment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    file_type = models.CharField(max_length=8, choices=AttachmentType.choices)
    size = models.PositiveIntegerField()
    extracted_text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class LinkKind(models.TextChoices):
    IMPLEMENTS = "implements", _("Thực hiện")
    GUIDES = "guides", _("Hướng dẫn thực hiện")
    REPLACES = "replaces", _("Thay thế")
    ANNULS = "annuls", _("Bãi bỏ")
    AMENDS = "amends", _("Sửa đổi, bổ sung")
    CITES = "cites", _("Dẫn chiếu")


# A link that ends its target once its source is issued: the status the target takes.
ENDING = {LinkKind.REPLACES: Status.REPLACED, LinkKind.ANNULS: Status.EXPIRED}


# How a link reads from the other end: "X implements Y" shows on Y as "implemented by X".
INVERSE_LABELS = {
    LinkKind.IMPLEMENTS: _("Được thực hiện bởi"),
    LinkKind.GUIDES: _("Được hướng dẫn bởi"),
    LinkKind.REPLACES: _("Bị thay thế bởi"),
    LinkKind.ANNULS: _("Bị bãi bỏ bởi"),
    LinkKind.AMENDS: _("Được sửa đổi, bổ sung bởi"),
    LinkKind.CITES: _("Được dẫn chiếu bởi"),
}


class DocumentLinkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentLinkQuerySet":
        """A link names both its documents: it is visible when both ends are."""
        visible = Document.objects.visible_to(user)
        return self.filter(source__in=visible, target__in=visible)


class DocumentLink(models.Model):
    """A typed link: `source` implements / guides / replaces / amends / cites `target`."""

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("quan hệ"), max_length=12, choices=LinkKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("liên kết văn bản")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="document_link_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="document_link_not_self"),
            models.CheckConstraint(condition=Q(kind__in=LinkKind.values), name="document_link_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"

    @property
    def inverse_label(self) -> str:
        return str(INVERSE_LABELS[LinkKind(self.kind)])
