from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.evaluations.models import Band, CommendationKind, EvaluationRule
from hienthuc.forms import ScopedForm, UnitField, suggested_input

SCORE = {
    "label": gettext_lazy("Điểm (0–100)"),
    "required": False,
    "max_digits": 5,
    "decimal_places": 2,
    "error_messages": {"invalid": gettext_lazy("Điểm phải là số, ví dụ 92,5.")},
}


class OpenForm(ScopedForm):
    unit = UnitField(label=gettext_lazy("Cấp đánh giá"))
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000, max_value=2200)
    people = forms.BooleanField(
        label=gettext_lazy("Đánh giá đảng viên của đơn vị (không chọn: các tổ chức trực thuộc)"), required=False
    )
    whole_term = forms.BooleanField(
        label=gettext_lazy("Đánh giá cả nhiệm kỳ (nhiệm kỳ hiện tại của cấp đánh giá)"), required=False
    )


class BandForm(forms.Form):
    score = forms.DecimalField(**SCORE)
    band = forms.ChoiceField(label=gettext_lazy("Xếp loại"), choices=Band.choices)
    reason = forms.CharField(
        label=gettext_lazy("Lý do (bắt buộc khi khác mức đề xuất)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class DecideForm(BandForm):
    decision = forms.CharField(
        label=gettext_lazy("Quyết định (số hiệu, chọn trong gợi ý)"), max_length=300, required=False,
        widget=suggested_input("document_lookup", "document"),
    )  # fmt: skip


class CommendForm(forms.Form):
    decision = forms.CharField(
        label=gettext_lazy("Quyết định khen thưởng (số hiệu, chọn trong gợi ý)"), max_length=300, required=False,
        widget=suggested_input("document_lookup", "document"),
    )  # fmt: skip
    kind = forms.ChoiceField(label=gettext_lazy("Hình thức"), choices=CommendationKind.choices)


class RuleForm(forms.ModelForm):
    class Meta:
        model = EvaluationRule
        fields = ["name", "source", "excellent_min", "good_min", "complete_min", "late_penalty", "complete_max_late",
                  "weight_tasks", "weight_reports", "weight_indicators", "weight_study", "aim_good"]  # fmt: skip
