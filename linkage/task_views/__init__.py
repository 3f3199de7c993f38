"""Pages of the 三监联动 tasks (003 第八条, 附件5; R-LNK-1…7): each department's queues, starting a
task, a task's detail with the step its department may take now, and entering a slip done on paper.

Views parse, check and call: reads are scoped by ``linkage.queries`` (a department sees the tasks it
started or received, 审批科 and leadership all, a town those about its facilities, R-ORG-3; 404 alike
for missing and not visible), writes go through ``linkage.services.tasks``, and which step a
department may take now is ``linkage.rules.step_error``, the same function the services ask. A
service's errors come back on the page in Chinese with the user's input kept: ValidationError on the
fields (400), PermissionDenied as the page's alert (403), Conflict as the alert (409).

The navigation entry is registered by ``LinkageConfig.ready``.

Pages: ``lists`` (the queues and 全部任务, and their export), ``steps`` (starting a task, its detail
page and each step posted to its own URL).
"""
