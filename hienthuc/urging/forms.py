from django import forms
from django.utils.translation import gettext_lazy

DAYS = {"invalid": gettext_lazy("Số ngày là một số nguyên.")}


class UrgingSettingForm(forms.Form):
    days_before = forms.IntegerField(label=gettext_lazy("Nhắc trước hạn (ngày)"), error_messages=DAYS)
    repeat_every = forms.IntegerField(label=gettext_lazy("Khi quá hạn, nhắc lại mỗi (ngày)"), error_messages=DAYS)
    escalate_after = forms.IntegerField(
        label=gettext_lazy("Quá hạn bao nhiêu ngày thì báo người đứng đầu đơn vị và văn phòng cấp trên"),
        error_messages=DAYS,
    )
    stop_after = forms.IntegerField(label=gettext_lazy("Thôi nhắc khi quá hạn quá (ngày)"), error_messages=DAYS)
