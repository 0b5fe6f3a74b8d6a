"""The bottom layer: the vendor-neutral model, exact packet sets, redaction and progress.

Everything else imports from here; nothing here imports anything else of the project.
"""
