"""Pages of 信访投诉/举报 (R-CMP-1), mounted under ``/complaints/`` by ``config.urls``:

- ``lists``: the list with its Excel export, the intake and correction forms, and 局领导's log of views
  of reporters' identities;
- ``detail``: the detail page with its history and the forms of each step, and the printable 办理单;
- ``forms``: the forms both use. They parse; the services decide.

Views parse, check and call: reads come from ``complaints.queries`` (scoped, fixed query counts),
writes go through ``complaints.services``. The reporter in full appears on one page only, the
complaint's detail page, through ``reporter_for`` (the complaint's handler, 法制科 and 局领导), and
each such view is logged (``log_reporter_views``); the list, the Excel export and the PDF show the
mask to everyone (R-CMP-1: the identity never travels into exports or slips). The navigation entry
is registered by ``ComplaintsConfig.ready``.
"""
