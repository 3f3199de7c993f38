"""API of checklist inspections: checklists, inspections with their answers, photos, signatures,
amendments and record, and cases."""
