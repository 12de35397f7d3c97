from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path
from django.views.i18n import set_language

from hienthuc.accounts import views as accounts
from hienthuc.api import meetings as api_meetings
from hienthuc.api.api import api
from hienthuc.committees import views as committees
from hienthuc.dashboard import views as dashboard
from hienthuc.documents import views as documents
from hienthuc.elections import views as elections
from hienthuc.evaluations import views as evaluations
from hienthuc.imports import views as imports
from hienthuc.imports.urls import import_routes
from hienthuc.incoming import views as incoming
from hienthuc.indicators import views as indicators
from hienthuc.inspections import views as inspections
from hienthuc.meetings import views as meetings
from hienthuc.orgs import views as orgs
from hienthuc.people import views as people
from hienthuc.plans import views as plans
from hienthuc.reorgs import views as reorgs
from hienthuc.reviews import views as reviews
from hienthuc.urging import views as urging


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon (no 404)."""
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    # First, and before the API's own routes: a scanner's check-in, the busiest request,
    # answered without django-ninja's layers (docs/performance.md).
    path("api/points/<int:point_id>/checkins", api_meetings.scanner_check_in),
    path("", lambda request: redirect("tree"), name="home"),
    path("favicon.ico", favicon),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/users/", accounts.user_list, name="user_list"),
    path("accounts/users/new/", accounts.user_create, name="user_create"),
    path("accounts/users/<int:pk>/", accounts.user_detail, name="user_detail"),
    path("accounts/roles/<int:pk>/revoke/", accounts.role_revoke, name="role_revoke"),
    path("accounts/password/", accounts.password_change, name="password_change"),
    path("accounts/password/reset/", accounts.password_reset, name="password_reset"),
    path("accounts/password/reset/sent/", accounts.password_reset_done, name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
    path("accounts/password/reset/done/", accounts.password_reset_complete, name="password_reset_complete"),
    path("accounts/tokens/", accounts.token_list, name="token_list"),
    path("accounts/tokens/<int:pk>/revoke/", accounts.token_revoke, name="token_revoke"),
    path("accounts/services/", accounts.service_list, name="service_list"),
    path("accounts/services/<int:pk>/", accounts.service_detail, name="service_detail"),
    path("orgs/", orgs.tree, name="tree"),
    path("orgs/lookup/", orgs.unit_lookup, name="unit_lookup"),
    *import_routes("orgs/import/", "tree"),
    path("orgs/import/template.xlsx", orgs.import_template, name="tree_import_template"),
    path("orgs/<int:pk>/", orgs.unit_detail, name="unit_detail"),
    path("reorgs/", reorgs.reorg_list, name="reorg_list"),
    path("reorgs/new/", reorgs.reorg_create, name="reorg_create"),
    path("reorgs/<int:pk>/", reorgs.reorg_detail, name="reorg_detail"),
    path("reorgs/<int:pk>/operations/", reorgs.operation_add, name="reorg_operation_add"),
    path("reorgs/operations/<int:pk>/remove/", reorgs.operation_remove, name="reorg_operation_remove"),
    path("reorgs/<int:pk>/choices/", reorgs.reorg_choices, name="reorg_choices"),
    path("reorgs/<int:pk>/apply/", reorgs.reorg_apply, name="reorg_apply"),
    path("reorgs/<int:pk>/undo/", reorgs.reorg_undo, name="reorg_undo"),
    path("orgs/<int:pk>/children/", orgs.tree_children, name="tree_children"),
    path("orgs/<int:pk>/new/", orgs.unit_create, name="unit_create"),
    path("orgs/<int:pk>/edit/", orgs.unit_edit, name="unit_edit"),
    path("orgs/<int:pk>/move/", orgs.unit_move, name="unit_move"),
    path("orgs/<int:pk>/deactivate/", orgs.unit_set_active, {"active": False}, name="unit_deactivate"),
    path("orgs/<int:pk>/reactivate/", orgs.unit_set_active, {"active": True}, name="unit_reactivate"),
    path("orgs/<int:pk>/history/", orgs.unit_history, name="unit_history"),
    path("orgs/<int:pk>/mandates/", orgs.unit_mandates, name="unit_mandates"),
    path("orgs/<int:pk>/dashboard/incoming/", incoming.unit_incoming_panel, name="unit_incoming_panel"),
    path("orgs/<int:pk>/dashboard/meetings/", meetings.unit_meetings_panel, name="unit_meetings_panel"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/board/", meetings.meeting_board, name="meeting_board"),
    path("agenda/<int:pk>/record/", meetings.item_record, name="item_record"),
    path("points/<int:pk>/", meetings.point_detail, name="point_detail"),
    path("points/<int:pk>/checkin/", meetings.point_checkin, name="point_checkin"),
    path("points/<int:pk>/headcount/", meetings.point_headcount, name="point_headcount"),
    path("points/<int:pk>/absence/", meetings.point_absence, name="point_absence"),
    path("points/<int:pk>/left/", meetings.point_left, name="point_left"),
    path("documents/<int:pk>/study/", meetings.document_completion, name="document_completion"),
    path("documents/<int:pk>/reflections/", meetings.document_reflections, name="document_reflections"),
    path("reflections/<int:pk>/mark/", meetings.reflection_mark, name="reflection_mark"),
    path("people/<int:pk>/checkin-code.svg", meetings.person_code, name="person_checkin_code"),
    path("inspections/", inspections.inspection_list, name="inspection_list"),
    path("inspections/new/", inspections.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    path("plans/<int:pk>/inspection-items/new/", inspections.program_item_create, name="program_item_create"),
    path("orgs/<int:pk>/inspections/", inspections.unit_inspections, name="unit_inspections"),
    path("people/<int:pk>/inspections/", inspections.person_inspections, name="person_inspections"),
    path("orgs/<int:pk>/dashboard/inspections/", inspections.unit_inspections_panel, name="unit_inspections_panel"),
    path("evaluations/", evaluations.evaluation_list, name="evaluation_list"),
    path("evaluations/rule/", evaluations.rule_detail, name="evaluation_rule"),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation_detail"),
    path("orgs/<int:pk>/dashboard/evaluations/", evaluations.unit_evaluations_panel, name="unit_evaluations_panel"),
    path("commendations/", evaluations.commendation_list, name="commendation_list"),
    path("orgs/<int:pk>/commendations/new/", evaluations.commendation_create, name="commendation_create"),
    path("meetings/<int:pk>/elections/new/", elections.election_create, name="election_create"),
    path("meetings/<int:pk>/hand-votes/", elections.hand_vote_create, name="hand_vote_create"),
    path("elections/<int:pk>/", elections.election_detail, name="election_detail"),
    path("elections/<int:pk>/minutes/", elections.election_minutes, name="election_minutes"),
    path("elections/<int:pk>/projection/", elections.election_projection, name="election_projection"),
    path("urging/", urging.late_units, name="late_units"),
    path("notices/", urging.notice_list, name="notice_list"),
    path("notices/read/", urging.notices_read, name="notices_read"),
    path("notices/count/", urging.notice_count, name="notice_count"),
    path("reviews/", reviews.review_list, name="review_list"),
    path("reviews/new/", reviews.review_create, name="review_create"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/report.docx", reviews.review_report, name="review_report"),
    path("incoming/", incoming.incoming_list, name="incoming_list"),
    path("incoming/export.xlsx", incoming.incoming_export, name="incoming_export"),
    path("incoming/new/", incoming.incoming_create, name="incoming_create"),
    path("incoming/<int:pk>/", incoming.incoming_detail, name="incoming_detail"),
    path("incoming/<int:pk>/direct/", incoming.incoming_direct, name="incoming_direct"),
    path("incoming/<int:pk>/answer/", incoming.incoming_answer, name="incoming_answer"),
    path("mandates/<int:pk>/end/", orgs.mandate_end, name="mandate_end"),
    path("orgs/<int:pk>/dashboard/", dashboard.unit_dashboard, name="unit_dashboard"),
    path("orgs/<int:pk>/dashboard/tasks/", plans.task_panel, name="unit_task_panel"),
    path("orgs/<int:pk>/dashboard/indicators/", indicators.unit_panels, name="unit_panels"),
    path("orgs/<int:pk>/coverage/", plans.coverage, name="unit_coverage"),
    path("orgs/<int:pk>/yearly-report/", dashboard.yearly_report, name="yearly_report"),
    path("orgs/<int:pk>/yearly-narrative/", dashboard.yearly_narrative, name="yearly_narrative"),
    path("orgs/<int:pk>/explanations/", plans.unit_explanation_request, name="unit_explanation_request"),
    path("orgs/<int:pk>/export.xlsx", orgs.unit_export, name="unit_export"),
    path("orgs/<int:pk>/terms/new/", committees.term_create, name="term_create"),
    path("terms/<int:pk>/", committees.term_detail, name="term_detail"),
    path("seats/<int:pk>/remove/", committees.seat_remove, name="seat_remove"),
    path("seats/<int:pk>/end/", committees.seat_end, name="seat_end"),
    path("assignments/<int:pk>/remove/", committees.assignment_remove, name="assignment_remove"),
    path("assignments/<int:pk>/end/", committees.assignment_end, name="assignment_end"),
    path("people/", people.person_list, name="person_list"),
    path("people/lookup/", people.person_lookup, name="person_lookup"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/deactivate/", people.person_set_active, {"active": False}, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", people.person_set_active, {"active": True}, name="person_reactivate"),
    path("people/<int:pk>/positions/new/", people.position_create, name="position_create"),
    path("people/<int:pk>/history/", people.person_history, name="person_history"),
    path("positions/<int:pk>/end/", people.position_end, name="position_end"),
    path("documents/", documents.register, name="document_register"),
    path("documents/export.xlsx", documents.register_export, name="document_export"),
    *import_routes("documents/import/", "register"),
    path("documents/new/", documents.document_create, name="document_create"),
    path("documents/next-number/", documents.next_number, name="document_next_number"),
    path("documents/lookup/", documents.document_lookup, name="document_lookup"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/attachments/", documents.attachment_add, name="attachment_add"),
    path("documents/<int:pk>/links/", documents.link_add, name="link_add"),
    path("documents/<int:pk>/grants/", documents.grant_add, name="grant_add"),
    path("documents/<int:pk>/goals/", documents.goal_add, name="goal_add"),
    path("attachments/<int:pk>/", documents.attachment_download, name="attachment_download"),
    path("links/<int:pk>/remove/", documents.link_remove, name="link_remove"),
    path("search/", documents.search, name="search"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    *import_routes("plans/<int:pk>/import/", "plan-tasks"),
    *import_routes("terms/<int:pk>/seats/import/", "term-seats"),
    *import_routes("meetings/<int:pk>/invitations/import/", "meeting-invitations"),
    *import_routes("plans/<int:pk>/inspection-items/import/", "inspection-program"),
    path("plans/<int:pk>/export.xlsx", plans.plan_tasks_export, name="plan_tasks_export"),
    path("plans/<int:pk>/export.docx", plans.plan_word_export, name="plan_word_export"),
    path("indicators/", indicators.indicator_list, name="indicator_list"),
    path("indicators/lookup/", indicators.indicator_lookup, name="indicator_lookup"),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator_detail"),
    *import_routes("indicators/import/", "values"),
    path("imports/<int:pk>/", imports.import_status, name="import_status"),
    path("imports/<int:pk>/retry/", imports.import_retry, name="import_retry"),
    path("reports/", indicators.form_list, name="report_form_list"),
    path("reports/<int:pk>/", indicators.form_detail, name="report_form_detail"),
    path("reports/<int:pk>/edit/", indicators.form_edit, name="report_form_edit"),
    path("reports/<int:pk>/fill/", indicators.fill, name="report_fill"),
    path("reports/<int:pk>/completeness/", indicators.completeness, name="report_completeness"),
    path("submissions/<int:pk>/", indicators.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/review/", indicators.review, name="submission_review"),
    path("tasks/", plans.task_list, name="task_list"),
    path("tasks/bulk/", plans.task_bulk, name="task_bulk"),
    path("tasks/<int:pk>/", plans.task_detail, name="task_detail"),
    path("tasks/<int:pk>/progress/", plans.task_progress, name="task_progress"),
    path("tasks/<int:pk>/explanations/", plans.explanation_request, name="explanation_request"),
    path("explanations/", plans.explanation_list, name="explanation_list"),
    path("reminders/", plans.reminder_list, name="reminder_list"),
    path("reminders/mute/", plans.reminder_mute, name="reminder_mute"),
    path("reminders/read/", plans.reminder_read, name="reminder_read"),
    path("explanations/<int:pk>/answer/", plans.explanation_answer, name="explanation_answer"),
    path("api/", api.urls),
    # Choosing the language is offered on the login page too: it must not itself ask for a login
    # (which sent the choice round between the two pages).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
]
