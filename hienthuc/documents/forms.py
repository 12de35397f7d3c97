from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.documents.models import Confidentiality, DocumentKind, IssuingBody, LinkKind, Status, Urgency
from hienthuc.forms import ScopedForm, UnitField, suggested_input

DATE_ERRORS = {"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 25/10/2021.")}


class DocumentForm(ScopedForm):
    # The version the editor opened (edits only): a save over someone else's newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ModelChoiceField(label=gettext_lazy("Loại văn bản"), queryset=DocumentKind.objects.all())
    number_text = forms.CharField(
        label=gettext_lazy("Số hiệu"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Ví dụ 21-KL/TW, 01-NQ/TU hoặc 30/2020/NĐ-CP. Dự thảo có thể chưa có số."),
    )
    issuing_unit = UnitField(label=gettext_lazy("Đơn vị ban hành"))
    issuing_body = forms.ChoiceField(label=gettext_lazy("Cơ quan ban hành"), choices=IssuingBody.choices)
    issued_on = forms.DateField(label=gettext_lazy("Ngày ban hành"), required=False, error_messages=DATE_ERRORS)
    place = forms.CharField(label=gettext_lazy("Nơi ban hành"), max_length=100, required=False)
    signer = forms.CharField(label=gettext_lazy("Người ký"), max_length=150, required=False)
    summary = forms.CharField(
        label=gettext_lazy("Trích yếu"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidentiality = forms.ChoiceField(label=gettext_lazy("Độ mật"), choices=Confidentiality.choices)
    urgency = forms.ChoiceField(label=gettext_lazy("Độ khẩn"), choices=Urgency.choices, required=False)
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=Status.choices, initial=Status.ISSUED)
    full_text = forms.CharField(
        label=gettext_lazy("Toàn văn (nếu có)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp đính kèm (PDF, DOCX, XLSX)"))


class LinkForm(forms.Form):
    target = forms.CharField(label=gettext_lazy("Văn bản liên quan (số hiệu, chọn trong gợi ý)"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Văn bản này … văn bản kia"), choices=LinkKind.choices)


class GrantForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Tên đăng nhập được xem"), max_length=150)


class RegisterFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Tìm"), required=False, max_length=200)
    kind = forms.ModelChoiceField(label=gettext_lazy("Loại"), queryset=DocumentKind.objects.all(), required=False)
    unit = forms.CharField(
        label=gettext_lazy("Đơn vị ban hành"),
        required=False,
        max_length=300,
        widget=suggested_input("unit_lookup", "unit"),
    )
    subtree = forms.BooleanField(label=gettext_lazy("Gồm cả đơn vị trực thuộc"), required=False)
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False, min_value=1930, max_value=2200)
    term = forms.CharField(label=gettext_lazy("Khóa"), required=False, max_length=12)
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái"), choices=[("", "—"), *Status.choices], required=False)
