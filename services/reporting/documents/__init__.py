"""The compiled submission dressed as documents: DOCX (Decree 30/2020), XLSX and JSON."""
