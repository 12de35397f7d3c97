from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.forms import ScopedForm, UnitField
from hienthuc.people.models import Gender

DATE_HELP = gettext_lazy("Định dạng ngày/tháng/năm, ví dụ 03/02/1990.")


class PersonForm(ScopedForm):
    full_name = forms.CharField(label=gettext_lazy("Họ và tên"), max_length=1000)
    birth_year = forms.IntegerField(
        label=gettext_lazy("Năm sinh"),
        required=False,
        error_messages={"invalid": gettext_lazy("Năm sinh phải là một số, ví dụ 1975.")},
    )
    gender = forms.ChoiceField(label=gettext_lazy("Giới tính"), choices=[("", "—"), *Gender.choices], required=False)
    party_joined_on = forms.DateField(
        label=gettext_lazy("Ngày vào Đảng"),
        required=False,
        help_text=DATE_HELP,
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 03/02/1990.")},
    )
    home_unit = UnitField(label=gettext_lazy("Đơn vị sinh hoạt"))


class PositionForm(ScopedForm):
    title = forms.CharField(label=gettext_lazy("Chức vụ"), max_length=1000)
    unit = UnitField(label=gettext_lazy("Đơn vị"))
    start_date = forms.DateField(
        label=gettext_lazy("Từ ngày"),
        required=False,
        help_text=DATE_HELP,
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ.")},
    )
    end_date = forms.DateField(
        label=gettext_lazy("Đến ngày"),
        required=False,
        help_text=DATE_HELP,
        error_messages={"invalid": gettext_lazy("Ngày không hợp lệ.")},
    )


class PositionEndForm(forms.Form):
    end_date = forms.DateField(
        label=gettext_lazy("Đến ngày"), error_messages={"invalid": gettext_lazy("Ngày không hợp lệ.")}
    )
