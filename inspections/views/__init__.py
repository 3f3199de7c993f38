"""Pages of checklist inspections (R-INS-1, R-INS-2, R-INS-6…8, R-INS-10, R-INS-11)."""
