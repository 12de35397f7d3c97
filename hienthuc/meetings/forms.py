from django import forms
from django.utils.translation import gettext_lazy

from hienthuc.forms import PersonField, ScopedForm, UnitField
from hienthuc.meetings.models import Arrival, Mark, MeetingFormat, MeetingKind, MeetingStatus, Presence
from hienthuc.plans.models import Task

DATE_ERRORS = {"invalid": gettext_lazy("Ngày không hợp lệ; hãy nhập ngày/tháng/năm, ví dụ 03/11/2021.")}


class MeetingForm(ScopedForm):
    unit = UnitField(label=gettext_lazy("Đơn vị tổ chức"))
    kind = forms.ChoiceField(label=gettext_lazy("Loại hội nghị"), choices=MeetingKind.choices)
    number = forms.IntegerField(
        label=gettext_lazy("Lần thứ"), required=False, min_value=1,
        help_text=gettext_lazy("Hội nghị Ban Chấp hành, Ban Thường vụ: để trống để lấy số tiếp theo của khóa."),
    )  # fmt: skip
    title = forms.CharField(label=gettext_lazy("Tên hội nghị"), max_length=500)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Thời gian bắt đầu"),
        help_text=gettext_lazy("Ví dụ 03/11/2021 08:00"),
        error_messages={"invalid": gettext_lazy("Thời gian không hợp lệ; ví dụ 03/11/2021 08:00.")},
    )
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=255, required=False)
    format = forms.ChoiceField(label=gettext_lazy("Hình thức"), choices=MeetingFormat.choices)
    allow_guests = forms.BooleanField(label=gettext_lazy("Cho điểm danh khách mời ngoài danh sách"), required=False)


class MakeUpForm(ScopedForm):
    unit = UnitField(label=gettext_lazy("Đơn vị tổ chức học bù"))
    starts_at = MeetingForm.base_fields["starts_at"]
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=255, required=False)


class RecordForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Tình trạng"), choices=MeetingStatus.choices)
    minutes = forms.CharField(
        label=gettext_lazy("Kết quả, biên bản tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conclusion = forms.CharField(
        label=gettext_lazy("Thông báo kết luận (số hiệu, chọn trong gợi ý)"), max_length=300, required=False
    )


class ItemForm(ScopedForm):
    matter = forms.CharField(label=gettext_lazy("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.CharField(
        label=gettext_lazy("Văn bản trình (số hiệu, chọn trong gợi ý)"), max_length=300, required=False
    )
    preparing_unit = UnitField(label=gettext_lazy("Cơ quan chuẩn bị"), required=False)
    draft_due = forms.DateField(label=gettext_lazy("Hạn gửi dự thảo"), required=False, error_messages=DATE_ERRORS)
    presenter = forms.CharField(label=gettext_lazy("Người trình bày"), max_length=200, required=False)
    time_slot = forms.CharField(label=gettext_lazy("Thời gian"), max_length=60, required=False)
    # The open tasks of the unit's work programs (set by the view).
    planned_task = forms.ModelChoiceField(
        label=gettext_lazy("Nhiệm vụ trong chương trình công tác"), queryset=Task.objects.none(), required=False
    )

    def __init__(self, *args, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if tasks is not None:
            self.fields["planned_task"].queryset = tasks


class ItemRecordForm(forms.Form):
    taken = forms.TypedChoiceField(
        label=gettext_lazy("Đã xem xét"),
        choices=[("1", gettext_lazy("Đã xem xét")), ("0", gettext_lazy("Chưa xem xét, chuyển kỳ sau"))],
        coerce=lambda v: v == "1",
    )
    outcome = forms.CharField(label=gettext_lazy("Kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    votes_for = forms.IntegerField(label=gettext_lazy("Tán thành"), required=False)
    votes_against = forms.IntegerField(label=gettext_lazy("Không tán thành"), required=False)
    votes_abstain = forms.IntegerField(label=gettext_lazy("Không biểu quyết"), required=False)
    summoned = forms.IntegerField(label=gettext_lazy("Số được triệu tập"), required=False)


class AttendanceForm(ScopedForm):
    person = PersonField(label=gettext_lazy("Cấp ủy viên"))
    presence = forms.ChoiceField(label=gettext_lazy("Tình hình dự họp"), choices=Presence.choices)
    reason = forms.CharField(label=gettext_lazy("Lý do vắng"), max_length=300, required=False)


class PointForm(ScopedForm):
    unit = UnitField(label=gettext_lazy("Đơn vị chủ trì điểm cầu"))
    name = forms.CharField(label=gettext_lazy("Tên điểm cầu"), max_length=255, required=False)
    operator = forms.CharField(label=gettext_lazy("Tài khoản điều hành"), max_length=150, required=False)
    capacity = forms.IntegerField(label=gettext_lazy("Sức chứa"), required=False)
    planned = forms.IntegerField(label=gettext_lazy("Số dự kiến (khi không triệu tập theo danh sách)"), required=False)
    is_main = forms.BooleanField(label=gettext_lazy("Điểm cầu chính"), required=False)
    invite_members = forms.BooleanField(
        label=gettext_lazy("Triệu tập toàn bộ đảng viên của đơn vị tại điểm cầu này"), required=False
    )
    invite_title = forms.CharField(
        label=gettext_lazy("Hoặc triệu tập người giữ chức vụ (ví dụ Bí thư, Phó Bí thư)"),
        max_length=200,
        required=False,
    )


class CheckInForm(forms.Form):
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    code = forms.CharField(label=gettext_lazy("Mã QR của người dự"), max_length=200, required=False)
    arrival = forms.ChoiceField(label=gettext_lazy("Giờ đến"), choices=Arrival.choices, initial=Arrival.ON_TIME)


class HeadcountForm(forms.Form):
    count = forms.IntegerField(label=gettext_lazy("Số người có mặt"))


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Bài thu hoạch"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    file = forms.FileField(label=gettext_lazy("Hoặc đính kèm tệp (PDF, Word)"), required=False)


class MarkForm(forms.Form):
    mark = forms.ChoiceField(label=gettext_lazy("Xếp loại"), choices=Mark.choices)


class DraftReceivedForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    received_on = forms.DateField(label=gettext_lazy("Ngày nhận dự thảo"), error_messages=DATE_ERRORS)
