from django import forms

from hienthuc.documents.models import Confidentiality, DocumentKind, IssuingBody, LinkKind, Status
from hienthuc.forms import ScopedForm, UnitField, suggested_input

DATE_ERRORS = {"invalid": "Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 25/10/2021."}


class DocumentForm(ScopedForm):
    kind = forms.ModelChoiceField(label="Loại văn bản", queryset=DocumentKind.objects.all())
    number_text = forms.CharField(
        label="Số hiệu",
        max_length=60,
        required=False,
        help_text="Ví dụ 21-KL/TW, 01-NQ/TU hoặc 30/2020/NĐ-CP. Dự thảo có thể chưa có số.",
    )
    issuing_unit = UnitField(label="Đơn vị ban hành")
    issuing_body = forms.ChoiceField(label="Cơ quan ban hành", choices=IssuingBody.choices)
    issued_on = forms.DateField(label="Ngày ban hành", required=False, error_messages=DATE_ERRORS)
    place = forms.CharField(label="Nơi ban hành", max_length=100, required=False)
    signer = forms.CharField(label="Người ký", max_length=150, required=False)
    summary = forms.CharField(label="Trích yếu", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    confidentiality = forms.ChoiceField(label="Độ mật", choices=Confidentiality.choices)
    status = forms.ChoiceField(label="Trạng thái", choices=Status.choices, initial=Status.ISSUED)
    full_text = forms.CharField(label="Toàn văn (nếu có)", required=False, widget=forms.Textarea(attrs={"rows": 6}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label="Tệp đính kèm (PDF, DOCX, XLSX)")


class LinkForm(forms.Form):
    target = forms.CharField(label="Văn bản liên quan (số hiệu, chọn trong gợi ý)", max_length=300)
    kind = forms.ChoiceField(label="Văn bản này … văn bản kia", choices=LinkKind.choices)


class GrantForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập được xem", max_length=150)


class RegisterFilter(forms.Form):
    q = forms.CharField(label="Tìm", required=False, max_length=200)
    kind = forms.ModelChoiceField(label="Loại", queryset=DocumentKind.objects.all(), required=False)
    unit = forms.CharField(
        label="Đơn vị ban hành",
        required=False,
        max_length=300,
        widget=suggested_input("unit_lookup", "unit"),
    )
    subtree = forms.BooleanField(label="Gồm cả đơn vị trực thuộc", required=False)
    year = forms.IntegerField(label="Năm", required=False, min_value=1930, max_value=2200)
    term = forms.CharField(label="Khóa", required=False, max_length=12)
    status = forms.ChoiceField(label="Trạng thái", choices=[("", "—"), *Status.choices], required=False)
