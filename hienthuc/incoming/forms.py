from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.documents.models import Confidentiality, DocumentKind, Urgency
from hienthuc.forms import ScopedForm, UnitField
from hienthuc.incoming.models import IncomingStatus

DATE_ERRORS = {"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 25/10/2021.")}


class IncomingForm(ScopedForm):
    unit = UnitField(label=gettext_lazy("Đơn vị nhận"))
    receipt_number = forms.IntegerField(
        label=gettext_lazy("Số đến"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Để trống để lấy số tiếp theo của năm."),
    )
    received_on = forms.DateField(label=gettext_lazy("Ngày đến"), error_messages=DATE_ERRORS)
    sender = forms.CharField(label=gettext_lazy("Nơi gửi"), max_length=255)
    number_text = forms.CharField(
        label=gettext_lazy("Số, ký hiệu văn bản"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Ví dụ 21-KL/TW; văn bản đã có trong sổ được liên kết tự động."),
    )
    original_date = forms.DateField(label=gettext_lazy("Ngày văn bản"), required=False, error_messages=DATE_ERRORS)
    kind = forms.ModelChoiceField(
        label=gettext_lazy("Loại văn bản"), queryset=DocumentKind.objects.all(), required=False
    )
    summary = forms.CharField(
        label=gettext_lazy("Trích yếu"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgency = forms.ChoiceField(label=gettext_lazy("Độ khẩn"), choices=Urgency.choices, required=False)
    confidentiality = forms.ChoiceField(
        label=gettext_lazy("Độ mật"), choices=Confidentiality.choices, initial=Confidentiality.NORMAL
    )


class DirectionForm(ScopedForm):
    direction = forms.CharField(
        label=gettext_lazy("Ý kiến chỉ đạo (như trên phiếu xử lý)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    directed_by = forms.CharField(label=gettext_lazy("Người cho ý kiến"), max_length=150)
    directed_on = forms.DateField(label=gettext_lazy("Ngày cho ý kiến"), required=False, error_messages=DATE_ERRORS)
    assigned_unit = UnitField(
        label=gettext_lazy("Cơ quan được giao chủ trì"),
        required=False,
        help_text=gettext_lazy("Để trống nếu chỉ lưu, không giao việc."),
    )
    deadline_text = forms.CharField(
        label=gettext_lazy("Thời hạn"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Ví dụ 15/11/2026, Quý I/2027."),
    )


class AnswerForm(forms.Form):
    document = forms.CharField(
        label=gettext_lazy("Văn bản trả lời, thực hiện (số hiệu, chọn trong gợi ý)"), max_length=300
    )


class IncomingFilter(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Tình trạng"),
        required=False,
        choices=[("", "—"), ("overdue", gettext_lazy("Quá hạn")), *IncomingStatus.choices],
    )
    year = forms.IntegerField(label=gettext_lazy("Năm"), required=False, min_value=1930, max_value=2200)
    q = forms.CharField(label=gettext_lazy("Tìm"), required=False, max_length=200)
