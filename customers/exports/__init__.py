"""Exports built in the background: the list's and the history's CSV beyond
CTAX_EXPORT_STREAM_MAX_ROWS rows, and every XLSX. `files` (the stored file and who may
download it), `writing` (CSV and XLSX bytes), `tasks` (the job that reads and writes)."""
