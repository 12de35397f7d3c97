from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.forms import PersonField, ScopedForm, UnitField, suggested_input
from hienthuc.inspections.models import Body, Form, Penalty, TeamRole

DATE_ERRORS = {"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 15/08/2022.")}
DOCUMENT_HELP = gettext_lazy("Số hiệu văn bản đã đăng ký, chọn trong gợi ý")


def document_field(label, required=True) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=300, required=required, help_text=DOCUMENT_HELP,
        widget=suggested_input("document_lookup", "document"),
    )  # fmt: skip


class SubjectForm(ScopedForm):
    body = forms.ChoiceField(label=gettext_lazy("Chủ thể tiến hành"), choices=Body.choices)
    form = forms.ChoiceField(label=gettext_lazy("Hình thức"), choices=Form.choices)
    subject_unit = UnitField(label=gettext_lazy("Đối tượng: tổ chức đảng"), required=False)
    subject_person = PersonField(label=gettext_lazy("hoặc đảng viên"), required=False)
    content = forms.CharField(label=gettext_lazy("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))
    period_text = forms.CharField(
        label=gettext_lazy("Thời gian"), max_length=100, required=False, help_text=gettext_lazy("Ví dụ Quý III/2022")
    )


class InspectionForm(SubjectForm):
    unit = UnitField(label=gettext_lazy("Cấp ủy tiến hành"))
    decision = document_field(gettext_lazy("Quyết định kiểm tra, giám sát"), required=False)

    field_order = ["unit", "body", "form", "subject_unit", "subject_person", "content", "period_text", "decision"]


class ProgramItemForm(SubjectForm):
    amendment_reason = forms.CharField(
        label=gettext_lazy("Lý do sửa đổi, bổ sung (chương trình đã ban hành)"), max_length=500, required=False
    )


class StartForm(forms.Form):
    decision = document_field(gettext_lazy("Quyết định kiểm tra, giám sát"), required=False)
    started_on = forms.DateField(label=gettext_lazy("Ngày bắt đầu"), error_messages=DATE_ERRORS)


class TeamForm(ScopedForm):
    person = PersonField(label=gettext_lazy("Thành viên đoàn"))
    role = forms.ChoiceField(label=gettext_lazy("Nhiệm vụ"), choices=TeamRole.choices)


class FindingsForm(forms.Form):
    findings = forms.CharField(
        label=gettext_lazy("Kết quả kiểm tra, giám sát"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    confidential = forms.BooleanField(label=gettext_lazy("Chỉ lưu hành nội bộ"), required=False)


class ConcludeForm(forms.Form):
    conclusion = document_field(gettext_lazy("Thông báo kết luận"))
    concluded_on = forms.DateField(
        label=gettext_lazy("Ngày kết luận"), required=False, error_messages=DATE_ERRORS,
        help_text=gettext_lazy("Để trống: ngày ban hành thông báo"),
    )  # fmt: skip


class RecommendationForm(ScopedForm):
    content = forms.CharField(label=gettext_lazy("Kiến nghị"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline_text = forms.CharField(label=gettext_lazy("Thời hạn"), max_length=100)
    lead_unit = UnitField(
        label=gettext_lazy("Đơn vị thực hiện"),
        required=False,
        help_text=gettext_lazy("Để trống: đối tượng được kiểm tra"),
    )


class DisciplineForm(ScopedForm):
    penalty = forms.ChoiceField(label=gettext_lazy("Hình thức kỷ luật"), choices=Penalty.choices)
    subject_unit = UnitField(label=gettext_lazy("Tổ chức đảng"), required=False)
    subject_person = PersonField(label=gettext_lazy("hoặc đảng viên"), required=False)
    decision = document_field(gettext_lazy("Quyết định kỷ luật"), required=False)
    reason = forms.CharField(label=gettext_lazy("Nội dung vi phạm"), widget=forms.Textarea(attrs={"rows": 2}))
