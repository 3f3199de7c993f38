"""Every write on execution reports (R-REP-1…4), one module per family: ``due`` (settings, what is
owed and the daily check), ``receipts`` (filings and reminders), ``reviews`` (the review by section
and samples), ``notices`` (the feedback notice, the answer and its re-review), ``leads`` (what goes to
执法大队)."""
