"""The one table of routes the scope-leak checks do not visit, each with its category and reason.

congan/core/tests/test_scope_coverage.py walks every page of the URL configuration and every
operation of the API (method + path) and fails unless each one is either visited by a registered
endpoint (congan/<app>/tests/scope_endpoints.py, see congan.core.testing.scope_leak) or named here,
never both. A page is named by its path ("/dan-cu/{resident_id}/"), an API operation by its method
and path ("GET /api/v1/citizen/me"), every page of a URL namespace by "<namespace>:*".

Before adding a line, open the view: a page or operation that shows one unit's data to officers is
registered, not exempted. The categories (congan.core.testing.scope_leak):

- PUBLIC: anyone may call it, it shows no unit's data (a public API operation that starts
  accepting an officer session fails the gate until it is looked at again);
- OWN: the caller's own account or records (an officer's sign-in and profile, a citizen's dossiers);
- PARTNER: a partner key, limited by the partner's policy and scopes, not by unit;
- PROVINCE: the province's own catalogue, figures or tools: nothing in it belongs to a unit;
- WRITE: a change that shows no list; the test named in the reason proves another unit's object is
  refused (and left unchanged) through this route;
- FIGURES: counts only, no object to mark; the tests named in the reason prove they count the
  viewer's units only;
- ADMIN: the administrators' site, guarded by Django's own model permissions.
"""

from __future__ import annotations

from congan.core.testing.scope_leak import ADMIN, FIGURES, LINKS, OWN, PARTNER, PROVINCE, PUBLIC, WRITE, Exemption

_ALERT_WRITES = "congan/alerts/tests/test_other_unit_writes.py::test_another_communes_officer_changes_no_alert"
_DOSSIER_WRITES = "congan/eservices/tests/test_other_unit_writes.py::test_another_units_officer_changes_no_dossier"
_REPORT_WRITES = "congan/incidents/tests/test_other_unit_writes.py::test_another_communes_officer_changes_no_report"
_VIOLATION_WRITES = "congan/traffic/tests/test_other_unit_writes.py::test_another_communes_officer_changes_no_violation"
_INCOMING_WRITES = (
    "congan/documents/tests/test_other_unit_writes.py::test_another_communes_officer_changes_no_incoming_document"
)
_EXCHANGE_UPLOAD = (
    "a packet a clerk hands in lands in the clerk's own unit, whatever it names: "
    "congan/exchange/tests/test_pages.py::test_an_uploaded_envelope_lands_in_the_clerks_own_unit"
)
_EXCHANGE_WRITES = "congan/exchange/tests/test_pages.py::test_another_units_clerk_recalls_or_answers_nothing"
_EXCHANGE_STATUS = (
    "a clerk's status packet reaches only their units' messages: "
    "congan/exchange/tests/test_api.py::test_a_clerk_of_another_unit_cannot_post_statuses_onto_our_messages"
)
_OUTGOING_WRITES = (
    "congan/documents/tests/test_other_unit_writes.py::test_another_communes_officer_changes_no_outgoing_document"
)
_ARCHIVE_INTAKE = (
    "scans and dossiers an officer hands in land in the officer's own unit: "
    "congan/archive/tests/test_other_unit_writes.py::test_uploads_and_dossiers_land_in_the_officers_own_unit"
)
_ARCHIVE_WRITES = (
    "congan/archive/tests/test_other_unit_writes.py::test_another_communes_officer_changes_no_archive_item"
)
_TASK_WRITES = "congan/tasks/tests/test_other_unit_writes.py::test_another_communes_officer_changes_no_task"
_COPY_WRITES = (
    "congan/documents/tests/test_other_unit_writes.py::"
    "test_another_communes_officer_copies_sends_signs_or_attaches_nothing_of_ours"
)
_TEAM_WRITES = "congan/incidents/tests/test_team_scope.py::test_a_dispatcher_cannot_stand_down_another_units_team"

EXEMPTIONS: tuple[Exemption, ...] = (
    # --- the site's shell ------------------------------------------------------------------------
    Exemption("/", PUBLIC, "the landing page; a signed-in officer is sent to the dashboard"),
    Exemption(
        "/tong-quan/",
        FIGURES,
        "the dashboard's panels count the viewer's subtree: "
        "congan/org/tests/test_officer_pages.py::test_dashboard_panel_shows_the_figures_of_the_viewers_subtree, "
        "congan/population/tests/test_resident_pages.py::"
        "test_dashboard_shows_the_population_panel_with_counts_of_the_viewers_units, "
        "congan/eservices/tests/test_other_unit_writes.py::test_the_dashboard_panel_counts_the_viewers_units_only",
    ),
    Exemption(
        "/tim-kiem/",
        LINKS,
        "the search box resolves within the viewer's scope: "
        "congan/org/tests/test_search_box.py::test_nothing_of_another_unit_is_found",
    ),
    Exemption(
        "/viec-can-lam/",
        FIGURES,
        "counts of the viewer's units' records waiting for them: "
        "congan/org/tests/test_attention.py::test_a_dispatcher_is_told_of_urgent_and_untriaged_reports_of_their_units, "
        "congan/documents/tests/test_outgoing_pages.py::"
        "test_the_to_do_list_counts_drafts_to_approve_and_documents_to_issue_of_the_viewers_units",
    ),
    Exemption("/healthz", PUBLIC, "database reachability, no data"),
    Exemption("/sw.js", PUBLIC, "the service worker script"),
    Exemption("/metrics", PROVINCE, "process metrics of the server, no records; staff or monitoring addresses"),
    Exemption("/i18n/setlang/", PUBLIC, "sets the language cookie"),
    Exemption("/api/v1/", PUBLIC, "ninja's API root, no data"),
    Exemption("/api/v1/docs", PUBLIC, "the API's documentation page"),
    Exemption("/api/v1/openapi.json", PUBLIC, "the API's OpenAPI document"),
    Exemption("GET /api/v1/meta/whoami", OWN, "the caller's own name and scopes"),
    # --- the kernel's administration pages ------------------------------------------------------
    Exemption("/he-thong/khoa-api/", PROVINCE, "partner clients and keys are the province's (core.manage_api_keys)"),
    Exemption("/he-thong/khoa-api/moi/", PROVINCE, "issues a partner key; partner clients belong to no unit"),
    Exemption("/he-thong/khoa-api/doi-tac/moi/", PROVINCE, "creates a partner client; clients belong to no unit"),
    Exemption("/he-thong/khoa-api/doi-tac/{client_id}/trang-thai/", PROVINCE, "switches a partner client on or off"),
    Exemption("/he-thong/khoa-api/{key_id}/xoay-vong/", PROVINCE, "rotates a partner key"),
    Exemption("/he-thong/khoa-api/{key_id}/thu-hoi/", PROVINCE, "revokes a partner key"),
    # --- officers' sign-in and own account (org) ------------------------------------------------
    Exemption("/to-chuc/dang-nhap/", PUBLIC, "the officers' sign-in form"),
    Exemption("/to-chuc/dang-xuat/", OWN, "ends the officer's own session"),
    Exemption("/to-chuc/xac-thuc-hai-lop/", OWN, "the officer's own second factor"),
    Exemption("/to-chuc/xac-thuc-hai-lop/cai-dat/", OWN, "sets up the officer's own second factor"),
    Exemption("/to-chuc/xac-thuc-hai-lop/ma-khoi-phuc/", OWN, "the officer's own recovery codes"),
    Exemption("/to-chuc/tai-khoan/", OWN, "the officer's own account page"),
    Exemption("/admin/login/", PUBLIC, "redirects to the officers' sign-in form"),
    Exemption("/admin/logout/", OWN, "ends the officer's own session"),
    Exemption(
        "admin:*",
        ADMIN,
        "the administrators' site: province-wide by design, each model behind Django's view/change "
        "permissions; residents' personal data kept out of its lists (issue 16, item 4)",
    ),
    # --- population ------------------------------------------------------------------------------
    Exemption(
        "/dan-cu/ho/{household_id}/{action}/",
        WRITE,
        "congan/population/tests/test_edit_and_household_pages.py::"
        "test_changes_to_households_of_other_communes_are_not_found",
    ),
    Exemption(
        "/dan-cu/tai-khoan-cong-dan/{account_id}/xac-nhan/",
        WRITE,
        "the page passes the id to the confirmation service, which refuses another unit's account: "
        "congan/population/tests/test_citizen_accounts.py::test_level_2_is_confirmed_by_an_officer_of_the_residents_unit",
    ),
    Exemption(
        "/dan-cu/cong-dan/ai-da-xem/",
        OWN,
        "a citizen's own lookup history, after giving their ID number, name and dates; no officer data",
    ),
    Exemption("/cong-dan/dang-ky/", PUBLIC, "citizens' sign-up form"),
    Exemption("/cong-dan/dang-nhap/", PUBLIC, "citizens' sign-in form"),
    Exemption("/cong-dan/dang-xuat/", OWN, "ends the citizen's own session"),
    Exemption("/cong-dan/quen-mat-khau/", PUBLIC, "asks for a password reset code"),
    Exemption("/cong-dan/dat-lai-mat-khau/", PUBLIC, "resets a password with the code sent"),
    Exemption("POST /api/v1/citizen/token", PUBLIC, "a citizen signs in for a token"),
    Exemption("GET /api/v1/citizen/me", OWN, "the citizen's own profile"),
    Exemption(
        "POST /api/v1/citizen/my-lookups", OWN, "a citizen's own lookup history, like /dan-cu/cong-dan/ai-da-xem/"
    ),
    Exemption("POST /api/v1/identity/verify", PARTNER, "identity check under the partner's policy and fields"),
    Exemption("POST /api/v1/identity/verify/batch", PARTNER, "identity checks under the partner's policy and fields"),
    Exemption("GET /api/v1/residents/{personal_id}", PARTNER, "the fields the partner's policy allows, audited"),
    # --- online public services -----------------------------------------------------------------
    Exemption("/dich-vu-cong/", PUBLIC, "the procedure catalogue"),
    Exemption("/dich-vu-cong/thu-tuc/{code}/", PUBLIC, "one procedure of the catalogue"),
    Exemption("/dich-vu-cong/tra-cuu/", PUBLIC, "status of one dossier by its code and the ID number's last digits"),
    Exemption("/dich-vu-cong/xac-minh/{token}/", PUBLIC, "checks a result document by its secret token"),
    Exemption("/dich-vu-cong/cong-khai/", PUBLIC, "the province's published service figures"),
    Exemption("GET /api/v1/procedures", PUBLIC, "the procedure catalogue"),
    Exemption("GET /api/v1/procedures/{code}", PUBLIC, "one procedure of the catalogue"),
    Exemption("GET /api/v1/procedures/{code}/form", PUBLIC, "a procedure's form definition"),
    Exemption("GET /api/v1/dossier-status", PUBLIC, "like /dich-vu-cong/tra-cuu/"),
    Exemption("GET /api/v1/results/{token}", PUBLIC, "like /dich-vu-cong/xac-minh/{token}/"),
    Exemption("GET /api/v1/eservices/statistics", PUBLIC, "the province's published service figures"),
    Exemption("/dich-vu-cong/cua-toi/", OWN, "the citizen's own dossiers"),
    Exemption("/dich-vu-cong/thu-tuc/{code}/nop/", OWN, "the citizen submits for themself or a dependant"),
    Exemption("/dich-vu-cong/ho-so/{code}/", OWN, "one of the citizen's own dossiers (404 for another's)"),
    Exemption("/dich-vu-cong/ho-so/{code}/giay-tiep-nhan.pdf", OWN, "receipt of the citizen's own dossier"),
    Exemption("/dich-vu-cong/ho-so/{code}/ket-qua.pdf", OWN, "result of the citizen's own dossier"),
    Exemption("/dich-vu-cong/ho-so/{code}/thu-xin-loi-{letter_id}.pdf", OWN, "apology for the citizen's own dossier"),
    Exemption("/dich-vu-cong/ho-so/{code}/danh-gia/", OWN, "the citizen rates their own dossier"),
    Exemption("/dich-vu-cong/ho-so/{code}/phan-anh/", OWN, "the citizen complains about their own dossier"),
    Exemption("/dich-vu-cong/ho-so/{code}/bo-sung/", OWN, "the citizen supplements their own dossier"),
    Exemption("GET /api/v1/dossiers", OWN, "the citizen's own dossiers"),
    Exemption("POST /api/v1/dossiers", OWN, "the citizen submits for themself or a dependant"),
    Exemption("GET /api/v1/dossiers/{code}", OWN, "one of the citizen's own dossiers"),
    Exemption("POST /api/v1/dossiers/{code}/rating", OWN, "the citizen rates their own dossier"),
    Exemption("/dich-vu-cong/xu-ly/{dossier_id}/thao-tac/{action}/", WRITE, _DOSSIER_WRITES),
    Exemption("/dich-vu-cong/xu-ly/{dossier_id}/giao/", WRITE, _DOSSIER_WRITES),
    Exemption("/dich-vu-cong/xu-ly/{dossier_id}/gia-han/", WRITE, _DOSSIER_WRITES),
    Exemption("/dich-vu-cong/xu-ly/{dossier_id}/xin-loi/", WRITE, _DOSSIER_WRITES),
    Exemption(
        "/dich-vu-cong/xu-ly/{dossier_id}/phan-anh/{complaint_id}/",
        WRITE,
        "congan/eservices/tests/test_other_unit_writes.py::test_another_units_officer_answers_no_complaint",
    ),
    Exemption("POST /api/v1/eservices/dossiers/{dossier_id}/transitions", WRITE, _DOSSIER_WRITES),
    Exemption(
        "/dich-vu-cong/xu-ly/giao-hang-loat/",
        WRITE,
        "congan/eservices/tests/test_other_unit_writes.py::test_another_units_officer_assigns_no_dossier_in_bulk",
    ),
    Exemption("POST /api/v1/eservices/dossiers/{dossier_id}/extension", WRITE, _DOSSIER_WRITES),
    Exemption("POST /api/v1/eservices/dossiers/{dossier_id}/apology", WRITE, _DOSSIER_WRITES),
    Exemption("/to-chuc/xa-phuong.json", PUBLIC, "communes' names and police seats: labels of the public maps"),
    Exemption(
        "/to-chuc/ranh-gioi-xa-phuong.json",
        PUBLIC,
        "the imported commune boundaries, simplified: outlines of every map, the public ones too",
    ),
    Exemption("/ban-do/nen.pmtiles", PUBLIC, "the operator's base map file (no personal data): the public maps too"),
    Exemption("/ban-do/nen/{z}/{x}/{y}.{ext}", PUBLIC, "one tile of the operator's base map file (no personal data)"),
    # --- incidents -------------------------------------------------------------------------------
    Exemption("/tin-bao/", PUBLIC, "the public report form"),
    Exemption("/tin-bao/theo-doi/", PUBLIC, "one report's public timeline by its tracking code"),
    Exemption(
        "/tin-bao/trung-lap/",
        PUBLIC,
        "open reports nearby, of kinds listed publicly only, without reporters: "
        "congan/incidents/tests/test_reports.py::test_the_public_duplicate_hint_never_reveals_a_crime_tip_nearby",
    ),
    Exemption("GET /api/v1/report-kinds", PUBLIC, "the kinds of report a citizen may send"),
    Exemption("POST /api/v1/reports", PUBLIC, "a citizen sends a report"),
    Exemption("GET /api/v1/reports/{tracking_code}", PUBLIC, "one report's public timeline by its tracking code"),
    Exemption("/open311/v2/discovery.{fmt}", PUBLIC, "Open311 GeoReport v2: the endpoint list"),
    Exemption("/open311/v2/services.{fmt}", PUBLIC, "Open311: the kinds of report"),
    Exemption("/open311/v2/services/{code}.{fmt}", PUBLIC, "Open311: one kind of report"),
    Exemption(
        "/open311/v2/requests.{fmt}",
        PUBLIC,
        "Open311: reports of kinds listed publicly, without reporters; posting needs a partner key",
    ),
    Exemption("/open311/v2/requests/{request_id}.{fmt}", PUBLIC, "Open311: one publicly listed report"),
    Exemption("/open311/v2/tokens/{token}.{fmt}", PUBLIC, "Open311: the request id of a token"),
    Exemption("/open311/v2/servicerequestupdates.{fmt}", PUBLIC, "Open311: public updates of listed reports"),
    Exemption("/tin-bao/xu-ly/{report_id}/phan-loai/", WRITE, _REPORT_WRITES),
    Exemption("/tin-bao/xu-ly/{report_id}/trang-thai/", WRITE, _REPORT_WRITES),
    Exemption("/tin-bao/xu-ly/{report_id}/gop/", WRITE, _REPORT_WRITES),
    Exemption("/tin-bao/xu-ly/{report_id}/vi-tri/", WRITE, _REPORT_WRITES),
    Exemption("/tin-bao/xu-ly/{report_id}/chuyen/", WRITE, _REPORT_WRITES),
    Exemption(
        "/tin-bao/xu-ly/{report_id}/dieu-dong/",
        WRITE,
        "congan/incidents/tests/test_team_scope.py::test_a_dispatcher_cannot_send_another_units_team, "
        + _REPORT_WRITES,
    ),
    Exemption(
        "POST /api/v1/incidents/reports/{report_id}/dispatch",
        WRITE,
        "congan/incidents/tests/test_team_scope.py::test_a_dispatcher_cannot_send_another_units_team, "
        + _REPORT_WRITES,
    ),
    Exemption("/tin-bao/to-cong-tac/{unit_id}/trang-thai/", WRITE, _TEAM_WRITES),
    Exemption("/tin-bao/to-cong-tac/{unit_id}/vi-tri/", WRITE, _TEAM_WRITES),
    Exemption(
        "/giao-thong/vi-pham/hang-loat/",
        WRITE,
        "congan/traffic/tests/test_review_pages_api.py::"
        "test_many_violations_are_verified_or_dismissed_at_once_each_on_its_own",
    ),
    # --- warnings --------------------------------------------------------------------------------
    Exemption("/canh-bao/", PUBLIC, "published warnings"),
    Exemption("/canh-bao/feed.atom", PUBLIC, "published warnings as a feed"),
    Exemption("/canh-bao/{identifier}/", PUBLIC, "one published warning"),
    Exemption("/canh-bao/{identifier}.xml", PUBLIC, "one published warning as CAP XML"),
    Exemption("/canh-bao/dang-ky/", PUBLIC, "subscription form; its commune list is the province's geography"),
    Exemption("/canh-bao/dang-ky/xac-nhan/", PUBLIC, "confirms a subscription with the code sent"),
    Exemption("/canh-bao/huy-dang-ky/{token}/", PUBLIC, "ends a subscription by its secret token"),
    Exemption("GET /api/v1/alerts", PUBLIC, "published warnings"),
    Exemption("GET /api/v1/alerts/{identifier}", PUBLIC, "one published warning"),
    Exemption("POST /api/v1/alert-subscriptions", PUBLIC, "subscribes a phone or address"),
    Exemption("POST /api/v1/alert-subscriptions/confirm", PUBLIC, "confirms a subscription with the code sent"),
    Exemption("POST /api/v1/alert-subscriptions/push", PUBLIC, "subscribes a browser to push warnings"),
    Exemption("GET /api/v1/alert-subscriptions/push-key", PUBLIC, "the server's public push key"),
    Exemption("DELETE /api/v1/alert-subscriptions/{token}", PUBLIC, "ends a subscription by its secret token"),
    Exemption("POST /api/v1/notifications/push-receipts/{token}", PUBLIC, "a browser acknowledges a push message"),
    Exemption("POST /api/v1/notifications/receipts", PARTNER, "the SMS and e-mail gateway's delivery receipts"),
    Exemption(
        "/canh-bao/quan-ly/moi/",
        PROVINCE,
        "the compose form: its commune list is the province's geography (the public form shows it too); "
        "the draft is saved in the composer's own unit",
    ),
    Exemption(
        "POST /api/v1/alert-drafts",
        WRITE,
        "creates a draft in the composer's own unit, which another commune cannot read: "
        "congan/alerts/tests/test_api_pages.py::test_api_errors_of_the_workflow",
    ),
    Exemption("/canh-bao/quan-ly/{alert_id}/trinh/", WRITE, _ALERT_WRITES),
    Exemption("/canh-bao/quan-ly/{alert_id}/phe-duyet/", WRITE, _ALERT_WRITES),
    Exemption("/canh-bao/quan-ly/{alert_id}/tra-lai/", WRITE, _ALERT_WRITES),
    Exemption("/canh-bao/quan-ly/{alert_id}/tiep-theo/", WRITE, _ALERT_WRITES),
    Exemption("PUT /api/v1/alert-drafts/{alert_id}", WRITE, _ALERT_WRITES),
    Exemption("POST /api/v1/alert-drafts/{alert_id}/submit", WRITE, _ALERT_WRITES),
    Exemption("POST /api/v1/alert-drafts/{alert_id}/return", WRITE, _ALERT_WRITES),
    Exemption("POST /api/v1/alert-drafts/{alert_id}/approve", WRITE, _ALERT_WRITES),
    Exemption("POST /api/v1/alert-drafts/{alert_id}/follow-ups", WRITE, _ALERT_WRITES),
    Exemption(
        "GET /api/v1/alert-drafts/{alert_id}/deliveries",
        FIGURES,
        "delivery counts of one alert: "
        "congan/alerts/tests/test_other_unit_writes.py::test_another_communes_officer_reads_no_delivery_counts",
    ),
    # --- traffic ---------------------------------------------------------------------------------
    Exemption("/giao-thong/tra-cuu/", PUBLIC, "the public lookup by plate (no owner)"),
    Exemption("GET /api/v1/violations/challenge", PUBLIC, "a proof-of-work challenge for the public lookup"),
    Exemption(
        "GET /api/v1/violations/lookup",
        PUBLIC,
        "the public lookup by plate (no owner), behind a proof of work or a partner key",
    ),
    Exemption("/giao-thong/thong-bao/{token}.pdf", PUBLIC, "the owner's notice by the secret token sent to them"),
    Exemption("/giao-thong/bang-chung/{token}/", PUBLIC, "the owner's evidence by the secret token sent to them"),
    Exemption("POST /api/v1/cameras/heartbeat", PARTNER, "a camera's device key reports that camera's own heartbeat"),
    Exemption("POST /api/v1/violation-events", PARTNER, "cameras' servers send events (violations.ingest)"),
    Exemption("/giao-thong/vi-pham/{event_id}/{step}/", WRITE, _VIOLATION_WRITES),
    Exemption("POST /api/v1/violations/{event_id}/verify", WRITE, _VIOLATION_WRITES),
    Exemption("POST /api/v1/violations/{event_id}/dismiss", WRITE, _VIOLATION_WRITES),
    Exemption("POST /api/v1/violations/{event_id}/notice", WRITE, _VIOLATION_WRITES),
    Exemption("POST /api/v1/violations/{event_id}/payment", WRITE, _VIOLATION_WRITES),
    Exemption("POST /api/v1/violations/{event_id}/contest", WRITE, _VIOLATION_WRITES),
    Exemption("POST /api/v1/violations/{event_id}/forward", WRITE, _VIOLATION_WRITES),
    Exemption("POST /api/v1/violations/{event_id}/close", WRITE, _VIOLATION_WRITES),
    Exemption(
        "GET /api/v1/violations/counts",
        FIGURES,
        "queue sizes: congan/traffic/tests/test_other_unit_writes.py::test_the_queue_counts_leave_out_another_commune",
    ),
    # --- documents -------------------------------------------------------------------------------
    Exemption("/van-ban/den/{document_id}/chuyen/", WRITE, _INCOMING_WRITES),
    Exemption("/van-ban/den/{document_id}/ky-nhan/", WRITE, _INCOMING_WRITES),
    Exemption(
        "/van-ban/den/khoa-so/",
        WRITE,
        "closes a period of the clerk's own unit's register, never one the request names: "
        "congan/documents/tests/test_register_closure.py::"
        "test_closing_a_period_stores_its_pdf_with_every_entry_and_its_sha256",
    ),
    Exemption("/van-ban/den/{document_id}/nguoi-xem/", WRITE, _OUTGOING_WRITES),
    Exemption("/van-ban/di/{document_id}/{step}/", WRITE, _OUTGOING_WRITES),
    Exemption("POST /api/v1/documents/outgoing/{document_id}/issue", WRITE, _OUTGOING_WRITES),
    Exemption("POST /api/v1/documents/outgoing/{document_id}/recall", WRITE, _OUTGOING_WRITES),
    Exemption(
        "/van-ban/di/tai/{token}/",
        PUBLIC,
        "an outside recipient's signed link to one issued PDF (no sign-in): "
        "congan/documents/tests/test_outgoing_workflow.py::"
        "test_outside_addresses_get_one_outbox_message_each_with_a_link_to_the_pdf",
    ),
    Exemption(
        "POST /api/v1/documents/incoming",
        WRITE,
        "another system (a partner key) or a clerk sends a document; a clerk's always lands in the clerk's own "
        "unit, whatever unit it names: congan/documents/tests/test_api.py::"
        "test_a_clerk_receives_into_their_own_unit_and_others_may_not",
    ),
    # --- electronic copies, signed closures (decision 0031) ---------------------------------------
    Exemption(
        "/van-ban/ban-sao/sao-y-ban-giay/",
        WRITE,
        "a sao y of a paper scan: the copy is always the clerk's own unit's, whatever the request says; the form "
        "shows no unit's data: congan/documents/tests/test_other_unit_writes.py::"
        "test_a_paper_copy_is_the_clerks_own_units",
    ),
    Exemption("/van-ban/ban-sao/{copy_id}/gui/", WRITE, _COPY_WRITES),
    Exemption("/van-ban/den/khoa-so/{closure_id}/ky/", WRITE, _COPY_WRITES),
    Exemption("POST /api/v1/documents/copies", WRITE, _COPY_WRITES),
    Exemption("POST /api/v1/documents/copies/{copy_id}/send", WRITE, _COPY_WRITES),
    Exemption("POST /api/v1/documents/closures/{closure_id}/sign", WRITE, _COPY_WRITES),
    # --- exchange (edXML) -------------------------------------------------------------------------
    Exemption("/van-ban/lien-thong/nhap/", WRITE, _EXCHANGE_UPLOAD),
    Exemption("/van-ban/lien-thong/{message_id}/thu-hoi/", WRITE, _EXCHANGE_WRITES),
    Exemption("/van-ban/lien-thong/{message_id}/tra-loi-thu-hoi/", WRITE, _EXCHANGE_WRITES),
    Exemption("POST /api/v1/documents/edxml", WRITE, _EXCHANGE_UPLOAD),
    Exemption("POST /api/v1/documents/edxml/status", WRITE, _EXCHANGE_STATUS),
    # --- signatures ------------------------------------------------------------------------------
    Exemption(
        "/van-ban/kiem-tra-chu-ky/",
        PROVINCE,
        "a tool: verifies the signatures of the PDF the officer uploads, keeps nothing, reads no unit's data",
    ),
    Exemption(
        "POST /api/v1/documents/verify",
        PROVINCE,
        "a tool: verifies the signatures of the PDF in the request, keeps nothing, reads no unit's data",
    ),
    # --- archive --------------------------------------------------------------------------------
    Exemption("/van-ban/luu-tru/tai-len/", WRITE, _ARCHIVE_INTAKE),
    Exemption("/van-ban/luu-tru/ho-so/moi/", WRITE, _ARCHIVE_INTAKE),
    Exemption("POST /api/v1/archive/items", WRITE, _ARCHIVE_INTAKE),
    Exemption("/van-ban/luu-tru/tai-lieu/{item_id}/goi-y/{suggestion_id}/", WRITE, _ARCHIVE_WRITES),
    Exemption("/van-ban/luu-tru/tai-lieu/{item_id}/ho-so/", WRITE, _ARCHIVE_WRITES),
    Exemption("/van-ban/luu-tru/tai-lieu/{item_id}/thu-tu/", WRITE, _ARCHIVE_WRITES),
    Exemption("PUT /api/v1/archive/items/{item_id}/pages/{number}", WRITE, _ARCHIVE_WRITES),
    # --- tasks (điều hành) -------------------------------------------------------------------------
    Exemption("/dieu-hanh/but-phe/{document_id}/", WRITE, _TASK_WRITES),
    Exemption("/dieu-hanh/viec/{task_id}/bao-cao/", WRITE, _TASK_WRITES),
    Exemption("/dieu-hanh/viec/{task_id}/gia-han/", WRITE, _TASK_WRITES),
    Exemption("/dieu-hanh/viec/{task_id}/duyet-gia-han/", WRITE, _TASK_WRITES),
    Exemption("/dieu-hanh/viec/{task_id}/hoan-thanh/", WRITE, _TASK_WRITES),
    Exemption(
        "POST /api/v1/documents/incoming/{document_id}/directive",
        WRITE,
        "congan/tasks/tests/test_api.py::test_directive_errors_are_json_with_field_details",
    ),
    Exemption(
        "POST /api/v1/tasks/{task_id}/reports",
        WRITE,
        "congan/tasks/tests/test_api.py::test_an_officer_reports_progress_through_the_api",
    ),
)
