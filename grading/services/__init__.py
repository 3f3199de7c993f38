"""Every write of the grading app: the work group (``workgroup``), the facts and the draft
(``facts``, ``gradings``), the positive list (``positive``) and credit ratings (``credit``)."""
