"""Build steps that run after the HTML book is built: the printable PDFs and the session's slides."""
