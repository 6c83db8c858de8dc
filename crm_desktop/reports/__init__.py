"""PDF output (ReportLab) built from plain data only."""
