"""Pages of reports: coverage for section heads, and the public pages."""
