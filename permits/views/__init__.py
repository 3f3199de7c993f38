"""Pages of the 固定污染源信息库 (HTML), one module per page family, mounted by ``permits.urls``:

- ``facilities``: the facility list, its Excel export, the detail page and 「修改本科室维护的信息」;
- ``permit_events``: 登记许可证事项 on the detail page;
- ``records``: the detail page's forms that add quality checks, registrations, outlets, limits and
  penalties;
- ``ledger``: the rectification ledger, its export, and progress, closing and evidence of an item;
- ``detail``: the detail page itself, which every form on it re-renders with its errors;
- ``common``: what they share (who may see the registry, paging, filters, Excel responses).

Views parse, check and call: reads are scoped by ``permits.queries`` (R-ORG-3, a town sees its own
facilities and a 404 for any other), writes go through ``permits.services``, whose errors come back
on the page in Chinese with the user's input kept: ValidationError on the fields (400), Conflict at the
top of the form (409), PermissionDenied as the page's alert (403).
"""
