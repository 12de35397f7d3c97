from django import forms

from hienthuc.forms import ScopedForm, UnitField
from hienthuc.people.models import Gender

DATE_HELP = "Định dạng ngày/tháng/năm, ví dụ 03/02/1990."


class PersonForm(ScopedForm):
    full_name = forms.CharField(label="Họ và tên", max_length=1000)
    birth_year = forms.IntegerField(
        label="Năm sinh", required=False, error_messages={"invalid": "Năm sinh phải là một số, ví dụ 1975."}
    )
    gender = forms.ChoiceField(label="Giới tính", choices=[("", "—"), *Gender.choices], required=False)
    party_joined_on = forms.DateField(
        label="Ngày vào Đảng",
        required=False,
        help_text=DATE_HELP,
        error_messages={"invalid": "Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 03/02/1990."},
    )
    home_unit = UnitField(label="Đơn vị sinh hoạt")


class PositionForm(ScopedForm):
    title = forms.CharField(label="Chức vụ", max_length=1000)
    unit = UnitField(label="Đơn vị")
    start_date = forms.DateField(
        label="Từ ngày", required=False, help_text=DATE_HELP, error_messages={"invalid": "Ngày không hợp lệ."}
    )
    end_date = forms.DateField(
        label="Đến ngày", required=False, help_text=DATE_HELP, error_messages={"invalid": "Ngày không hợp lệ."}
    )


class PositionEndForm(forms.Form):
    end_date = forms.DateField(label="Đến ngày", error_messages={"invalid": "Ngày không hợp lệ."})
