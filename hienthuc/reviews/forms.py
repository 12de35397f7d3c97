from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.forms import ScopedForm, UnitField
from hienthuc.reviews.models import ReviewKind

TEXT = {"required": False, "widget": forms.Textarea(attrs={"rows": 5})}


class ReviewForm(ScopedForm):
    unit = UnitField(label=gettext_lazy("Đơn vị"))
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=ReviewKind.choices)
    title = forms.CharField(label=gettext_lazy("Tên báo cáo"), max_length=500)
    period_text = forms.CharField(label=gettext_lazy("Thời gian"), max_length=100, required=False)
    meeting = forms.IntegerField(
        label=gettext_lazy("Đại hội, hội nghị (mã trong đường dẫn)"), required=False, min_value=1
    )
    plan = forms.IntegerField(label=gettext_lazy("Kế hoạch (mã trong đường dẫn)"), required=False, min_value=1)
    term = forms.CharField(label=gettext_lazy("Nhiệm kỳ (số khóa, ví dụ XX)"), max_length=20, required=False)
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False, min_value=1930, max_value=2200)


class TextsForm(forms.Form):
    results = forms.CharField(label=gettext_lazy("Kết quả đạt được"), **TEXT)
    shortcomings = forms.CharField(label=gettext_lazy("Hạn chế, khuyết điểm"), **TEXT)
    causes = forms.CharField(label=gettext_lazy("Nguyên nhân"), **TEXT)
    lessons = forms.CharField(label=gettext_lazy("Bài học kinh nghiệm"), **TEXT)
