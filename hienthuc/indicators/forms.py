from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.forms import DATE_ERRORS, NAMED, ScopedForm, UnitField, UnitsBelowForm, split_entries, suggested_input
from hienthuc.indicators.models import (
    Aggregation,
    Comparison,
    Indicator,
    PeriodKind,
    Source,
    TargetKind,
    TargetOrigin,
    TimeAggregation,
)
from hienthuc.lib.text import fold


def indicator_label(indicator: Indicator) -> str:
    return f"{indicator.name} ({indicator.code})"


def resolve_indicator(text: str, indicators: list[Indicator]) -> Indicator:
    """The indicator `text` names among `indicators`: "Name (CODE)", a code, or a name."""
    named = NAMED.match(text)
    codes = {i.code.upper(): i for i in indicators}
    for code in ([named["code"]] if named else []) + [text]:
        if code.strip().upper() in codes:
            return codes[code.strip().upper()]
    wanted = fold(named["name"] if named else text)
    found = [i for i in indicators if fold(i.name) == wanted]
    if len(found) == 1:
        return found[0]
    if not found:
        raise forms.ValidationError(_("Không có chỉ tiêu “%(text)s”; hãy chọn trong danh sách gợi ý.") % {"text": text})
    raise forms.ValidationError(
        _("Có nhiều chỉ tiêu tên “%(text)s”; hãy chọn đúng chỉ tiêu trong danh sách gợi ý.") % {"text": text}
    )


class IndicatorCodesField(forms.CharField):
    """Indicators chosen by name in the suggestions ("Name (CODE)") or typed by code, several
    separated by ";", resolved among those the user sees. Returns a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 4000)
        kwargs.setdefault("widget", suggested_input("indicator_lookup", "indicator"))
        super().__init__(*args, **kwargs)
        self.user = None

    def clean(self, value):
        text = super().clean(value)
        entries = split_entries(text)
        if not entries:
            return []
        visible = list(Indicator.objects.visible_to(self.user).only("pk", "code", "name"))
        chosen, problems = [], []
        for entry in entries:
            try:
                chosen.append(resolve_indicator(entry, visible))
            except forms.ValidationError as exc:
                problems += exc.messages
        if problems:
            raise forms.ValidationError(problems)
        return list(dict.fromkeys(chosen))


class IndicatorScopedForm(ScopedForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for field in self.fields.values():
            if isinstance(field, IndicatorCodesField):
                field.user = user


class IndicatorForm(IndicatorScopedForm):
    owner = UnitField(label=gettext_lazy("Đơn vị xác định chỉ tiêu"))
    code = forms.CharField(label=gettext_lazy("Mã chỉ tiêu (ví dụ GRDP)"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Tên chỉ tiêu"), max_length=300)
    measure = forms.CharField(label=gettext_lazy("Đơn vị tính (%, tỷ đồng, người, km …)"), max_length=40)
    higher_is_better = forms.BooleanField(label=gettext_lazy("Càng cao càng tốt"), required=False, initial=True)
    aggregation = forms.ChoiceField(label=gettext_lazy("Cộng dồn theo đơn vị"), choices=Aggregation.choices)
    weight = IndicatorCodesField(label=gettext_lazy("Trọng số: mã chỉ tiêu (khi bình quân gia quyền)"), required=False)
    time_aggregation = forms.ChoiceField(label=gettext_lazy("Cộng dồn trong năm"), choices=TimeAggregation.choices)
    decimals = forms.IntegerField(
        label=gettext_lazy("Số chữ số thập phân"), min_value=0, max_value=6, initial=0,
        error_messages={"invalid": gettext_lazy("Số chữ số thập phân là số nguyên từ 0 đến 6.")},
    )  # fmt: skip
    source = forms.ChoiceField(label=gettext_lazy("Nguồn số liệu"), choices=Source.choices, required=False)
    min_value = forms.DecimalField(
        label=gettext_lazy("Giá trị nhỏ nhất"), required=False, max_digits=20, decimal_places=6
    )
    max_value = forms.DecimalField(
        label=gettext_lazy("Giá trị lớn nhất"), required=False, max_digits=20, decimal_places=6
    )

    def clean_weight(self):
        weights = self.cleaned_data["weight"]
        if len(weights) > 1:
            raise forms.ValidationError(_("Chỉ chọn một chỉ tiêu làm trọng số."))
        return weights[0] if weights else None


class TargetForm(ScopedForm):
    unit = UnitField(label=gettext_lazy("Đơn vị"))
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=TargetKind.choices)
    year = forms.IntegerField(
        label=gettext_lazy("Năm"), error_messages={"invalid": gettext_lazy("Năm là một số, ví dụ 2025.")}
    )
    origin = forms.ChoiceField(label=gettext_lazy("Nguồn"), choices=TargetOrigin.choices)
    value = forms.CharField(
        label=gettext_lazy("Chỉ tiêu như văn bản ghi (10; 8,5–9; ≥ 90; dưới 1; bình quân 7 %/năm)"), max_length=120
    )


class FigureForm(ScopedForm):
    """An official figure, or an estimate, of one indicator for a unit and a period."""

    unit = UnitField(label=gettext_lazy("Đơn vị"))
    period = forms.CharField(label=gettext_lazy("Kỳ (ví dụ: Quý I/2026, 6 tháng đầu năm 2026, 2026)"), max_length=60)
    value = forms.CharField(label=gettext_lazy("Số liệu"), max_length=40)
    estimate = forms.BooleanField(label=gettext_lazy("Là số ước (kỳ chưa kết thúc)"), required=False)
    correction = forms.BooleanField(label=gettext_lazy("Đính chính số ước của kỳ đã kết thúc"), required=False)


class OneOffPeriodForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Tên đợt"), max_length=200)
    first_day = forms.DateField(label=gettext_lazy("Từ ngày"), error_messages=DATE_ERRORS)
    last_day = forms.DateField(label=gettext_lazy("Đến ngày"), error_messages=DATE_ERRORS)


SECTIONS_LABEL = gettext_lazy(
    "Các phần thuyết minh (mỗi dòng một phần: Kết quả; Hạn chế; Nguyên nhân; Kiến nghị, đề xuất)"
)
FIELDS_LABEL = gettext_lazy("Các lĩnh vực, mỗi lĩnh vực có đủ các phần thuyết minh (mỗi dòng một lĩnh vực)")


class ReportFormForm(IndicatorScopedForm):
    owner = UnitField(label=gettext_lazy("Đơn vị ban hành mẫu"))
    name = forms.CharField(label=gettext_lazy("Tên mẫu báo cáo"), max_length=300)
    period_kind = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), choices=PeriodKind.choices)
    first_year = forms.IntegerField(
        label=gettext_lazy("Áp dụng từ năm"), error_messages={"invalid": gettext_lazy("Năm là một số.")}
    )
    deadline_days = forms.IntegerField(
        label=gettext_lazy("Hạn nộp (số ngày sau khi hết kỳ; số âm: trước khi hết kỳ)"),
        initial=15,
        error_messages={"invalid": gettext_lazy("Số ngày là một số.")},
    )
    indicators = IndicatorCodesField(
        label=gettext_lazy("Các chỉ tiêu (chọn tên trong gợi ý, cách nhau bởi dấu chấm phẩy)")
    )
    sections = forms.CharField(label=SECTIONS_LABEL, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    fields = forms.CharField(label=FIELDS_LABEL, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReportFormEditForm(IndicatorScopedForm):
    name = forms.CharField(label=gettext_lazy("Tên mẫu báo cáo"), max_length=300)
    deadline_days = forms.IntegerField(
        label=gettext_lazy("Hạn nộp (số ngày sau khi hết kỳ; số âm: trước khi hết kỳ)"),
        error_messages={"invalid": gettext_lazy("Số ngày là một số.")},
    )
    indicators = IndicatorCodesField(
        label=gettext_lazy("Các chỉ tiêu theo thứ tự trong mẫu (cách nhau bởi dấu chấm phẩy)")
    )
    sections = forms.CharField(label=SECTIONS_LABEL, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    fields = forms.CharField(label=FIELDS_LABEL, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(
        label=gettext_lazy("Đang sử dụng (bỏ chọn để ngừng: không nhập được báo cáo mới)"), required=False
    )


class RequireReportsForm(UnitsBelowForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].label = _("Đơn vị phải nộp báo cáo")


class RuleForm(IndicatorScopedForm):
    left = IndicatorCodesField(label=gettext_lazy("Chỉ tiêu"))
    comparison = forms.ChoiceField(label=gettext_lazy("Phải"), choices=Comparison.choices)
    right = IndicatorCodesField(label=gettext_lazy("Chỉ tiêu so sánh"))
