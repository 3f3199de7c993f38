"""The writes of checklist inspections, one module per subject: ``checklists`` (versions, R-INS-1),
``inspections`` (start, answers, signatures, amendments; R-INS-6), ``photos`` (receipts),
``findings`` (R-INS-7, R-INS-8), ``cases`` (R-INS-10), ``interference`` (R-INS-11)."""
