from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.committees.models import Body, SeatRole, SeatSource
from hienthuc.forms import PersonField, ScopedForm, UnitField

YEAR_ERRORS = {"invalid": gettext_lazy("Năm phải là một số, ví dụ 2020."), "required": gettext_lazy("Hãy nhập năm.")}


class TermForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Khóa (số La Mã, ví dụ XX)"), max_length=12)
    start_year = forms.IntegerField(label=gettext_lazy("Từ năm"), error_messages=YEAR_ERRORS)
    end_year = forms.IntegerField(label=gettext_lazy("Đến năm"), error_messages=YEAR_ERRORS)
    began_on = forms.DateField(
        label=gettext_lazy("Ngày bắt đầu (bế mạc đại hội), nếu biết"),
        required=False,
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm.")},
    )


DATE_ERRORS = {"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm.")}


class SeatForm(ScopedForm):
    person = PersonField(label=gettext_lazy("Họ và tên (chọn trong danh sách gợi ý)"))
    body = forms.ChoiceField(label=gettext_lazy("Cơ quan"), choices=Body.choices)
    role = forms.ChoiceField(label=gettext_lazy("Chức danh"), choices=SeatRole.choices)
    how = forms.ChoiceField(
        label=gettext_lazy("Hình thức"), choices=SeatSource.choices, required=False, initial=SeatSource.ELECTED
    )
    start_date = forms.DateField(label=gettext_lazy("Từ ngày"), required=False, error_messages=DATE_ERRORS)
    decision = forms.CharField(
        label=gettext_lazy("Quyết định, biên bản (bầu bổ sung, chỉ định)"), max_length=300, required=False
    )

    def clean_how(self) -> str:
        return self.cleaned_data["how"] or SeatSource.ELECTED


class EndForm(forms.Form):
    """The day a seat or an assignment ends (and the decision, for a seat)."""

    end_date = forms.DateField(label=gettext_lazy("Đến ngày"), error_messages=DATE_ERRORS)
    decision = forms.CharField(label=gettext_lazy("Quyết định"), max_length=300, required=False)


class AssignmentForm(ScopedForm):
    seat = forms.ChoiceField(label=gettext_lazy("Cấp ủy viên"))
    field = forms.CharField(label=gettext_lazy("Lĩnh vực phụ trách"), max_length=1000, required=False)
    unit = UnitField(label=gettext_lazy("Đơn vị, địa bàn phụ trách"), required=False)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=1000, required=False)
