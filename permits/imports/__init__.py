"""数据导入: facilities, permits and registrations from the national permit platform's Excel export
(全国排污许可证管理信息平台), previewed first and written only on confirmation (R-FAC-1, R-ORG-2, R-PER-1);
and, as a second kind of batch, the receipts of execution reports from the platform's 执行报告 export
(R-REP-1).

The modules, each importing only those listed before it:

- ``template``: the columns of the file and the template workbook users download;
- ``models``: the batch (the audit record of one import) and its rows; ``permits.models`` imports
  them so that Django registers them in the ``permits`` app;
- ``parse``: reading the workbook, checking each row on its own and against the rest of the file;
- ``reconcile``: comparing checked rows with the registry and saying what each would change;
- ``report_template`` and ``reports``: the execution-report kind: its columns and template, and its
  parse-and-compare and apply steps (filings recorded through ``permits.reports.services.receipts``);
- ``queries``: what the pages read (the preview, one class of rows, the progress bar);
- ``services``: start, parse, confirm, cancel and apply a batch: the only writes;
- ``tasks``: the Celery tasks, thin wrappers around the services (services never import them);
- ``views`` and ``urls``: the pages under ``/imports/``.

Nothing is imported here, so loading ``permits.imports.models`` loads nothing else.
"""
