from django import forms

from hienthuc.committees.models import Body, SeatRole
from hienthuc.forms import PersonField, ScopedForm, UnitField

YEAR_ERRORS = {"invalid": "Năm phải là một số, ví dụ 2020.", "required": "Hãy nhập năm."}


class TermForm(forms.Form):
    number = forms.CharField(label="Khóa (số La Mã, ví dụ XX)", max_length=12)
    start_year = forms.IntegerField(label="Từ năm", error_messages=YEAR_ERRORS)
    end_year = forms.IntegerField(label="Đến năm", error_messages=YEAR_ERRORS)
    began_on = forms.DateField(
        label="Ngày bắt đầu (bế mạc đại hội), nếu biết",
        required=False,
        error_messages={"invalid": "Ngày không hợp lệ; hãy nhập ngày/tháng/năm."},
    )


class SeatForm(ScopedForm):
    person = PersonField(label="Họ và tên (chọn trong danh sách gợi ý)")
    body = forms.ChoiceField(label="Cơ quan", choices=Body.choices)
    role = forms.ChoiceField(label="Chức danh", choices=SeatRole.choices)


class AssignmentForm(ScopedForm):
    seat = forms.ChoiceField(label="Cấp ủy viên")
    field = forms.CharField(label="Lĩnh vực phụ trách", max_length=1000, required=False)
    unit = UnitField(label="Đơn vị, địa bàn phụ trách", required=False)
    note = forms.CharField(label="Ghi chú", max_length=1000, required=False)
