from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.forms import PersonField, ScopedForm, UnitField, UnitsBelowForm, UnitsField
from hienthuc.lib.deadlines import ACCEPTED, STATUS_LABELS
from hienthuc.plans.models import PlanKind, Task

DATE_ERRORS = {"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 01/11/2021.")}


class PlanForm(ScopedForm):
    unit = UnitField(label=gettext_lazy("Đơn vị ban hành"))
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=PlanKind.choices)
    title = forms.CharField(label=gettext_lazy("Tên kế hoạch"), max_length=1000)
    source = forms.CharField(
        label=gettext_lazy("Văn bản được thực hiện (số hiệu, chọn trong gợi ý)"), max_length=300, required=False
    )


class TaskForm(ScopedForm):
    section = forms.CharField(label=gettext_lazy("Mục (ví dụ I. Xây dựng Đảng)"), max_length=300, required=False)
    content = forms.CharField(
        label=gettext_lazy("Nội dung nhiệm vụ"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    lead_unit = UnitField(label=gettext_lazy("Cơ quan chủ trì"))
    cooperating = UnitsField(label=gettext_lazy("Cơ quan phối hợp (cách nhau bởi dấu chấm phẩy)"), required=False)
    output = forms.CharField(label=gettext_lazy("Sản phẩm"), max_length=500, required=False)
    deadline_text = forms.CharField(
        label=gettext_lazy("Thời gian hoàn thành"),
        max_length=100,
        help_text=gettext_lazy("Ví dụ: %(accepted)s.") % {"accepted": ACCEPTED},
    )
    notes = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=5000, required=False)
    leader = PersonField(label=gettext_lazy("Lãnh đạo phụ trách (họ tên, chọn trong gợi ý)"), required=False)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Là nhiệm vụ con của"), queryset=Task.objects.none(), required=False
    )
    from_task = forms.ModelChoiceField(
        label=gettext_lazy("Thực hiện nhiệm vụ của kế hoạch cấp trên"), queryset=Task.objects.none(), required=False
    )
    amendment_reason = forms.CharField(
        label=gettext_lazy("Lý do sửa đổi, bổ sung (bắt buộc khi kế hoạch đã ban hành)"), max_length=500, required=False
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["parent"].queryset = plan.tasks.filter(parent=None)
            self.fields["parent"].label_from_instance = short_task
            # A task of the plan above, led by this plan's unit or a unit above it.
            above = (
                Task.objects.visible_to(self.user).filter(plan_id=plan.parent_plan_id) if plan.parent_plan_id else None
            )
            self.fields["from_task"].queryset = above if above is not None else Task.objects.none()
            self.fields["from_task"].label_from_instance = short_task
        else:
            del self.fields["parent"], self.fields["from_task"]


def short_task(task: Task) -> str:
    return f"{task.order}. {task.content[:90]}"


class IssueForm(forms.Form):
    number_text = forms.CharField(label=gettext_lazy("Số hiệu"), max_length=60)
    issued_on = forms.DateField(label=gettext_lazy("Ngày ban hành"), error_messages=DATE_ERRORS)


class ProgressForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    percent = forms.IntegerField(
        label=gettext_lazy("Tiến độ (%)"),
        error_messages={"invalid": gettext_lazy("Tiến độ phải là một số từ 0 đến 100.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Nội dung báo cáo"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_link = forms.CharField(label=gettext_lazy("Đường dẫn tới sản phẩm"), max_length=500, required=False)
    complete = forms.BooleanField(label=gettext_lazy("Đã hoàn thành (có sản phẩm)"), required=False)
    completed_on = forms.DateField(label=gettext_lazy("Ngày hoàn thành"), required=False, error_messages=DATE_ERRORS)


class TaskFilter(ScopedForm):
    scope = forms.ChoiceField(
        label=gettext_lazy("Phạm vi"),
        required=False,
        choices=[
            ("", gettext_lazy("Tất cả")),
            ("mine", gettext_lazy("Tôi phụ trách")),
            ("unit", gettext_lazy("Đơn vị tôi chủ trì")),
            ("subtree", gettext_lazy("Đơn vị tôi và trực thuộc chủ trì")),
        ],
    )
    state = forms.ChoiceField(
        label=gettext_lazy("Thời hạn"),
        required=False,
        choices=[("", "—"), ("overdue", gettext_lazy("Quá hạn")), ("month", gettext_lazy("Đến hạn trong tháng này"))],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"), required=False, choices=[("", "—"), *STATUS_LABELS.items()]
    )
    under = UnitField(label=gettext_lazy("Do đơn vị này và các đơn vị trực thuộc chủ trì"), required=False)
    lead = UnitField(label=gettext_lazy("Cơ quan chủ trì"), required=False)
    plan = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**53)
    document = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=2**53)
    issued = forms.BooleanField(label=gettext_lazy("Chỉ kế hoạch đã ban hành"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("under", "lead"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"


class RequireForm(UnitsBelowForm):
    due_on = forms.DateField(label=gettext_lazy("Hạn ban hành"), error_messages=DATE_ERRORS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].label = _("Đơn vị phải ban hành kế hoạch thực hiện")


class VersionedTasksField(forms.Field):
    """Checked tasks as "id:version" values: the version each row showed, for optimistic locking."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[tuple[int, int]]:
        picked = []
        for item in value or []:
            pk, _colon, version = str(item).partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError(_("Danh sách nhiệm vụ được chọn không hợp lệ; hãy tải lại trang."))
            picked.append((int(pk), int(version)))
        if not picked:
            raise forms.ValidationError(_("Hãy chọn ít nhất một nhiệm vụ."))
        if len(picked) > 500:
            raise forms.ValidationError(_("Mỗi lần chỉ thao tác tối đa 500 nhiệm vụ."))
        return picked


class BulkTaskForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("Thao tác"),
        choices=[
            ("deadline", gettext_lazy("Đổi thời hạn hoàn thành")),
            ("explain", gettext_lazy("Yêu cầu giải trình (nhiệm vụ quá hạn)")),
        ],
    )
    tasks = VersionedTasksField(required=False)
    deadline_text = forms.CharField(label=gettext_lazy("Thời hạn mới"), max_length=100, required=False)
    amendment_reason = forms.CharField(
        label=gettext_lazy("Lý do (bắt buộc với kế hoạch đã ban hành)"), max_length=500, required=False
    )
    question = forms.CharField(label=gettext_lazy("Nội dung yêu cầu giải trình"), max_length=5000, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "deadline" and not (data.get("deadline_text") or "").strip():
            self.add_error("deadline_text", _("Hãy ghi thời hạn mới."))
        if data.get("action") == "explain" and not (data.get("question") or "").strip():
            self.add_error("question", _("Hãy ghi nội dung cần giải trình."))
        return data
